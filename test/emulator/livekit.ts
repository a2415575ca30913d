/**
 * What the video traffic of each simulated OpenVidu cluster looks like through its LiveKit server API, so the
 * official `livekit-server-sdk` clients (RoomServiceClient, EgressClient, IngressClient) work unmodified.
 *
 * Sources (LiveKit's own contract):
 * - Twirp over JSON: `POST /twirp/livekit.<Service>/<Method>`, `Authorization: Bearer <token>`, body a JSON
 *   object, snake_case or camelCase keys accepted (docs.livekit.io "Room service API", Implementation details).
 *   Errors are Twirp errors: JSON `{code, msg}` with the Twirp code's HTTP status (twitchtv/twirp spec v7:
 *   not_found 404, unauthenticated 401, permission_denied 403, invalid_argument 400, unavailable 503).
 * - Permissions per method (livekit/protocol livekit_room.proto comments): ListRooms needs `roomList`;
 *   DeleteRoom and CreateRoom `roomCreate`; ListParticipants, GetParticipant, RemoveParticipant `roomAdmin`
 *   for the named room (the token's `room`); livekit_egress.proto: ListEgress / StopEgress `roomRecord`;
 *   livekit_ingress.proto: ListIngress `ingressAdmin`.
 * - Messages: protobuf JSON (proto3 mapping): int64 as strings, enums by name (livekit_models.proto Room,
 *   ParticipantInfo, TrackInfo; livekit_egress.proto EgressInfo; livekit_ingress.proto IngressInfo).
 *   Room.creation_time is seconds, ParticipantInfo.joined_at seconds, EgressInfo.started_at nanoseconds.
 * - A room lives on one media node (LiveKit's node selector places it; OpenVidu HA docs: "rooms are
 *   distributed among media nodes"); when the node goes the room goes with it (its participants reconnect
 *   elsewhere as a new room in real life; here the room simply ends). Nothing in the API says which node a
 *   room is on, so the emulator keeps that to itself (tests read it through `clusterLive`).
 * - The cluster's API is answered by its master nodes behind the load balancer: with no master running the
 *   load balancer has no healthy target and the connection is reset (NLB: "If there are no healthy targets…
 *   the load balancer… resets the connection", Elastic Load Balancing, Network Load Balancers, Target health).
 *
 * Simulated load: each media node's CPU (AWS/EC2 CPUUtilization, percent) is a gentle wave per node plus a
 * share per participant on it; `cpuAt` gives it at any instant for CloudWatch.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Stack, World } from './world';
import { simOf } from './openvidu-stack';

export interface LiveTrack {
  sid: string;
  type: 'AUDIO' | 'VIDEO';
  source: 'MICROPHONE' | 'CAMERA' | 'SCREEN_SHARE';
  name: string;
}
export interface LiveParticipant {
  sid: string;
  identity: string;
  name: string;
  joinedAt: number;
  tracks: LiveTrack[];
}
export interface LiveEgress {
  egressId: string;
  roomName: string;
  startedAt: number;
  status: 'EGRESS_ACTIVE' | 'EGRESS_ENDING' | 'EGRESS_COMPLETE' | 'EGRESS_ABORTED';
  endedAt?: number;
}
export interface LiveRoom {
  sid: string;
  name: string;
  createdAt: number;
  /** media node instance id (not exposed by the API) */
  nodeId: string;
  participants: Map<string, LiveParticipant>;
}
export interface ClusterLive {
  rooms: Map<string, LiveRoom>;
  egress: Map<string, LiveEgress>;
  ingress: { ingressId: string; name: string; roomName: string; identity: string; inputType: 'RTMP_INPUT' | 'WHIP_INPUT'; streamKey: string }[];
  /** Twirp methods called, in order (`livekit.RoomService/ListRooms`…): tests count them */
  calls: string[];
}

const state = new WeakMap<World, Map<string, ClusterLive>>();

/** The live state of one cluster (created empty on first use). */
export function clusterLive(world: World, region: string, stackName: string): ClusterLive {
  let m = state.get(world);
  if (!m) state.set(world, (m = new Map()));
  const key = `${region}/${stackName}`;
  let c = m.get(key);
  if (!c) m.set(key, (c = { rooms: new Map(), egress: new Map(), ingress: [], calls: [] }));
  return c;
}

/** The current (not deleted) stack of that name. */
export function liveStack(world: World, region: string, stackName: string): Stack | undefined {
  return world.region(region).stacks.find((s) => s.stackName === stackName && !s.status.startsWith('DELETE_COMPLETE'));
}

/** Running media nodes that can host rooms: InService in the stack's media group (draining ones keep theirs). */
export function mediaNodes(world: World, stack: Stack, includeDraining = false): string[] {
  const r = world.region(stack.region);
  const asg = r.asgs.get(simOf(stack).asgName);
  if (!asg) return [];
  return asg.instances
    .filter((i) => i.lifecycleState === 'InService' || (includeDraining && i.lifecycleState.startsWith('Terminating')))
    .filter((i) => r.instances.get(i.instanceId)?.state === 'running')
    .map((i) => i.instanceId);
}

/** Whether any master node runs (the API answers through them). */
export function mastersRunning(world: World, stack: Stack): boolean {
  const r = world.region(stack.region);
  return Object.values(simOf(stack).masters).some((id) => r.instances.get(id)?.state === 'running');
}

/** Rooms whose media node is gone end, with their egress (a terminated node's rooms go). */
export function reconcile(world: World, region: string, stackName: string): ClusterLive {
  const live = clusterLive(world, region, stackName);
  const stack = liveStack(world, region, stackName);
  const nodes = new Set(stack ? mediaNodes(world, stack, true) : []);
  for (const [name, room] of live.rooms) {
    if (nodes.has(room.nodeId)) continue;
    live.rooms.delete(name);
    for (const e of live.egress.values()) if (e.roomName === name && e.status === 'EGRESS_ACTIVE') Object.assign(e, { status: 'EGRESS_ABORTED', endedAt: world.now() });
  }
  return live;
}

export interface RoomSpec {
  name: string;
  participants: string[];
  /** tracks each participant publishes (default: microphone and camera) */
  tracks?: number;
  recording?: boolean;
  /** index into the running media nodes (default: round robin) */
  node?: number;
}

/** Puts rooms on the cluster's running media nodes (tests, the sandbox's demo). Returns the rooms created. */
export function addRooms(world: World, region: string, stackName: string, specs: RoomSpec[]): LiveRoom[] {
  const stack = liveStack(world, region, stackName);
  if (!stack) throw new Error(`no stack ${stackName} in ${region}`);
  const nodes = mediaNodes(world, stack);
  if (!nodes.length) throw new Error(`${stackName} has no media node in service to host rooms`);
  const live = reconcile(world, region, stackName);
  const now = world.now();
  return specs.map((spec, i) => {
    const room: LiveRoom = { sid: `RM_${world.rng.alnum(12)}`, name: spec.name, createdAt: now - (i + 1) * 7 * 60_000, nodeId: nodes[(spec.node ?? live.rooms.size) % nodes.length], participants: new Map() };
    spec.participants.forEach((identity, j) => {
      const tracks: LiveTrack[] = [];
      const n = spec.tracks ?? 2;
      for (let t = 0; t < n; t++) tracks.push({ sid: `TR_${world.rng.alnum(12)}`, type: t % 2 === 0 ? 'AUDIO' : 'VIDEO', source: t % 2 === 0 ? 'MICROPHONE' : 'CAMERA', name: t % 2 === 0 ? 'mic' : 'camera' });
      room.participants.set(identity, { sid: `PA_${world.rng.alnum(12)}`, identity, name: identity, joinedAt: room.createdAt + j * 30_000, tracks });
    });
    live.rooms.set(room.name, room);
    if (spec.recording) {
      const egressId = `EG_${world.rng.alnum(12)}`;
      live.egress.set(egressId, { egressId, roomName: room.name, startedAt: room.createdAt + 60_000, status: 'EGRESS_ACTIVE' });
    }
    return room;
  });
}

// ---- simulated load -------------------------------------------------------------------------------------

function hash01(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

/**
 * CPU percent of a media node at instant `t` (undefined when the node was not running then): an idle floor,
 * a slow 40-minute wave of its own phase, per-minute jitter, and 3 points per participant of the rooms it
 * hosts now (past participants are not remembered, so the share applies to the last 10 minutes only).
 */
export function cpuAt(world: World, instanceId: string, t: number, participantsNow = 0): number | undefined {
  const inst = findInstance(world, instanceId);
  if (!inst || t < inst.launchTime) return undefined;
  if (inst.state !== 'running' && inst.state !== 'pending' && t > world.now() - 60_000) return undefined;
  const phase = hash01(instanceId) * 2 * Math.PI;
  const wave = 12 * (0.5 + 0.5 * Math.sin((2 * Math.PI * t) / 2_400_000 + phase));
  const jitter = 4 * hash01(`${instanceId}:${Math.floor(t / 60_000)}`);
  const load = t > world.now() - 600_000 ? 3 * participantsNow : 0;
  return Math.min(100, Math.round((6 + wave + jitter + load) * 100) / 100);
}

function findInstance(world: World, id: string) {
  for (const r of world.regions.values()) {
    const i = r.instances.get(id);
    if (i) return i;
  }
  return undefined;
}

/** Participants now on each media node of every cluster (for CloudWatch's CPU). */
export function participantsPerNode(world: World): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of [state.get(world)].filter(Boolean) as Map<string, ClusterLive>[]) {
    for (const [key] of m) {
      const [region, stackName] = key.split('/');
      const live = reconcile(world, region, stackName);
      for (const room of live.rooms.values()) out.set(room.nodeId, (out.get(room.nodeId) ?? 0) + room.participants.size);
    }
  }
  return out;
}

// ---- the Twirp API ----------------------------------------------------------------------------------------

export interface ClusterKeys {
  key: string;
  secret: string;
}

/** The stack's LiveKit key and secret from its secret; 'none' while not generated; undefined without a stack. */
export function clusterKeys(world: World, region: string, stack: string): ClusterKeys | 'none' | undefined {
  const secret = world.region(region).secrets.get(`openvidu-ha-${region}-${stack}`);
  if (!secret || secret.deletedAt !== undefined) return undefined;
  const values = JSON.parse(secret.secretString) as Record<string, string>;
  if (values.ALL_SECRETS_GENERATED !== 'true' || !values.LIVEKIT_API_KEY || values.LIVEKIT_API_KEY === 'none') return 'none';
  return { key: values.LIVEKIT_API_KEY, secret: values.LIVEKIT_API_SECRET };
}

/** HS256 access token check as livekit-server's auth middleware does (signature, issuer = API key, expiry). */
export function verifyJwt(token: string, key: string, secret: string): Record<string, unknown> | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    if (payload.iss !== key || typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

class TwirpError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    msg: string,
  ) {
    super(msg);
  }
}
const notFound = (msg: string) => new TwirpError('not_found', 404, msg);
const denied = () => new TwirpError('permission_denied', 403, 'permissions denied');

type Grant = { roomList?: boolean; roomCreate?: boolean; roomAdmin?: boolean; roomRecord?: boolean; ingressAdmin?: boolean; room?: string };

function pick(body: Record<string, unknown>, camel: string): unknown {
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return body[camel] ?? body[snake];
}

const sec = (ms: number) => String(Math.floor(ms / 1000));

function roomJson(room: LiveRoom, live: ClusterLive): Record<string, unknown> {
  const publishers = [...room.participants.values()].filter((p) => p.tracks.length > 0).length;
  return {
    sid: room.sid,
    name: room.name,
    emptyTimeout: 300,
    departureTimeout: 20,
    maxParticipants: 0,
    creationTime: sec(room.createdAt),
    creationTimeMs: String(room.createdAt),
    numParticipants: room.participants.size,
    numPublishers: publishers,
    activeRecording: [...live.egress.values()].some((e) => e.roomName === room.name && e.status === 'EGRESS_ACTIVE'),
  };
}

function participantJson(p: LiveParticipant): Record<string, unknown> {
  return {
    sid: p.sid,
    identity: p.identity,
    name: p.name,
    state: 'ACTIVE',
    joinedAt: sec(p.joinedAt),
    joinedAtMs: String(p.joinedAt),
    isPublisher: p.tracks.length > 0,
    kind: 'STANDARD',
    tracks: p.tracks.map((t) => ({ sid: t.sid, type: t.type, source: t.source, name: t.name, muted: false })),
  };
}

function egressJson(e: LiveEgress, room: LiveRoom | undefined): Record<string, unknown> {
  return {
    egressId: e.egressId,
    roomId: room?.sid ?? '',
    roomName: e.roomName,
    status: e.status,
    startedAt: String(BigInt(e.startedAt) * 1_000_000n),
    ...(e.endedAt ? { endedAt: String(BigInt(e.endedAt) * 1_000_000n) } : {}),
    roomComposite: { roomName: e.roomName, layout: 'grid' },
  };
}

function call(world: World, live: ClusterLive, method: string, body: Record<string, unknown>, grant: Grant): unknown {
  const roomNamed = (name: unknown) => {
    const room = typeof name === 'string' ? live.rooms.get(name) : undefined;
    if (!room) throw notFound('requested room does not exist');
    return room;
  };
  const adminOf = (name: unknown) => {
    if (!grant.roomAdmin || (grant.room && grant.room !== name)) throw denied();
  };
  switch (method) {
    case 'livekit.RoomService/ListRooms': {
      if (!grant.roomList) throw denied();
      const names = (pick(body, 'names') as string[] | undefined) ?? [];
      return { rooms: [...live.rooms.values()].filter((r) => !names.length || names.includes(r.name)).map((r) => roomJson(r, live)) };
    }
    case 'livekit.RoomService/DeleteRoom': {
      if (!grant.roomCreate) throw denied();
      const room = roomNamed(pick(body, 'room'));
      live.rooms.delete(room.name);
      for (const e of live.egress.values()) if (e.roomName === room.name && e.status === 'EGRESS_ACTIVE') Object.assign(e, { status: 'EGRESS_COMPLETE', endedAt: world.now() });
      return {};
    }
    case 'livekit.RoomService/ListParticipants': {
      adminOf(pick(body, 'room'));
      return { participants: [...roomNamed(pick(body, 'room')).participants.values()].map(participantJson) };
    }
    case 'livekit.RoomService/GetParticipant':
    case 'livekit.RoomService/RemoveParticipant': {
      adminOf(pick(body, 'room'));
      const room = roomNamed(pick(body, 'room'));
      const p = room.participants.get(String(pick(body, 'identity') ?? ''));
      if (!p) throw notFound('participant does not exist');
      if (method.endsWith('GetParticipant')) return participantJson(p);
      room.participants.delete(p.identity);
      return {};
    }
    case 'livekit.Egress/ListEgress': {
      if (!grant.roomRecord) throw denied();
      const roomName = pick(body, 'roomName');
      const id = pick(body, 'egressId');
      const active = pick(body, 'active') === true;
      const items = [...live.egress.values()].filter((e) => (!roomName || e.roomName === roomName) && (!id || e.egressId === id) && (!active || e.status === 'EGRESS_ACTIVE'));
      return { items: items.map((e) => egressJson(e, live.rooms.get(e.roomName))) };
    }
    case 'livekit.Egress/StopEgress': {
      if (!grant.roomRecord) throw denied();
      const e = live.egress.get(String(pick(body, 'egressId') ?? ''));
      if (!e) throw notFound('egress does not exist');
      if (e.status !== 'EGRESS_ACTIVE') throw new TwirpError('failed_precondition', 412, `egress with status ${e.status} cannot be stopped`);
      // livekit_egress.proto EgressStatus: ENDING while the file is finalised; the emulator finishes at once after
      Object.assign(e, { status: 'EGRESS_ENDING' });
      const out = egressJson(e, live.rooms.get(e.roomName));
      Object.assign(e, { status: 'EGRESS_COMPLETE', endedAt: world.now() });
      return out;
    }
    case 'livekit.Ingress/ListIngress': {
      if (!grant.ingressAdmin) throw denied();
      const roomName = pick(body, 'roomName');
      return {
        items: live.ingress
          .filter((i) => !roomName || i.roomName === roomName)
          .map((i) => ({ ingressId: i.ingressId, name: i.name, streamKey: i.streamKey, inputType: i.inputType, roomName: i.roomName, participantIdentity: i.identity, state: { status: 'ENDPOINT_PUBLISHING' } })),
      };
    }
    default:
      throw new TwirpError('bad_route', 404, `no handler for path "/twirp/${method}"`);
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

/**
 * Answers one request to a cluster's API (`path` without the leading slash). Returns false for paths that are
 * not the LiveKit or OpenVidu v2 API.
 */
export function handleClusterApi(world: World, region: string, stackName: string, req: IncomingMessage, res: ServerResponse, path: string, body: string): boolean {
  world.tick();
  const keys = clusterKeys(world, region, stackName);
  if (!keys) return json(res, 404, { error: `no cluster ${stackName} in ${region}` });
  if (keys === 'none') return json(res, 503, { code: 'unavailable', msg: 'OpenVidu is still installing' });
  const stack = liveStack(world, region, stackName);
  if (stack && !mastersRunning(world, stack)) {
    req.socket.destroy();
    return true;
  }
  const twirp = /^twirp\/(livekit\.[A-Za-z]+\/[A-Za-z]+)$/.exec(path);
  if (twirp) {
    if (req.method !== 'POST') return json(res, 404, { code: 'bad_route', msg: `unsupported method ${req.method} (only POST is allowed)` });
    clusterLive(world, region, stackName).calls.push(twirp[1]);
    const payload = verifyJwt(String(req.headers.authorization ?? '').replace(/^Bearer /, ''), keys.key, keys.secret);
    if (!payload) return json(res, 401, { code: 'unauthenticated', msg: 'invalid token' });
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return json(res, 400, { code: 'malformed', msg: 'the json request could not be decoded' });
    }
    try {
      const live = reconcile(world, region, stackName);
      return json(res, 200, call(world, live, twirp[1], input, (payload.video ?? {}) as Grant));
    } catch (e) {
      if (e instanceof TwirpError) return json(res, e.status, { code: e.code, msg: e.message });
      throw e;
    }
  }
  if (req.method === 'GET' && path === 'openvidu/api/config') {
    const expected = `Basic ${Buffer.from(`OPENVIDUAPP:${keys.secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="OpenVidu"' });
      res.end();
      return true;
    }
    return json(res, 200, { VERSION: stack ? simOf(stack).version : '3.8.0', DOMAIN_OR_PUBLIC_IP: stackName });
  }
  return false;
}

/**
 * The sandbox's demo cluster has a few live rooms (one recording) on its media nodes, and, as the stack is
 * three days old, CPU history: its media nodes are dated from the stack's creation. Done as soon as the demo's
 * media nodes are in service (at seeding, or on a later tick while they boot).
 */
export function seedDemoRooms(world: World): void {
  const region = 'eu-west-1';
  let done = false;
  const attempt = () => {
    if (done) return;
    const stack = liveStack(world, region, 'openvidu-demo');
    if (!stack) return;
    const nodes = mediaNodes(world, stack);
    if (!nodes.length) return;
    done = true;
    for (const id of nodes) {
      const inst = world.region(region).instances.get(id);
      if (inst) inst.launchTime = Math.min(inst.launchTime, stack.createdAt + 15 * 60_000);
    }
    addRooms(world, region, 'openvidu-demo', [
      { name: 'daily-standup', participants: ['alice', 'bob', 'carol', 'dave'], recording: true },
      { name: 'support-call-1842', participants: ['agent-maria', 'customer-4711'] },
      { name: 'webinar-q4', participants: ['host', 'viewer-1', 'viewer-2', 'viewer-3', 'viewer-4', 'viewer-5'], tracks: 0 },
    ]);
    const live = clusterLive(world, region, 'openvidu-demo');
    live.ingress.push({ ingressId: `IN_${world.rng.alnum(12)}`, name: 'webinar-stage', roomName: 'webinar-q4', identity: 'stage-camera', inputType: 'RTMP_INPUT', streamKey: world.rng.alnum(16) });
  };
  attempt();
  if (!done) world.onTick(attempt);
}
