/**
 * The local AWS emulator: one HTTP server on 127.0.0.1 that the real AWS SDK v3 clients reach through their
 * `endpoint` setting. It decodes each protocol, applies injected faults, runs the service handler against the
 * simulated world and encodes the reply (or the AWS error) the way the real service does.
 *
 * Control API for tests and the sandbox (JSON over HTTP, not an AWS protocol): see `handleControl`.
 */
import { createServer, IncomingMessage, ServerResponse, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SimClock } from './clock';
import {
  AwsError,
  DecodedRequest,
  decodeRequest,
  encodeError,
  encodeResult,
  expiredTokenError,
  internalError,
  ServiceInfo,
  ServiceName,
  throttleError,
} from './protocol';
import { RegionState, World } from './world';
import { SERVICE_MODULES } from './services';
import { seedAccount, seedDemo } from './seed';
import { openviduApiRoute } from './openvidu-api';
import { Throttles, ThrottleRule } from './throttle';
import { ClusterServers } from './cluster-servers';
import { seedDemoRooms } from './livekit';

export interface HandlerContext {
  world: World;
  region: RegionState;
  params: Record<string, unknown>;
  request: DecodedRequest;
  now: number;
}
export type Handler = (ctx: HandlerContext) => unknown | Promise<unknown>;

/** Non-AWS HTTP routes a module may serve (templates, a LiveKit-compatible API…). Return true when handled. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL, body: string, emulator: Emulator) => boolean | Promise<boolean>;

/** HTTP `upgrade` requests (WebSockets, e.g. Session Manager's data channel). Return true when taken. */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, emulator: Emulator) => boolean;

export interface ServiceModule {
  service: ServiceName;
  handlers: Record<string, Handler>;
  /** called once when the world is created: register tick hooks etc. */
  install?(world: World): void;
  httpRoutes?: HttpRoute[];
  upgradeRoutes?: UpgradeRoute[];
  /** called when the emulator stops (close sockets and servers the module opened) */
  stop?(emulator: Emulator): void | Promise<void>;
}

/**
 * 'reset': the server reads the request, then closes the TCP connection without answering (what a client sees
 * as ECONNRESET / "socket hang up" when a load balancer or NAT drops a connection mid-call). The SDK treats it
 * as a transient error and retries (@smithy/service-error-classification NODEJS_NETWORK_ERROR_CODES).
 */
export type FaultKind = 'throttle' | 'internal' | 'expiredToken' | 'latency' | 'error' | 'reset';
export interface FaultRule {
  /** limit to one service / action; omitted = every service / action */
  service?: ServiceName;
  action?: string;
  kind: FaultKind;
  /** how many matching requests this rule still affects (default: 1 for errors, unlimited for latency) */
  count?: number;
  latencyMs?: number;
  /** kind 'error': the AWS error to return */
  code?: string;
  message?: string;
  status?: number;
}

export interface RequestLogEntry {
  seq: number;
  /** real wall-clock ms */
  at: number;
  /** simulated ms */
  simAt: number;
  service: string;
  action: string;
  region: string;
  params: Record<string, unknown>;
  status: number;
  errorCode?: string;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private seq = 0;
  add(e: Omit<RequestLogEntry, 'seq'>): void {
    this.entries.push({ ...e, seq: ++this.seq });
    if (this.entries.length > 20000) this.entries.splice(0, this.entries.length - 20000);
  }
  clear(): void {
    this.entries.length = 0;
  }
  /** number of requests, optionally of one action (`"DescribeStacks"` or `"cloudformation:DescribeStacks"`) */
  count(action?: string): number {
    return this.filter(action).length;
  }
  filter(action?: string): RequestLogEntry[] {
    if (!action) return [...this.entries];
    const [svc, act] = action.includes(':') ? action.split(':') : [undefined, action];
    return this.entries.filter((e) => e.action === act && (!svc || e.service === svc));
  }
  /** counts per `service:Action` */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries) out[`${e.service}:${e.action}`] = (out[`${e.service}:${e.action}`] ?? 0) + 1;
    return out;
  }
}

export class Faults {
  private rules: (FaultRule & { remaining: number })[] = [];
  add(rule: FaultRule): void {
    const remaining = rule.count ?? (rule.kind === 'latency' ? Number.POSITIVE_INFINITY : 1);
    this.rules.push({ ...rule, remaining });
  }
  clear(): void {
    this.rules = [];
  }
  /** Latency to add and the error to return (if any) for one request; consumes counts. */
  take(service: ServiceInfo, action: string): { delayMs: number; error?: AwsError; reset?: boolean } {
    let delayMs = 0;
    let error: AwsError | undefined;
    let reset = false;
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.service && r.service !== service.name) continue;
      if (r.action && r.action !== action) continue;
      if (r.kind === 'latency') {
        delayMs += r.latencyMs ?? 0;
        r.remaining--;
        continue;
      }
      if (error || reset) continue;
      r.remaining--;
      if (r.kind === 'reset') reset = true;
      else if (r.kind === 'throttle') error = throttleError(service);
      else if (r.kind === 'internal') error = internalError(service);
      else if (r.kind === 'expiredToken') error = expiredTokenError(service);
      else error = new AwsError(r.code ?? 'InjectedError', r.message ?? 'Injected error', r.status ?? 400);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { delayMs, error, reset };
  }
}

export interface EmulatorOptions {
  port?: number;
  seed?: number;
  /** seed the demo world (stack `openvidu-demo` in eu-west-1 and a failed stack); default false */
  demo?: boolean;
  /** simulated-time speed multiplier (default 1) */
  speed?: number;
  /** simulated start instant (default: now) */
  start?: number;
  /** rewrite each cluster secret's URLs to the cluster's own loopback address (sandbox, `npm run emulator`) */
  clusterUrlsInSecret?: boolean;
}

export class Emulator {
  readonly clock: SimClock;
  readonly world: World;
  readonly faults = new Faults();
  readonly requests = new RequestLog();
  /** per-API token buckets (off until a rule is set): see throttle.ts */
  readonly throttles = new Throttles();
  /** each installed cluster's API on a loopback port of its own (cluster-servers.ts) */
  readonly clusters: ClusterServers;
  private server?: Server;
  private handlers = new Map<string, Handler>();
  private routes: HttpRoute[] = [];
  private upgradeRoutes: UpgradeRoute[] = [];
  private upgraded = new Set<Duplex>();
  endpoint = '';

  constructor(readonly options: EmulatorOptions = {}) {
    this.clock = new SimClock(options.start ?? Date.now(), options.speed ?? 1);
    this.world = new World(this.clock, options.seed ?? 42);
    for (const m of SERVICE_MODULES) {
      for (const [action, h] of Object.entries(m.handlers)) this.handlers.set(`${m.service}:${action}`, h);
      m.install?.(this.world);
      this.routes.push(...(m.httpRoutes ?? []));
      this.upgradeRoutes.push(...(m.upgradeRoutes ?? []));
    }
    this.routes.push(openviduApiRoute);
    seedAccount(this.world);
    if (options.demo) seedDemo(this.world);
    if (options.demo) seedDemoRooms(this.world);
    this.clusters = new ClusterServers(this.world, options.clusterUrlsInSecret);
    this.world.onTick(() => this.clusters.sync());
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
    // Connections are kept alive by the SDK; make close() not wait for them.
    this.server.keepAliveTimeout = 5000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      if (!this.upgradeRoutes.some((route) => route(req, socket, head, this))) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    this.endpoint = `http://127.0.0.1:${port}`;
    await this.clusters.start();
    return this.endpoint;
  }

  async stop(): Promise<void> {
    await this.clusters.stop();
    if (!this.server) return;
    const s = this.server;
    this.server = undefined;
    for (const m of SERVICE_MODULES) await m.stop?.(this);
    for (const socket of this.upgraded) socket.destroy();
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Run one AWS action directly (no HTTP); for tests that set up state. */
  async invoke(service: ServiceName, action: string, region: string, params: Record<string, unknown>): Promise<unknown> {
    const h = this.handlers.get(`${service}:${action}`);
    if (!h) throw new Error(`no handler ${service}:${action}`);
    this.world.tick();
    const request = { service: { name: service, protocol: 'json' }, action, region, params } as DecodedRequest;
    return h({ world: this.world, region: this.world.region(region), params, request, now: this.world.now() });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_emulator/') && this.handleControl(req, res, url, body)) return;
    for (const route of this.routes) {
      if (await route(req, res, url, body, this)) return;
    }
    if (url.pathname.startsWith('/_emulator/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `unknown control path ${url.pathname}` }));
      return;
    }
    const requestId = this.world.requestId();
    let decoded: DecodedRequest | undefined;
    let reply;
    try {
      decoded = decodeRequest(req.headers, body);
      const fault = this.faults.take(decoded.service, decoded.action);
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.reset) {
        this.requests.add({ at: Date.now(), simAt: this.world.now(), service: decoded.service.name, action: decoded.action, region: decoded.region, params: decoded.params, status: 0, errorCode: 'ECONNRESET' });
        req.socket.destroy();
        return;
      }
      if (fault.error) throw fault.error;
      if (!this.throttles.take(decoded.service.name, decoded.action)) throw throttleError(decoded.service);
      const handler = this.handlers.get(`${decoded.service.name}:${decoded.action}`);
      if (!handler) {
        throw decoded.service.protocol === 'json'
          ? new AwsError('UnknownOperationException', `Operation ${decoded.action} is not supported by this emulator`)
          : new AwsError('InvalidAction', `The action ${decoded.action} is not valid for this web service.`);
      }
      this.world.tick();
      const result = await handler({
        world: this.world,
        region: this.world.region(decoded.region),
        params: decoded.params,
        request: decoded,
        now: this.world.now(),
      });
      reply = encodeResult(decoded, result, requestId);
    } catch (e) {
      const err = e instanceof AwsError ? e : new AwsError('InternalFailure', `Emulator error: ${(e as Error).stack ?? e}`, 500);
      reply = encodeError(decoded?.service, err, requestId);
    }
    this.requests.add({
      at: Date.now(),
      simAt: this.world.now(),
      service: decoded?.service.name ?? 'unknown',
      action: decoded?.action ?? 'unknown',
      region: decoded?.region ?? 'unknown',
      params: decoded?.params ?? {},
      status: reply.status,
      errorCode: reply.status >= 300 ? reply.headers['x-amzn-errortype'] ?? /<Code>([^<]*)<\/Code>/.exec(reply.body)?.[1] : undefined,
    });
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  /**
   * Control API:
   *   GET  /_emulator/health                      → {ok, endpoint, now}
   *   GET  /_emulator/requests[?action=X]         → request log entries;  DELETE clears it
   *   GET  /_emulator/requests/summary            → {"service:Action": count}
   *   POST /_emulator/faults  FaultRule           → adds a rule;          DELETE clears all rules
   *   POST /_emulator/throttle ThrottleRule       → a token bucket per API; DELETE removes all;  GET lists them
   *   POST /_emulator/throttle/refill             → fills every bucket (the burst is over)
   *   POST /_emulator/clock   {advanceMs?, speed?}→ moves simulated time
   *   POST /_emulator/settings {defaultHostManagement?}
   *   GET  /_emulator/clusters                    → [{region, stackName, url}] each cluster's own API address
   */
  private handleControl(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
      return true;
    };
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const p = url.pathname;
    if (p === '/_emulator/health') return json(200, { ok: true, endpoint: this.endpoint, now: this.world.now() });
    if (p === '/_emulator/requests/summary') return json(200, this.requests.summary());
    if (p === '/_emulator/clusters') return json(200, this.clusters.list());
    if (p === '/_emulator/requests') {
      if (req.method === 'DELETE') {
        this.requests.clear();
        return json(200, { ok: true });
      }
      return json(200, this.requests.filter(url.searchParams.get('action') ?? undefined));
    }
    if (p === '/_emulator/faults') {
      if (req.method === 'DELETE') this.faults.clear();
      else this.faults.add(input as unknown as FaultRule);
      return json(200, { ok: true });
    }
    if (p === '/_emulator/throttle/refill') {
      this.throttles.refill();
      return json(200, { ok: true });
    }
    if (p === '/_emulator/throttle') {
      if (req.method === 'DELETE') this.throttles.clear();
      else if (req.method === 'POST') {
        try {
          this.throttles.set(input as unknown as ThrottleRule);
        } catch (e) {
          return json(400, { error: (e as Error).message });
        }
      }
      return json(200, this.throttles.list());
    }
    if (p === '/_emulator/clock') {
      if (typeof input.speed === 'number') this.clock.setSpeed(input.speed);
      if (typeof input.advanceMs === 'number') this.clock.advance(input.advanceMs);
      this.world.tick();
      return json(200, { now: this.world.now(), speed: this.clock.getSpeed() });
    }
    if (p === '/_emulator/settings') {
      if (typeof input.defaultHostManagement === 'boolean') this.world.settings.defaultHostManagement = input.defaultHostManagement;
      return json(200, this.world.settings);
    }
    // Module routes (e.g. /_emulator/stack-failures) get the other control paths.
    return false;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = new Emulator(options);
  await e.start();
  return e;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
