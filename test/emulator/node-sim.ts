/**
 * What runs on a simulated OpenVidu node (the SSM command simulator in node-shell.ts reads and changes it).
 * Service names follow ../shared/docs/openvidu-ha-aws.md.
 *
 * Everything time-dependent is computed from simulated instants: containers have runs [start, end), and each
 * run produces a deterministic log stream (startup lines, then one line every few seconds, then shutdown lines)
 * that grows with simulated time, so `docker compose logs --since` polls see new lines and never repeat.
 */
import type { SimNode, SimService } from './world';

const MASTER_SERVICES = [
  'caddy', 'openvidu-meet', 'dashboard', 'operator', 'openvidu-v2compatibility', 'redis-server', 'redis-sentinel',
  'mongo', 'minio', 'grafana', 'loki', 'mimir', 'alloy',
];
const MEDIA_SERVICES = ['openvidu', 'ingress', 'egress', 'caddy', 'prometheus', 'alloy'];

/** services with a docker healthcheck (Health is '' for the others, as docker prints it) */
const HEALTHCHECKED = new Set(['caddy', 'openvidu', 'mongo', 'redis-server', 'openvidu-meet', 'dashboard']);
/** seconds a healthchecked container stays `health: starting` after it starts */
export const HEALTH_START_SECONDS = 20;

export interface SimNodeOptions {
  /** OpenVidu version (default 3.8.0); before 3.8 the log shipper is promtail instead of alloy */
  version?: string;
  /** masters: external S3 is configured, so minio exits right after starting (default true: the AWS template always uses S3) */
  externalS3?: boolean;
  /** media nodes: agent containers to run, e.g. ['agent-speech-processing'] (labelled openvidu-agent=true) */
  agents?: string[];
  /** seed for the node's log text (default: derived from `now` and a counter) */
  seed?: number;
  /**
   * seconds cloud-init takes to install Docker and OpenVidu after boot (default 0: installed at once). Until then
   * `docker` is not found, /opt/openvidu does not exist and openvidu.service is not a unit, as on a booting node.
   */
  installSeconds?: number;
}

/** rooms a media node still hosts when its drain starts, and the minutes after which each further room ends */
const ROOM_END_MINUTES = 4;
function drainRooms(node: SimNode): number {
  return 2 + ((node.seed ?? 0) % 5);
}

/**
 * When a draining media node's last room ends and its stop script completes the terminate lifecycle action
 * (CONTINUE), as /var/log/stop_media_node.log says: OpenVidu's "OpenVidu High Availability: AWS Configuration and
 * Administration" (Cluster Shutdown) says the group waits for each instance "to finish processing any ongoing room,
 * ingress, or egress operations before terminating them. This can take a few minutes", the hook's timeout (3600 s)
 * being the upper bound. Undefined while the node is not draining.
 */
export function drainCompletesAt(node: SimNode): number | undefined {
  if (node.kind !== 'media' || node.drainingSince === undefined) return undefined;
  return node.drainingSince + drainRooms(node) * ROOM_END_MINUTES * 60_000 + 500;
}

let nodeCounter = 0;
/** the last simulated instant seen by the simulator (default instant for the helpers below) */
let lastKnownNow = 0;
export function noteSimNow(now: number): void {
  if (now > lastKnownNow) lastKnownNow = now;
}
function defaultNow(node: SimNode): number {
  return Math.max(lastKnownNow, node.bootedAt);
}

/** Private per-node simulation state that does not belong in the world's plain types. */
interface NodeExtra {
  firstBootedAt: number;
  /** systemd journal entries of openvidu.service (not the container output, which is merged in) */
  journal: { at: number; ident: string; text: string }[];
  pid: number;
  /** services whose containers exit right away (one-shot / minio with external S3) */
  oneShot: Set<string>;
  /** instants the OS booted again after a power-off */
  reboots: number[];
  /** when cloud-init finished installing Docker and OpenVidu */
  installedAt: number;
}
const extras = new WeakMap<SimNode, NodeExtra>();
export function nodeExtra(node: SimNode): NodeExtra {
  let x = extras.get(node);
  if (!x) {
    x = {
      firstBootedAt: node.bootedAt,
      journal: [{ at: node.bootedAt + 21_000, ident: 'systemd[1]', text: 'Started openvidu.service - OpenVidu.' }],
      pid: 1000 + ((node.seed ?? 7) % 3000),
      oneShot: new Set(),
      reboots: [],
      installedAt: node.bootedAt,
    };
    extras.set(node, x);
  }
  return x;
}

function imageFor(name: string, version: string): string {
  const images: Record<string, string> = {
    caddy: `docker.io/openvidu/openvidu-pro-caddy:${version}`,
    openvidu: `docker.io/openvidu/openvidu-server-pro:${version}`,
    ingress: `docker.io/openvidu/ingress:${version}`,
    egress: `docker.io/openvidu/egress:${version}`,
    dashboard: `docker.io/openvidu/openvidu-pro-dashboard:${version}`,
    operator: `docker.io/openvidu/openvidu-operator:${version}`,
    'openvidu-meet': `docker.io/openvidu/openvidu-meet:${version}`,
    'openvidu-v2compatibility': `docker.io/openvidu/openvidu-v2compatibility:${version}`,
    'redis-server': 'docker.io/redis:7.4.4-alpine',
    'redis-sentinel': 'docker.io/redis:7.4.4-alpine',
    mongo: 'docker.io/mongo:8.0.12',
    minio: 'docker.io/bitnami/minio:2025.7.23',
    grafana: 'docker.io/grafana/grafana:12.1.1',
    loki: 'docker.io/grafana/loki:3.5.3',
    mimir: 'docker.io/grafana/mimir:2.17.0',
    alloy: 'docker.io/grafana/alloy:v1.10.1',
    promtail: 'docker.io/grafana/promtail:3.5.3',
    prometheus: 'docker.io/prom/prometheus:v3.5.0',
  };
  return images[name] ?? `docker.io/openvidu/${name}:${version}`;
}

function versionAtLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = v.split('.').map((x) => Number(x));
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** A plain Ubuntu host (an instance launched without an OpenVidu node): no openvidu.service containers. */
export function createBareNode(now: number): SimNode {
  const node: SimNode = { kind: 'media', openviduActive: false, services: [], restarts: [], bootedAt: now, openviduStoppedAt: now, seed: hash(`bare:${now}`) };
  nodeExtra(node).journal = [];
  return node;
}

export function createSimNode(kind: 'master' | 'media', now: number, opts: SimNodeOptions = {}): SimNode {
  const version = opts.version ?? '3.8.0';
  const shipper = versionAtLeast(version, 3, 8) ? 'alloy' : 'promtail';
  let names = (kind === 'master' ? MASTER_SERVICES : MEDIA_SERVICES).map((n) => (n === 'alloy' ? shipper : n));
  if (kind === 'master' && !versionAtLeast(version, 3, 4)) names = names.filter((n) => n !== 'openvidu-meet');
  if (kind === 'media') names = [...names, ...(opts.agents ?? [])];
  const seed = opts.seed ?? hash(`${kind}:${now}:${++nodeCounter}`);
  const up = now + (opts.installSeconds ?? 0) * 1000;
  const services: SimService[] = names.map((name) => ({
    name,
    image: imageFor(name, version),
    state: 'running',
    health: HEALTHCHECKED.has(name) ? 'healthy' : '',
    startedAt: up,
    createdAt: up,
    ...(name.startsWith('agent-') ? { labels: { 'openvidu-agent': 'true' } } : {}),
  }));
  const node: SimNode = { kind, openviduActive: true, services, restarts: [], bootedAt: now, version, seed };
  const x = nodeExtra(node);
  x.journal = [];
  x.installedAt = up;
  if (kind === 'master' && opts.externalS3 !== false) {
    const minio = services.find((s) => s.name === 'minio');
    if (minio) {
      x.oneShot.add('minio');
      minio.state = 'exited';
      minio.exitCode = 0;
      minio.stoppedAt = up + 1_500;
    }
  }
  x.journal.push({ at: up, ident: 'systemd[1]', text: 'Started openvidu.service - OpenVidu.' });
  return node;
}

/**
 * Re-shape an existing node (e.g. one EC2's launchInstance created with defaults) for a template version, external
 * S3 or agents, keeping its identity, boot instant and seed. Services are (re)created at the node's boot instant.
 */
export function configureSimNode(node: SimNode, opts: SimNodeOptions): SimNode {
  const fresh = createSimNode(node.kind, node.bootedAt, { seed: node.seed, ...opts });
  node.services = fresh.services;
  node.version = fresh.version;
  const x = nodeExtra(node);
  x.oneShot = nodeExtra(fresh).oneShot;
  x.installedAt = nodeExtra(fresh).installedAt;
  x.journal = nodeExtra(fresh).journal;
  return node;
}

/**
 * Move a node's whole timeline so that it booted at `bootedAt` (a seeded instance whose LaunchTime was set in the
 * past after its node was created "now"). Every recorded instant shifts by the same amount.
 */
export function rebaseSimNode(node: SimNode, bootedAt: number): void {
  const d = bootedAt - node.bootedAt;
  if (!d) return;
  const sh = (t: number | undefined) => (t === undefined ? undefined : t + d);
  node.bootedAt = bootedAt;
  node.restarts = node.restarts.map((t) => t + d);
  node.openviduStoppedAt = sh(node.openviduStoppedAt);
  node.poweredOffAt = sh(node.poweredOffAt);
  node.drainingSince = sh(node.drainingSince);
  node.nodeErrors = node.nodeErrors?.map((e) => ({ ...e, at: e.at + d }));
  for (const s of node.services) {
    s.startedAt += d;
    s.createdAt = sh(s.createdAt);
    s.stoppedAt = sh(s.stoppedAt);
    s.previousRuns = s.previousRuns?.map((r) => ({ start: r.start + d, end: r.end + d }));
  }
  const x = nodeExtra(node);
  x.firstBootedAt += d;
  x.installedAt += d;
  x.reboots = x.reboots.map((t) => t + d);
  x.journal = x.journal.map((e) => ({ ...e, at: e.at + d }));
}

// ---------------------------------------------------------------------------------------------------------------
// state changes (used by the shell simulator, the EC2 module through `observeInstanceState`, and tests)

export function findService(node: SimNode, nameOrContainer: string): SimService | undefined {
  return node.services.find((s) => s.name === nameOrContainer) ?? node.services.find((s) => containerName(s) === nameOrContainer);
}
export function containerName(s: SimService): string {
  return s.containerName ?? s.name;
}

/**
 * Put a service in a given state (for tests and the sandbox): `unhealthy`, `exited` (exit code 1 by default),
 * `restarting` (a crash loop: its logs show the failure repeating). Returns false for an unknown service.
 */
export function setServiceState(
  node: SimNode,
  name: string,
  state: SimService['state'],
  health: SimService['health'] = '',
  opts: { at?: number; exitCode?: number } = {},
): boolean {
  const s = findService(node, name);
  if (!s) return false;
  const at = opts.at ?? defaultNow(node);
  const wasUp = s.state === 'running' || s.state === 'restarting';
  const up = state === 'running' || state === 'restarting';
  if (wasUp && !up) {
    s.stoppedAt = at;
    s.exitCode = opts.exitCode ?? (state === 'exited' ? 1 : 0);
  } else if (!wasUp && up) {
    if (s.stoppedAt !== undefined) s.previousRuns = [...(s.previousRuns ?? []), { start: s.startedAt, end: s.stoppedAt }];
    s.startedAt = at;
    s.stoppedAt = undefined;
  }
  if (state === 'restarting') s.exitCode = opts.exitCode ?? 1;
  s.state = state;
  s.health = up ? health : '';
  nodeExtra(node).oneShot.delete(s.name);
  return true;
}

/** Add a container (e.g. an extra agent or `openvidu-init`) to a node. */
export function addService(node: SimNode, name: string, at: number, opts: Partial<SimService> = {}): SimService {
  const s: SimService = {
    name,
    image: imageFor(name, node.version ?? '3.8.0'),
    state: 'running',
    health: '',
    startedAt: at,
    createdAt: at,
    ...(name.startsWith('agent-') ? { labels: { 'openvidu-agent': 'true' } } : {}),
    ...opts,
  };
  node.services.push(s);
  return s;
}

/** `docker compose restart <svc>` / `docker restart <container>`: the container is kept, its logs continue. */
export function restartContainer(node: SimNode, s: SimService, at: number, stopMs = 1_200): void {
  const end = s.state === 'running' || s.state === 'restarting' ? at + stopMs : (s.stoppedAt ?? at);
  s.previousRuns = [...(s.previousRuns ?? []), { start: s.startedAt, end }];
  s.startedAt = at + stopMs + 300;
  s.stoppedAt = undefined;
  s.exitCode = undefined;
  if (nodeExtra(node).oneShot.has(s.name)) {
    s.state = 'exited';
    s.exitCode = 0;
    s.stoppedAt = s.startedAt + 1_500;
  } else if (s.state !== 'restarting') {
    s.state = 'running';
    s.health = HEALTHCHECKED.has(s.name) ? 'healthy' : '';
  }
}

/** `docker compose stop <svc>`: SIGTERM, the container exits with 0. */
export function stopContainer(s: SimService, at: number, stopMs = 1_200): void {
  if (s.state !== 'running' && s.state !== 'restarting') return;
  s.state = 'exited';
  s.exitCode = 0;
  s.health = '';
  s.stoppedAt = at + stopMs;
}

export function startContainer(node: SimNode, s: SimService, at: number): void {
  if (s.state === 'running' || s.state === 'restarting') return;
  restartContainer(node, s, at, 0);
}

/** `systemctl stop openvidu` (ExecStop = docker compose down): containers stop and are removed. */
export function stopOpenVidu(node: SimNode, at: number, ident = 'systemd[1]'): number {
  if (!node.openviduActive) return 0;
  const x = nodeExtra(node);
  const stopMs = 6_000;
  x.journal.push({ at, ident, text: 'Stopping openvidu.service - OpenVidu...' });
  for (const s of node.services) {
    if (s.state === 'running' || s.state === 'restarting') {
      s.stoppedAt = at + stopMs - 500;
      s.exitCode = 0;
    }
    s.state = 'exited';
    s.health = '';
  }
  node.openviduActive = false;
  node.openviduStoppedAt = at + stopMs;
  x.journal.push({ at: at + stopMs - 200, ident: 'systemd[1]', text: 'openvidu.service: Deactivated successfully.' });
  x.journal.push({ at: at + stopMs, ident: 'systemd[1]', text: 'Stopped openvidu.service - OpenVidu.' });
  return stopMs;
}

/**
 * `systemctl start openvidu` (ExecStart = docker compose up): containers are created afresh (new logs) over the next
 * few seconds. Returns how long `systemctl start` blocks (Type=simple: it returns at once).
 */
export function startOpenVidu(node: SimNode, at: number): number {
  if (node.openviduActive) return 0;
  const x = nodeExtra(node);
  const upMs = 3_000;
  x.journal.push({ at, ident: 'systemd[1]', text: 'Started openvidu.service - OpenVidu.' });
  for (const s of node.services) {
    const crashLoop = s.state === 'restarting' || (s.state === 'exited' && s.exitCode !== 0 && s.exitCode !== undefined && s.name.endsWith('-init'));
    s.createdAt = at + 1_000;
    s.startedAt = at + upMs;
    s.previousRuns = [];
    s.stoppedAt = undefined;
    if (x.oneShot.has(s.name)) {
      s.state = 'exited';
      s.exitCode = 0;
      s.stoppedAt = s.startedAt + 1_500;
      s.health = '';
    } else if (crashLoop) {
      s.state = 'restarting';
      s.exitCode = 1;
    } else {
      s.state = 'running';
      s.exitCode = undefined;
      s.health = HEALTHCHECKED.has(s.name) ? 'healthy' : '';
    }
  }
  node.openviduActive = true;
  node.openviduStoppedAt = undefined;
  return 100;
}

/** `systemctl restart openvidu`: stop (compose down) then start (compose up); recorded in `restarts`. */
export function restartOpenVidu(node: SimNode, at: number): number {
  const stopMs = stopOpenVidu(node, at);
  const startMs = startOpenVidu(node, at + stopMs + 100);
  node.restarts.push(at);
  return stopMs + 100 + startMs;
}

/**
 * Keep the node in step with its instance: powered off (stopping/stopped/terminated) → everything stops;
 * running again → the OS boots, openvidu.service starts ~20 s later with fresh containers. Called by the SSM
 * module's tick hook for every instance that has a node. State is observed lazily (at requests), so a change seen
 * now is dated at `since` (the previous observation), the earliest instant it can have happened; an instance
 * LaunchTime newer than the power-off (AWS updates it on StartInstances) dates the boot exactly.
 */
export function observeInstanceState(node: SimNode, state: string, now: number, launchTime?: number, since?: number): void {
  noteSimNow(now);
  const off = state === 'stopping' || state === 'stopped' || state === 'shutting-down' || state === 'terminated';
  const earliest = Math.min(now, Math.max(since ?? now, node.bootedAt));
  if (off && node.poweredOffAt === undefined) {
    node.poweredOffAt = earliest;
    if (node.openviduActive) stopOpenVidu(node, earliest);
    node.openviduActive = false;
    node.openviduStoppedAt = earliest;
    return;
  }
  if (state === 'running' && node.poweredOffAt !== undefined) {
    const boot = launchTime && launchTime > node.poweredOffAt ? Math.min(launchTime, now) : Math.max(node.poweredOffAt, earliest);
    nodeExtra(node).reboots.push(boot);
    node.poweredOffAt = undefined;
    node.bootedAt = boot;
    node.restarts.push(boot);
    node.openviduActive = false;
    startOpenVidu(node, boot + 20_000);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// time helpers

export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}

/** docker's units.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** ISO with 9 fractional digits, as docker prints timestamps */
export function isoNano(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}

// ---------------------------------------------------------------------------------------------------------------
// container logs

export interface LogLine {
  /** simulated instant in nanoseconds */
  ns: bigint;
  service: string;
  text: string;
}

interface ServiceLogProfile {
  periodMs: number;
  startup: string[];
  shutdown: string[];
  periodic: ((r: () => number, t: number, ctx: LogCtx) => string)[];
  crash: string[];
  errors: string[];
}
interface LogCtx {
  ip: string;
  seed: number;
}

function rnd(seed: number): () => number {
  let st = seed >>> 0;
  return () => {
    st = (st + 0x6d2b79f5) >>> 0;
    let t = st;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)];
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
const b62 = (r: () => number, n: number) =>
  Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(r() * 62)]).join('');
const iso3 = (t: number) => new Date(t).toISOString();
const redisTs = (t: number) => {
  const d = new Date(t);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, '0')} ${mon} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
};
const rooms = ['daily-standup', 'support-42', 'webinar-main', 'class-3b', 'interview-7', 'town-hall'];
const lk = (level: string, comp: string, src: string, msg: string, kv: string) => (t: number) => `${iso3(t)}\t${level}\t${comp}\t${src}\t${msg}\t${kv}`;

function profile(service: string): ServiceLogProfile {
  const generic: ServiceLogProfile = {
    periodMs: 15_000,
    startup: [`Starting ${service}`, `${service} ready`],
    shutdown: ['Received SIGTERM, shutting down'],
    periodic: [(r) => `INFO heartbeat ok (${Math.floor(r() * 1000)} ms since last check)`],
    crash: [`ERROR ${service}: configuration error, exiting`],
    errors: [`WARN ${service}: health check failed`],
  };
  switch (service) {
    case 'caddy':
      return {
        periodMs: 5_000,
        startup: [
          '{"level":"info","msg":"using config from file","file":"/etc/caddy/Caddyfile"}',
          '{"level":"info","msg":"adapted config to JSON","adapter":"caddyfile"}',
          '{"level":"info","logger":"admin","msg":"admin endpoint started","address":"localhost:2019","enforce_origin":false}',
          '{"level":"info","logger":"tls.cache.maintenance","msg":"started background certificate maintenance"}',
          '{"level":"info","msg":"serving initial configuration"}',
        ],
        shutdown: ['{"level":"info","msg":"shutting down apps, then terminating","signal":"SIGTERM"}', '{"level":"info","msg":"shutdown complete","signal":"SIGTERM","exit_code":0}'],
        periodic: [
          (r, t) =>
            `{"level":"info","ts":${(t / 1000).toFixed(7)},"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.${Math.floor(r() * 4)}.${10 + Math.floor(r() * 200)}","proto":"HTTP/1.1","method":"GET","uri":"/health/caddy","headers":{"User-Agent":["ELB-HealthChecker/2.0"]}},"bytes_read":0,"duration":${(r() / 1000).toFixed(6)},"size":2,"status":200}`,
          (r, t) =>
            `{"level":"info","ts":${(t / 1000).toFixed(7)},"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"${Math.floor(r() * 200) + 20}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}","proto":"HTTP/2.0","method":"GET","uri":"/rtc/validate?access_token=eyJ…","headers":{"User-Agent":["Mozilla/5.0"]}},"bytes_read":0,"duration":${(r() / 50).toFixed(6)},"size":${Math.floor(r() * 90) + 2},"status":200}`,
        ],
        crash: ['{"level":"error","msg":"loading initial config: provisioning tls: loading certificates: open /data/certs/cert.pem: no such file or directory"}'],
        errors: ['{"level":"error","logger":"http.log.error","msg":"dial tcp 127.0.0.1:7880: connect: connection refused","status":502}'],
      };
    case 'openvidu':
      return {
        periodMs: 4_000,
        startup: [
          'INFO\topenvidu\tserver/main.go:112\tstarting OpenVidu Server\t{"version": "3.8.0", "rtc.portTCP": 7881, "redis": "sentinel"}',
          'INFO\topenvidu\tredis/redis.go:144\tconnecting to redis\t{"sentinel": true, "addr": ["10.0.1.10:7001", "10.0.2.10:7001", "10.0.3.10:7001"]}',
          'INFO\topenvidu\tservice/server.go:263\tstarting LiveKit server\t{"portHttp": 7880, "nodeID": "ND_cluster", "nodeIP": "10.0.1.50", "region": ""}',
        ],
        shutdown: ['INFO\topenvidu\tservice/server.go:301\tstopping LiveKit server\t{"nodeID": "ND_cluster", "force": false}', 'INFO\topenvidu\tservice/server.go:318\tserver stopped'],
        periodic: [
          (r, t) => lk('INFO', 'livekit', 'service/roommanager.go:412', 'starting RTC session', `{"room": "${pick(r, rooms)}", "participant": "user-${Math.floor(r() * 900) + 100}", "pID": "PA_${b62(r, 12)}", "protocol": 16}`)(t),
          (r, t) => lk('INFO', 'livekit.transport', 'rtc/participant.go:1187', 'participant active', `{"room": "${pick(r, rooms)}", "pID": "PA_${b62(r, 12)}", "connectionType": "${pick(r, ['udp', 'tcp', 'turn'])}"}`)(t),
          (r, t) => lk('INFO', 'livekit.pub', 'rtc/mediatrack.go:232', 'mediaTrack published', `{"room": "${pick(r, rooms)}", "kind": "${pick(r, ['audio', 'video'])}", "trackID": "TR_${b62(r, 12)}", "codec": "${pick(r, ['video/VP8', 'audio/opus', 'video/H264'])}"}`)(t),
          (r, t) => lk('INFO', 'livekit', 'service/roommanager.go:520', 'room closed', `{"room": "${pick(r, rooms)}", "roomID": "RM_${b62(r, 12)}", "reason": "DEPARTURE"}`)(t),
          (r, t) => lk('DEBUG', 'livekit', 'routing/localrouter.go:98', 'node stats', `{"numRooms": ${Math.floor(r() * 12)}, "numClients": ${Math.floor(r() * 80)}, "cpuLoad": ${r().toFixed(3)}}`)(t),
        ],
        crash: ['ERROR\topenvidu\tserver/main.go:131\tcould not start server\t{"error": "could not connect to redis: dial tcp 10.0.1.10:7000: i/o timeout"}'],
        errors: ['WARN\tlivekit\trtc/transport.go:880\tICE connection failed\t{"room": "support-42", "pID": "PA_x"}'],
      };
    case 'ingress':
    case 'egress':
      return {
        periodMs: service === 'egress' ? 15_000 : 30_000,
        startup: [`INFO\t${service}\tserver/server.go:77\tservice ready`, `INFO\t${service}\tserver/server.go:95\tconnected to redis\t{"sentinel": true}`],
        shutdown: [`INFO\t${service}\tserver/server.go:140\tshutting down`],
        periodic: [
          (r, t) => lk('DEBUG', service, 'stats/monitor.go:187', 'cpu usage', `{"cpu": ${(r() * 0.4).toFixed(3)}, "available": ${(3 + r()).toFixed(2)}, "activeRequests": ${Math.floor(r() * 3)}}`)(t).slice(25),
          (r) => `INFO\t${service}\tserver/server.go:188\tchecking for expired requests\t{"active": ${Math.floor(r() * 3)}}`,
        ],
        crash: [`ERROR\t${service}\tcmd/main.go:58\tfailed to start\t{"error": "redis: connection refused"}`],
        errors: [`WARN\t${service}\tpipeline/watch.go:212\tpipeline frozen\t{"requestID": "EG_x"}`],
      };
    case 'redis-server':
    case 'redis-sentinel': {
      const role = service === 'redis-server' ? 'M' : 'X';
      return {
        periodMs: service === 'redis-server' ? 30_000 : 60_000,
        startup: ['1:C oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo', '1:C Redis version=7.4.4, bits=64, commit=00000000, modified=0, pid=1, just started', `1:${role} Server initialized`, `1:${role} Ready to accept connections tcp`],
        shutdown: [`1:signal-handler Received SIGTERM scheduling shutdown...`, `1:${role} User requested shutdown...`, `1:${role} Redis is now ready to exit, bye bye...`],
        periodic:
          service === 'redis-server'
            ? [
                (r, t) => `1:M ${redisTs(t)} * ${Math.floor(r() * 90) + 10} changes in 60 seconds. Saving...`,
                (r, t) => `1:M ${redisTs(t)} * Background saving started by pid ${Math.floor(r() * 9000) + 100}`,
                (r, t) => `${Math.floor(r() * 9000) + 100}:C ${redisTs(t)} * DB saved on disk`,
                (_r, t) => `1:M ${redisTs(t)} * Background saving terminated with success`,
              ]
            : [(r, t) => `1:X ${redisTs(t)} # +reboot master openvidu 10.0.${Math.floor(r() * 3) + 1}.10 7000`, (_r, t) => `1:X ${redisTs(t)} * Sentinel ID is ${hex(rnd(7), 40)}`],
        crash: ['1:M # Fatal error, can\'t open config file \'/redis.conf\': Permission denied'],
        errors: ['1:X # +sdown master openvidu 10.0.2.10 7000'],
      };
    }
    case 'mongo': {
      const m = (t: number, c: string, id: number, ctx: string, msg: string, attr: string) =>
        `{"t":{"$date":"${iso3(t).replace('Z', '+00:00')}"},"s":"I",  "c":"${c}", "id":${id}, "ctx":"${ctx}","msg":"${msg}","attr":${attr}}`;
      return {
        periodMs: 20_000,
        startup: [
          '{"s":"I",  "c":"CONTROL",  "id":23285,   "ctx":"main","msg":"Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols \'none\'"}',
          '{"s":"I",  "c":"REPL",     "id":21311,   "ctx":"initandlisten","msg":"Did not find local replica set configuration document at startup"}',
          '{"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":20000,"ssl":"off"}}',
        ],
        shutdown: ['{"s":"I",  "c":"CONTROL",  "id":23377,   "ctx":"SignalHandler","msg":"Received signal","attr":{"signal":15,"error":"Terminated"}}', '{"s":"I",  "c":"CONTROL",  "id":20565,   "ctx":"SignalHandler","msg":"Now exiting"}'],
        periodic: [
          (r, t) => m(t, 'NETWORK', 22943, 'listener', 'Connection accepted', `{"remote":"10.0.${Math.floor(r() * 4)}.${10 + Math.floor(r() * 50)}:${40000 + Math.floor(r() * 20000)}","connectionId":${Math.floor(r() * 5000)},"connectionCount":${Math.floor(r() * 40) + 5}}`),
          (r, t) => m(t, 'NETWORK', 22944, `conn${Math.floor(r() * 5000)}`, 'Connection ended', `{"remote":"10.0.1.${10 + Math.floor(r() * 50)}:${40000 + Math.floor(r() * 20000)}","connectionCount":${Math.floor(r() * 40) + 5}}`),
          (r, t) => m(t, 'WTCHKPT', 22430, 'Checkpointer', 'WiredTiger message', `{"message":{"ts_sec":${Math.floor(t / 1000)},"thread":"1:0x7f${hex(r, 10)}","session_name":"WT_SESSION.checkpoint","category":"WT_VERB_CHECKPOINT_PROGRESS","msg":"saving checkpoint snapshot min: ${Math.floor(r() * 9e5)}"}}`),
        ],
        crash: ['{"s":"E",  "c":"CONTROL",  "id":20557,   "ctx":"initandlisten","msg":"DBException in initAndListen, terminating","attr":{"error":"NonExistentPath: Data directory /data/db not found."}}'],
        errors: ['{"s":"W",  "c":"REPL",     "id":21402,   "ctx":"ReplCoord","msg":"Heartbeat failed","attr":{"target":"10.0.2.10:20000"}}'],
      };
    }
    case 'minio':
      return { ...generic, periodMs: 60_000, startup: ['minio 09:00:00.00 INFO  ==> ** Starting MinIO setup **', 'External S3 storage configured: skipping MinIO, exiting'], shutdown: [] };
    case 'grafana':
    case 'loki':
    case 'mimir':
    case 'alloy':
    case 'promtail':
    case 'prometheus': {
      const msgs: Record<string, string[]> = {
        grafana: ['logger=cleanup level=info msg="Completed cleanup jobs" duration=12.3ms', 'logger=plugins.update.checker level=info msg="Update check succeeded" duration=88.1ms', 'logger=infra.usagestats level=info msg="Usage stats are ready to report"'],
        loki: ['caller=table_manager.go:136 index-store=tsdb-2020-10-24 msg="uploading tables"', 'caller=checkpoint.go:615 component=ingester msg="starting checkpoint"', 'caller=flush.go:256 component=ingester msg="flushing stream" total_comp="4 kB" avg_comp="1.2 kB"'],
        mimir: ['caller=compactor.go:640 component=compactor msg="discovering users from bucket"', 'caller=ingester.go:1280 msg="TSDB head compaction completed"', 'caller=shipper.go:363 msg="upload new block" id=01J'],
        alloy: ['msg="finished node evaluation" controller_path=/ controller_id="" node_id=loki.source.docker.containers duration=1.2ms', 'msg="tailer running" component_path=/ component_id=loki.source.docker.containers target=docker/caddy', 'msg="opened log stream" target=docker/openvidu component_id=loki.source.docker.containers'],
        promtail: ['caller=filetargetmanager.go:372 msg="Adding target" key="/var/lib/docker/containers/*/*.log"', 'caller=tailer.go:145 component=tailer msg="tail routine: started"'],
        prometheus: ['source=head.go:1363 msg="Head GC completed" component=tsdb duration=2.1ms', 'source=compact.go:584 msg="write block" component=tsdb duration=41ms', 'source=manager.go:179 msg="Scrape pool reloaded"'],
      };
      return {
        periodMs: service === 'prometheus' ? 30_000 : 10_000,
        startup: [`level=info msg="Starting ${service}" version=${service === 'grafana' ? '12.1.1' : 'v3.5.3'}`, `level=info msg="server listening on addresses"`],
        shutdown: [`level=info msg="received shutdown signal" signal=terminated`, `level=info msg="${service} stopped"`],
        periodic: msgs[service].map(
          (msg) => (r: () => number, t: number) =>
            `${service === 'grafana' ? `t=${iso3(t)}` : `ts=${iso3(t)}`} level=info ${msg.replace(/duration=[\d.]+ms/, `duration=${(r() * 9 + 0.5).toFixed(1)}ms`)}`,
        ),
        crash: [`level=error msg="error running ${service}" err="failed to parse config: yaml: line 12: did not find expected key"`],
        errors: [`level=warn msg="error sending batch, will retry" status=-1 err="context deadline exceeded"`],
      };
    }
    case 'dashboard':
    case 'operator':
    case 'openvidu-meet':
    case 'openvidu-v2compatibility':
      return {
        periodMs: service === 'operator' ? 10_000 : 25_000,
        startup: [`[${service}] Loading configuration from /opt/openvidu/config`, `[${service}] Connected to Redis (sentinel)`, `[${service}] Listening on port ${service === 'dashboard' ? 5000 : service === 'operator' ? 4443 : 6080}`],
        shutdown: [`[${service}] SIGTERM received, closing server`],
        periodic:
          service === 'operator'
            ? [(r, t) => `${iso3(t)} INFO operator: reconciled media nodes (${Math.floor(r() * 6) + 1} running, 0 failed)`, (r, t) => `${iso3(t)} INFO operator: webhook delivered: room_finished ${pick(r, rooms)}`]
            : [(r, t) => `${iso3(t)} INFO [http] GET ${pick(r, ['/health', '/api/rooms', '/api/recordings', '/openvidu/api/sessions'])} 200 ${Math.floor(r() * 40) + 1}ms`],
        crash: [`[${service}] Error: connect ECONNREFUSED 127.0.0.1:7000`],
        errors: [`[${service}] WARN upstream timeout`],
      };
    default:
      if (service.startsWith('agent-')) {
        return {
          periodMs: 12_000,
          startup: ['{"message": "starting worker", "level": "INFO", "name": "livekit.agents", "version": "1.2.6"}', '{"message": "registered worker", "level": "INFO", "name": "livekit.agents", "url": "ws://localhost:7880"}'],
          shutdown: ['{"message": "draining worker", "level": "INFO", "name": "livekit.agents"}'],
          periodic: [(r, t) => `{"message": "received job request", "level": "INFO", "name": "livekit.agents", "job_id": "AJ_${b62(r, 12)}", "room": "${pick(r, rooms)}", "timestamp": "${iso3(t)}"}`, (r) => `{"message": "process memory usage is high", "level": "DEBUG", "name": "livekit.agents", "memory_usage_mb": ${Math.floor(r() * 300) + 200}}`],
          crash: ['{"message": "worker failed", "level": "ERROR", "name": "livekit.agents", "error": "missing API key for speech provider"}'],
          errors: ['{"message": "STT stream error, retrying", "level": "WARNING", "name": "livekit.agents"}'],
        };
      }
      return generic;
  }
}

/** one run of a container: the lines it wrote, indexable without building them all */
interface RunView {
  count: number;
  at(i: number): LogLine;
}

function runView(node: SimNode, s: SimService, start: number, end: number | undefined, upto: number, ip: string, crash: boolean, unhealthy: boolean): RunView {
  const p = profile(s.name);
  const seed = hash(`${node.seed ?? 0}:${s.name}:${start}`);
  const limit = end === undefined ? upto : Math.min(end, upto);
  if (limit < start) return { count: 0, at: () => ({ ns: 0n, service: s.name, text: '' }) };
  const startup = crash ? p.startup.slice(0, 1) : p.startup;
  const shutdown = end !== undefined && end <= upto ? (crash ? [] : p.shutdown) : [];
  const period = crash ? 10_000 : p.periodMs;
  const first = start + 200 + startup.length * 40 + period / 2;
  const nsOf = (ms: number, i: number) => BigInt(Math.floor(ms)) * 1_000_000n + BigInt(hash(`${seed}:${i}`) % 1_000_000);
  const periodicAt = (k: number) => first + k * period + (hash(`${seed}:j:${k}`) % Math.floor(period / 2));
  const periodicEnd = end !== undefined ? Math.min(end - 100, limit) : limit;
  let nPeriodic = 0;
  if (periodicEnd >= first) {
    let lo = 0;
    let hi = Math.floor((periodicEnd - first) / period) + 1;
    // largest k with periodicAt(k) <= periodicEnd → count = k+1
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (periodicAt(mid) <= periodicEnd) lo = mid + 1;
      else hi = mid;
    }
    nPeriodic = lo;
  }
  const startupCount = startup.filter((_, i) => start + 50 + i * 40 <= limit).length;
  const count = startupCount + nPeriodic + shutdown.length;
  const ctx: LogCtx = { ip, seed };
  return {
    count,
    at(i: number): LogLine {
      if (i < startupCount) {
        const t = start + 50 + i * 40;
        return { ns: nsOf(t, i), service: s.name, text: startup[i] };
      }
      const k = i - startupCount;
      if (k < nPeriodic) {
        const t = periodicAt(k);
        // the text is built only when read (binary searches and merges need the instant only)
        let text: string | undefined;
        const build = (): string => {
          if (text !== undefined) return text;
          const r = rnd(hash(`${seed}:p:${k}`));
          if (crash) text = p.crash[k % p.crash.length];
          else if (unhealthy && end === undefined && k % 3 === 0) text = p.errors[k % p.errors.length];
          else text = pick(r, p.periodic)(r, t, ctx);
          return text;
        };
        return {
          ns: nsOf(t, 1000 + k),
          service: s.name,
          get text() {
            return build();
          },
        };
      }
      const j = k - nPeriodic;
      const t = (end as number) - 90 + j * 30;
      return { ns: nsOf(t, 1_000_000_000 + j), service: s.name, text: shutdown[j] };
    },
  };
}

/** the container's whole log as runs (oldest first) */
function containerRuns(node: SimNode, s: SimService, upto: number, ip: string): RunView[] {
  if (!containerExists(node, s)) return [];
  const runs: RunView[] = [];
  const created = s.createdAt ?? s.startedAt;
  for (const pr of s.previousRuns ?? []) {
    if (pr.start >= created) runs.push(runView(node, s, pr.start, pr.end, upto, ip, false, false));
  }
  const crash = s.state === 'restarting';
  const end = s.state === 'running' || s.state === 'restarting' ? undefined : (s.stoppedAt ?? s.startedAt);
  runs.push(runView(node, s, s.startedAt, end, upto, ip, crash, s.health === 'unhealthy'));
  return runs;
}

/** Containers exist while openvidu.service is active (compose down removes them). */
export function containerExists(node: SimNode, _s: SimService): boolean {
  return node.openviduActive || node.openviduStoppedAt === undefined;
}

/** most lines one container log read returns (the newest ones) */
export const MAX_LOG_LINES = 50_000;

export interface LogQuery {
  /** only lines at or after this instant (ns), as docker's --since */
  sinceNs?: bigint;
  /** only lines before this instant (ns), as docker's --until */
  untilNs?: bigint;
  /** last N lines (per container, as docker compose does) */
  tail?: number;
}

/** The lines one container wrote up to `now`, filtered as `docker logs` does. */
export function containerLogs(node: SimNode, s: SimService, now: number, q: LogQuery, ip = '10.0.1.10'): LogLine[] {
  const runs = containerRuns(node, s, now, ip);
  const nowNs = BigInt(Math.floor(now)) * 1_000_000n + 999_999n;
  const untilNs = q.untilNs !== undefined && q.untilNs < nowNs ? q.untilNs : nowNs;
  // collect ranges [lo, hi) per run
  const ranges: { run: RunView; lo: number; hi: number }[] = [];
  for (const run of runs) {
    const lo = q.sinceNs === undefined ? 0 : lowerBound(run, (l) => l.ns >= (q.sinceNs as bigint));
    const hi = lowerBound(run, (l) => l.ns > untilNs);
    if (hi > lo) ranges.push({ run, lo, hi });
  }
  // a container's full log can be huge after weeks: keep the newest MAX_LOG_LINES (SSM keeps only 24,000 characters anyway)
  let remaining = Math.min(q.tail ?? Number.POSITIVE_INFINITY, MAX_LOG_LINES);
  const out: LogLine[][] = [];
  for (let r = ranges.length - 1; r >= 0 && remaining > 0; r--) {
    const { run, lo, hi } = ranges[r];
    const from = Math.max(lo, hi - remaining);
    const chunk: LogLine[] = [];
    for (let i = from; i < hi; i++) chunk.push(run.at(i));
    out.unshift(chunk);
    remaining -= chunk.length;
  }
  return out.flat();
}

function lowerBound(run: RunView, pred: (l: LogLine) => boolean): number {
  let lo = 0;
  let hi = run.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(run.at(mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------------
// files

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** `Tue, 24 Nov 2026 09:00:05 +0000` */
export function rfc2822(t: number): string {
  const d = new Date(t);
  return `${DAY[d.getUTCDay()]}, ${String(d.getUTCDate()).padStart(2, '0')} ${MON[d.getUTCMonth()]} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} +0000`;
}
/** journald short format prefix `Nov 24 09:00:05` */
export function syslogTs(t: number): string {
  const d = new Date(t);
  return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')} ${d.toISOString().slice(11, 19)}`;
}
const plain = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);

export interface FileContext {
  hostname: string;
  instanceId: string;
  privateIp: string;
  region: string;
  now: number;
  /** tags of the instance (stack name, logical id) */
  tags: Record<string, string>;
}

/** Files the simulator can read on a node (generated from its state, unless `node.files` overrides them). */
export function readNodeFile(node: SimNode, path: string, ctx: FileContext): string | undefined {
  if (node.files && path in node.files) return node.files[path];
  const x = nodeExtra(node);
  if ((path.startsWith('/opt/openvidu/') || path.startsWith('/var/log/openvidu')) && !isInstalled(node, ctx.now)) return undefined;
  const version = node.version ?? '3.8.0';
  const stack = ctx.tags['aws:cloudformation:stack-name'] ?? 'openvidu';
  const role = node.kind === 'master' ? 'master-node' : 'media-node';
  switch (path) {
    case '/opt/openvidu/deployment-info.yaml':
      return [
        '# DO NOT EDIT: written by the OpenVidu installer',
        'deployment:',
        '  edition: pro',
        '  type: ha',
        `  node_role: ${role}`,
        `  version: ${version}`,
        `  installed_at: "${new Date(x.firstBootedAt + 240_000).toISOString()}"`,
        '  installer: aws-cloudformation',
        'aws:',
        `  region: ${ctx.region}`,
        `  stack_name: ${stack}`,
        `  instance_id: ${ctx.instanceId}`,
        '',
      ].join('\n');
    case '/opt/openvidu/docker-compose.yaml':
      return [
        'name: openvidu',
        'services:',
        ...node.services.flatMap((s) => [
          `  ${s.name}:`,
          `    image: ${s.image}`,
          `    container_name: ${containerName(s)}`,
          '    restart: unless-stopped',
          '    network_mode: host',
          ...(s.labels ? ['    labels:', ...Object.entries(s.labels).map(([k, v]) => `      ${k}: "${v}"`)] : []),
          '    env_file:',
          `      - ./config/${node.kind === 'master' ? 'cluster/openvidu.env' : 'node/media_node.env'}`,
        ]),
        '',
      ].join('\n');
    case '/var/log/cloud-init-output.log':
      return cloudInitOutput(node, ctx, version, role);
    case '/var/log/cloud-init.log': {
      const b = x.firstBootedAt;
      return [
        `${plain(b + 6_000)},123 - util.py[DEBUG]: Cloud-init v. 24.4.1-0ubuntu0~24.04.1 running 'init-local' at ${rfc2822(b + 6_000)}. Up 6.01 seconds.`,
        `${plain(b + 6_100)},456 - main.py[DEBUG]: No kernel command line url found.`,
        `${plain(b + 7_000)},010 - DataSourceEc2.py[DEBUG]: Using metadata source: 'http://169.254.169.254'`,
        `${plain(b + 9_000)},220 - util.py[DEBUG]: Writing to /var/lib/cloud/instances/${ctx.instanceId}/user-data.txt - wb: [600] 14233 bytes`,
        `${plain(b + 300_000)},900 - util.py[DEBUG]: cloud-init mode 'modules' took 280.112 seconds (280.11)`,
        `${plain(b + 300_100)},010 - handlers.py[DEBUG]: finish: modules-final: SUCCESS: running modules for final`,
        '',
      ].join('\n');
    }
    case '/var/log/openvidu-restart.log':
      if (node.kind !== 'master') return undefined;
      return [x.firstBootedAt + 290_000, ...node.restarts]
        .map((t) => [`[${plain(t)}] Restarting OpenVidu (${role})...`, `[${plain(t + 9_000)}] Waiting for services to be healthy...`, `[${plain(t + 25_000)}] OpenVidu restarted successfully`].join('\n'))
        .join('\n')
        .concat('\n');
    case '/var/log/stop_media_node.log':
      if (node.kind !== 'media' || node.drainingSince === undefined) return undefined;
    {
      const d = node.drainingSince;
      const lines = [
        `[${plain(d)}] Lifecycle hook received: autoscaling:EC2_INSTANCE_TERMINATING`,
        `[${plain(d + 1_000)}] Stopping media node ${ctx.instanceId}: no new sessions will be assigned`,
        `[${plain(d + 2_000)}] Waiting for active sessions to finish (timeout 3600 s)...`,
      ];
      // one progress line a minute while draining, the rooms left going down
      const rooms = drainRooms(node);
      for (let m = 1; d + m * 60_000 <= ctx.now && m <= 60; m++) {
        const left = Math.max(0, rooms - Math.floor(m / ROOM_END_MINUTES));
        lines.push(`[${plain(d + m * 60_000)}] ${left} active room(s) on this node, waiting...`);
        if (left === 0) {
          lines.push(`[${plain(d + m * 60_000 + 500)}] No active sessions left. Completing lifecycle action (CONTINUE)`);
          break;
        }
      }
      return `${lines.join('\n')}\n`;
    }
    case '/var/log/openvidu/nodes_errors.log':
      if (node.kind !== 'master') return undefined;
      return (node.nodeErrors ?? []).filter((e) => e.at <= ctx.now).map((e) => `[${plain(e.at)}] ${e.text}\n`).join('');
    case '/opt/openvidu/config/node/master_node.env':
    case '/opt/openvidu/config/node/media_node.env':
      if (!path.includes(role.replace('-', '_'))) return undefined;
      return [`# ${role} configuration`, `PRIVATE_IP=${ctx.privateIp}`, `OPENVIDU_VERSION=${version}`, ''].join('\n');
    case '/opt/openvidu/config/cluster/openvidu.env':
      if (node.kind !== 'master') return undefined;
      return ['# OpenVidu cluster configuration (shared by every node)', 'DOMAIN_NAME=openvidu.example.com', `OPENVIDU_ENVIRONMENT=aws`, `OPENVIDU_DEPLOYMENT_TYPE=ha`, 'LIVEKIT_API_KEY=API<secret>', 'ENABLED_MODULES=observability,openviduMeet,v2compatibility', ''].join('\n');
    default:
      return undefined;
  }
}

/** whether cloud-init has installed Docker and OpenVidu at instant t */
export function isInstalled(node: SimNode, t: number): boolean {
  if (node.version === undefined && node.services.length === 0) return false;
  return t >= nodeExtra(node).installedAt;
}

/** directories the simulated node has (for cd / ls) at instant t (default: once installed) */
export function nodeDirs(node: SimNode, t = Number.POSITIVE_INFINITY): string[] {
  const base = ['/', '/opt', '/var', '/var/log', '/root', '/tmp', '/etc', '/home', '/home/ubuntu'];
  if (!isInstalled(node, t)) return base;
  const d = [...base, '/opt/openvidu', '/opt/openvidu/config', '/opt/openvidu/config/node'];
  if (node.kind === 'master') d.push('/var/log/openvidu', '/opt/openvidu/config/cluster', '/opt/openvidu/config/cluster/master_node', '/opt/openvidu/config/cluster/media_node');
  for (const x of node.dirs ?? []) if (!d.includes(x)) d.push(x);
  return d;
}

function cloudInitOutput(node: SimNode, ctx: FileContext, version: string, role: string): string {
  const x = nodeExtra(node);
  const b = x.firstBootedAt;
  const lines = [
    `Cloud-init v. 24.4.1-0ubuntu0~24.04.1 running 'init' at ${rfc2822(b + 7_000)}. Up 7.12 seconds.`,
    'ci-info: ++++++++++++++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++++++++++++++',
    'ci-info: +--------+------+-----------------------------+---------------+--------+-------------------+',
    'ci-info: | Device |  Up  |           Address           |      Mask     | Scope  |     Hw-Address    |',
    `ci-info: |  ens5  | True |        ${ctx.privateIp.padEnd(20)} | 255.255.255.0 | global | 0a:1b:2c:3d:4e:5f |`,
    'ci-info: +--------+------+-----------------------------+---------------+--------+-------------------+',
    `Cloud-init v. 24.4.1-0ubuntu0~24.04.1 running 'modules:config' at ${rfc2822(b + 12_000)}. Up 12.40 seconds.`,
    `Cloud-init v. 24.4.1-0ubuntu0~24.04.1 running 'modules:final' at ${rfc2822(b + 14_000)}. Up 14.02 seconds.`,
    '+ apt-get update',
    'Hit:1 http://eu-west-1.ec2.archive.ubuntu.com/ubuntu noble InRelease',
    'Get:2 http://eu-west-1.ec2.archive.ubuntu.com/ubuntu noble-updates InRelease [126 kB]',
    'Reading package lists...',
    '+ apt-get install -y awscli jq docker-ce docker-compose-plugin',
    'Setting up docker-ce (5:28.3.3-1~ubuntu.24.04~noble) ...',
    'Created symlink /etc/systemd/system/multi-user.target.wants/docker.service → /usr/lib/systemd/system/docker.service.',
    `+ /usr/local/bin/install_ov_${role.replace('-', '_')}.sh`,
    `Installing OpenVidu ${version} (High Availability, ${role})...`,
    `Downloading installer from https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/${version}/install_ov_${role.replace('-', '_')}.sh`,
    'Pulling images...',
    ...node.services.map((s) => ` ${s.name} Pulled`),
    'Writing configuration to /opt/openvidu/config',
    'Created symlink /etc/systemd/system/multi-user.target.wants/openvidu.service → /etc/systemd/system/openvidu.service.',
    `OpenVidu ${version} installed`,
    node.kind === 'master'
      ? `+ /usr/local/bin/cfn-signal -e 0 --stack ${ctx.tags['aws:cloudformation:stack-name'] ?? 'openvidu'} --resource ${(ctx.tags['aws:cloudformation:logical-id'] ?? 'OpenViduMasterNode1').replace('OpenViduMasterNode', 'WaitConditionMasterNode')} --region ${ctx.region}`
      : '+ echo "Media node ready"',
    `Cloud-init v. 24.4.1-0ubuntu0~24.04.1 finished at ${rfc2822(b + 300_000)}. Datasource DataSourceEc2Local.  Up 300.55 seconds`,
  ];
  for (const r of x.reboots) {
    if (r <= ctx.now) {
      lines.push(`Cloud-init v. 24.4.1-0ubuntu0~24.04.1 running 'init' at ${rfc2822(r + 7_000)}. Up 7.02 seconds.`);
      lines.push(`Cloud-init v. 24.4.1-0ubuntu0~24.04.1 finished at ${rfc2822(r + 15_000)}. Datasource DataSourceEc2Local.  Up 15.11 seconds`);
    }
  }
  return lines.filter((_, i) => i === 0 || ctx.now >= b + 7_000 + i * 10_000 || ctx.now >= b + 300_000).join('\n') + '\n';
}

/** journal entries of openvidu.service (systemd's own lines), oldest first */
export function journalEntries(node: SimNode): { at: number; ident: string; text: string }[] {
  return nodeExtra(node).journal;
}
