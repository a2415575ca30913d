/**
 * The cluster's own LiveKit server API (Twirp, at the root of the cluster's domain) through the official
 * livekit-server-sdk clients: rooms, participants, egress. Not an AWS SDK, but a network client, so it lives
 * here with the others. Each call is one HTTP request signed with a short-lived token made from the stack's
 * API key and secret; errors become `LiveKitApiError` whose message names what failed and never contains the
 * key, the secret or a token.
 */
import { AccessToken, EgressClient, RoomServiceClient, TrackSource, TrackType, type EgressInfo, type ParticipantInfo, type Room } from 'livekit-server-sdk';
import type { LiveKitProfile } from '../openvidu/credentials';
import { describeNetworkError } from '../openvidu/credentialCheck';
import type { LiveParticipant, LiveRoom } from '../openvidu/rooms';

export class LiveKitApiError extends Error {
  constructor(
    message: string,
    /** 'unreachable' (network, 5xx), 'rejected' (401/403), 'notFound' (404), 'failed' (other) */
    readonly kind: 'unreachable' | 'rejected' | 'notFound' | 'failed',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LiveKitApiError';
  }
}

function toError(e: unknown, host: string, what: string): LiveKitApiError {
  const err = e as { status?: number; message?: string; code?: string };
  if (typeof err.status === 'number') {
    if (err.status === 401 || err.status === 403) return new LiveKitApiError(`${what}: the LiveKit API at ${host} rejected the stack's API key and secret (HTTP ${err.status}).`, 'rejected', err.status);
    if (err.status === 404) return new LiveKitApiError(`${what}: not found (it may have just ended).`, 'notFound', 404);
    if (err.status >= 500) return new LiveKitApiError(`${what}: the LiveKit API at ${host} answered HTTP ${err.status}.`, 'unreachable', err.status);
    return new LiveKitApiError(`${what}: the LiveKit API at ${host} answered HTTP ${err.status}.`, 'failed', err.status);
  }
  return new LiveKitApiError(`${what}: ${describeNetworkError(e, host)}`, 'unreachable');
}

function ms(v: bigint | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}

export function roomFrom(r: Room): LiveRoom {
  const created = ms(r.creationTimeMs) ?? (ms(r.creationTime) ?? 0) * 1000;
  return { sid: r.sid, name: r.name, createdAt: created || undefined, participants: r.numParticipants, publishers: r.numPublishers, recording: r.activeRecording };
}

export function participantFrom(p: ParticipantInfo): LiveParticipant {
  const joined = ms(p.joinedAtMs) ?? (ms(p.joinedAt) ?? 0) * 1000;
  return { sid: p.sid, identity: p.identity, name: p.name, joinedAt: joined || undefined, tracks: p.tracks.length, publishing: p.tracks.map((t) => (t.source ? TrackSource[t.source] : TrackType[t.type]) ?? 'track') };
}

export interface EgressSummary {
  egressId: string;
  roomName: string;
  startedAt?: number;
}

function egressFrom(e: EgressInfo): EgressSummary {
  const started = ms(e.startedAt);
  return { egressId: e.egressId, roomName: e.roomName, startedAt: started ? Math.floor(started / 1e6) : undefined };
}

export interface LiveKitApiOptions {
  /** seconds per request (livekit-server-sdk's requestTimeout; default 10) */
  timeoutSeconds?: number;
}

/** One cluster's LiveKit API. */
export class LiveKitApi {
  private readonly rooms: RoomServiceClient;
  private readonly egress: EgressClient;
  readonly host: string;

  constructor(
    private readonly profile: LiveKitProfile,
    options: LiveKitApiOptions = {},
  ) {
    const base = profile.httpsUrl || profile.url;
    this.host = new URL(base).host;
    // failover: false: a cluster is one deployment; the SDK's region failover is for LiveKit Cloud.
    const opts = { requestTimeout: options.timeoutSeconds ?? 10, failover: false };
    this.rooms = new RoomServiceClient(base, profile.apiKey, profile.apiSecret, opts);
    this.egress = new EgressClient(base, profile.apiKey, profile.apiSecret, opts);
  }

  private async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toError(e, this.host, what);
    }
  }

  /** Every room, with counts and whether it is recording: one ListRooms call. */
  listRooms(): Promise<LiveRoom[]> {
    return this.run('List rooms', async () => (await this.rooms.listRooms()).map(roomFrom));
  }

  listParticipants(room: string): Promise<LiveParticipant[]> {
    return this.run(`List the participants of ${room}`, async () => (await this.rooms.listParticipants(room)).map(participantFrom));
  }

  removeParticipant(room: string, identity: string): Promise<void> {
    return this.run(`Remove ${identity} from ${room}`, () => this.rooms.removeParticipant(room, identity));
  }

  deleteRoom(room: string): Promise<void> {
    return this.run(`End room ${room}`, () => this.rooms.deleteRoom(room));
  }

  /** Egress in progress (of one room, or all). */
  listActiveEgress(room?: string): Promise<EgressSummary[]> {
    return this.run('List recordings', async () => (await this.egress.listEgress({ roomName: room, active: true })).map(egressFrom));
  }

  stopEgress(egressId: string): Promise<void> {
    return this.run(`Stop egress ${egressId}`, async () => void (await this.egress.stopEgress(egressId)));
  }

  /** A join token for a room, minted locally with the stack's key (never sent anywhere, never logged). */
  async joinToken(room: string, identity: string, ttlSeconds = 600): Promise<string> {
    const t = new AccessToken(this.profile.apiKey, this.profile.apiSecret, { identity, ttl: ttlSeconds });
    t.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
    return t.toJwt();
  }
}
