/**
 * Systems Manager Session Manager (JSON 1.1, target prefix AmazonSSM) and its data channel.
 *
 * API (SSM API reference):
 * - StartSession: `Target` (1-400 chars), optional `DocumentName` (default: the Session Manager shell,
 *   SSM-SessionManagerRunShell), `Parameters`, `Reason` (1-256 chars, no `<` `>`). Answers `SessionId`
 *   (`<caller name>-<17 hex>`), `StreamUrl` ("wss://ssmmessages.region.amazonaws.com/v1/data-channel/session-id
 *   ?stream=(input|output)"; here ws://127.0.0.1:<port>/v1/data-channel/<session-id>?stream=input) and `TokenValue`
 *   ("valid only long enough to ensure the connection is successful": here it opens one socket, once).
 *   Errors: `TargetNotConnected` (the node is not an Online managed node), `InvalidDocument` (no such document).
 * - ResumeSession: `SessionId` → a new `StreamUrl` + `TokenValue`; `DoesNotExistException` for an unknown or
 *   ended session.
 * - TerminateSession: `SessionId` → `SessionId`; the channel gets `channel_closed`, the session becomes History.
 * - DescribeSessions: `State` (Active | History, required), `MaxResults` 1-200, `NextToken`, `Filters` (keys
 *   InvokedAfter, InvokedBefore, Target, Owner, Status, SessionId). Session: SessionId, Target, Status (Connected,
 *   Connecting, Disconnected, Terminated, Terminating, Failed), StartDate, EndDate, DocumentName, Owner, Reason.
 *
 * Session Manager preferences: `idleSessionTimeout` 20 minutes by default (1-60); an idle session is terminated.
 *
 * Fault switches (control API): POST /_emulator/sessions/faults `{dropSockets?, loseEveryNth?, loseIncomingEveryNth?,
 * reorder?, idleTimeoutMs?, agentVersion?, tcpPort?}`; GET /_emulator/sessions lists every session with its agent's counters.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { Emulator, Handler, HttpRoute, ServiceModule, UpgradeRoute } from '../server';
import { AwsError } from '../protocol';
import type { Instance, World } from '../world';
import { AgentChannel, type ChannelFaults } from '../session-agent';
import { hostname, simNodeOf, ssmStatus } from './ssm';
import { runScript } from '../node-shell';

export const SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';
export const PORT_DOCUMENT = 'AWS-StartPortForwardingSession';
export const DEFAULT_IDLE_TIMEOUT_MS = 20 * 60_000;
/** the agent version the handshake announces (a 3.x agent: port forwarding mux-capable, TerminateSession flag) */
export const AGENT_VERSION = '3.3.1142.0';

export interface SimSession {
  sessionId: string;
  target: string;
  region: string;
  documentName: string;
  owner: string;
  reason?: string;
  status: 'Connecting' | 'Connected' | 'Disconnected' | 'Terminating' | 'Terminated' | 'Failed';
  startDate: number;
  endDate?: number;
  /** the one token that may open the next socket */
  token?: string;
  portNumber?: number;
  lastActivity: number;
  agent: AgentChannel;
  /** how the session ended, for tests */
  endReason?: string;
}

export interface SessionSettings extends ChannelFaults {
  /** Session Manager preference idleSessionTimeout (simulated ms) */
  idleTimeoutMs?: number;
  /** Session Manager preference shellProfile.linux reduced to its `cd <dir>`: where new shells start */
  shellProfileDir?: string;
  /** the agent version new sessions' handshakes announce (default AGENT_VERSION); 3.0.196.0 or older: no mux */
  agentVersion?: string;
  /** new port sessions connect to this port instead of the loopback service (a closed one: ConnectToPortError) */
  tcpPort?: number;
}

interface State {
  sessions: Map<string, SimSession>;
  faults: SessionSettings;
  emulatorPort?: number;
  loopback?: Server;
  loopbackPort?: number;
  idleTimer?: ReturnType<typeof setInterval>;
  wss: WebSocketServer;
}
const states = new WeakMap<World, State>();
function state(world: World): State {
  let s = states.get(world);
  if (!s) {
    s = { sessions: new Map(), faults: {}, wss: new WebSocketServer({ noServer: true, perMessageDeflate: false }) };
    states.set(world, s);
  }
  return s;
}

export function sessionsOf(world: World): SimSession[] {
  return [...state(world).sessions.values()];
}
export function setSessionFaults(world: World, faults: SessionSettings): void {
  state(world).faults = { ...faults };
}
/** drops every open data-channel socket (the client resumes with ResumeSession) */
export function dropSessionSockets(world: World): number {
  let n = 0;
  for (const s of state(world).sessions.values()) {
    if (s.agent.connected) {
      s.agent.dropSocket();
      s.status = 'Disconnected';
      n++;
    }
  }
  return n;
}

/**
 * A loopback HTTP service standing for whatever listens on a node's port: GET answers which node and port were
 * reached, POST echoes its body. One per emulator, on 127.0.0.1.
 */
async function loopback(st: State): Promise<number> {
  if (st.loopbackPort) return st.loopbackPort;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = req.method === 'POST' ? Buffer.concat(chunks) : Buffer.from(JSON.stringify({ reached: req.headers['x-forwarded-node'] ?? 'node', path: req.url, service: 'emulator loopback' }));
      res.writeHead(200, { 'content-type': req.method === 'POST' ? 'application/octet-stream' : 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  st.loopback = server;
  st.loopbackPort = (server.address() as AddressInfo).port;
  return st.loopbackPort;
}

function findInstance(world: World, region: string, target: string): Instance | undefined {
  return world.region(region).instances.get(target);
}

function newToken(): string {
  return randomBytes(48).toString('base64url');
}

function streamUrl(st: State, s: SimSession): string {
  return `ws://127.0.0.1:${st.emulatorPort ?? 0}/v1/data-channel/${s.sessionId}?stream=input`;
}

function endSession(world: World, s: SimSession, reason: string, output = ''): void {
  if (s.status === 'Terminated') return;
  s.agent.close(output);
  s.status = 'Terminated';
  s.endDate = world.now();
  s.endReason = reason;
  s.token = undefined;
}

const startSession: Handler = async ({ world, region, params, now, request }) => {
  const st = state(world);
  const target = String(params.Target ?? '');
  if (!target || target.length > 400) throw new AwsError('ValidationException', `1 validation error detected: Value '${target}' at 'target' failed to satisfy constraint: Member must have length between 1 and 400`);
  const documentName = String(params.DocumentName ?? SHELL_DOCUMENT);
  if (documentName !== SHELL_DOCUMENT && documentName !== PORT_DOCUMENT) throw new AwsError('InvalidDocument', `Document ${documentName} does not exist in your account`);
  const reason = params.Reason === undefined ? undefined : String(params.Reason);
  if (reason !== undefined && (reason.length < 1 || reason.length > 256 || /[<>]/.test(reason))) {
    throw new AwsError('ValidationException', "1 validation error detected: Value at 'reason' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.{1,256}$ without < or >");
  }
  const inst = findInstance(world, region.name, target);
  // TargetNotConnected: "The specified target managed node for the session isn't fully configured for use with
  // Session Manager" (StartSession errors): not a managed node, or its agent is not Online
  if (!inst || ssmStatus(world, inst) !== 'Online') throw new AwsError('TargetNotConnected', `${target} is not connected.`);
  let portNumber: number | undefined;
  if (documentName === PORT_DOCUMENT) {
    const p = (params.Parameters as Record<string, string[]> | undefined)?.portNumber?.[0] ?? '80';
    // the document's allowedPattern for portNumber: 1-65535
    if (!/^([1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])$/.test(p)) {
      throw new AwsError('InvalidParameters', `Parameter "portNumber" "${p}" does not match allowed pattern of the document ${PORT_DOCUMENT}.`);
    }
    portNumber = Number(p);
  }
  const tcpPort = documentName === PORT_DOCUMENT ? st.faults.tcpPort ?? (await loopback(st)) : undefined;
  const owner = `arn:aws:iam::${world.accountId}:user/emulator`;
  const sessionId = `emulator-${randomBytes(9).toString('hex').slice(0, 17)}`;
  const s: SimSession = {
    sessionId,
    target,
    region: region.name,
    documentName,
    owner,
    reason,
    status: 'Connecting',
    startDate: now,
    token: newToken(),
    portNumber,
    lastActivity: now,
    agent: undefined as unknown as AgentChannel,
  };
  s.agent = new AgentChannel({
    sessionType: documentName === PORT_DOCUMENT ? 'Port' : 'Standard_Stream',
    agentVersion: st.faults.agentVersion ?? AGENT_VERSION,
    tcpPort,
    faults: () => st.faults,
    onEnded: (why) => endSession(world, s, why),
    onActivity: () => {
      s.lastActivity = world.now();
    },
    startDir: st.faults.shellProfileDir,
    runLine: (line, cwd) => {
      const node = simNodeOf(inst);
      const r = runScript(node, line, {
        hostname: hostname(inst),
        instanceId: inst.instanceId,
        privateIp: inst.privateIpAddress,
        region: region.name,
        now: world.now(),
        tags: inst.tags,
        cwd,
      });
      return r.stdout + r.stderr;
    },
  });
  st.sessions.set(sessionId, s);
  void request;
  return { SessionId: sessionId, TokenValue: s.token, StreamUrl: streamUrl(st, s) };
};

function activeSession(world: World, id: unknown): SimSession {
  const s = state(world).sessions.get(String(id ?? ''));
  if (!s || s.status === 'Terminated' || s.status === 'Failed') throw new AwsError('DoesNotExistException', `Session ${String(id)} does not exist or has already ended.`);
  return s;
}

const resumeSession: Handler = ({ world, params }) => {
  const s = activeSession(world, params.SessionId);
  s.token = newToken();
  return { SessionId: s.sessionId, TokenValue: s.token, StreamUrl: streamUrl(state(world), s) };
};

const terminateSession: Handler = ({ world, params }) => {
  const id = String(params.SessionId ?? '');
  const s = state(world).sessions.get(id);
  if (!s) throw new AwsError('DoesNotExistException', `Session ${id} does not exist.`);
  endSession(world, s, 'TerminateSession');
  return { SessionId: id };
};

const describeSessions: Handler = ({ world, region, params }) => {
  const st = String(params.State ?? '');
  if (st !== 'Active' && st !== 'History') throw new AwsError('ValidationException', `1 validation error detected: Value '${st}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [Active, History]`);
  const max = params.MaxResults === undefined ? 200 : Number(params.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 200) throw new AwsError('ValidationException', "Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 200");
  const filters = (params.Filters as { key: string; value: string }[] | undefined) ?? [];
  let rows = [...state(world).sessions.values()].filter((s) => s.region === region.name && (st === 'History' ? s.status === 'Terminated' || s.status === 'Failed' : s.status !== 'Terminated' && s.status !== 'Failed'));
  for (const f of filters) {
    if (f.key === 'Target') rows = rows.filter((s) => s.target === f.value);
    else if (f.key === 'SessionId') rows = rows.filter((s) => s.sessionId === f.value);
    else if (f.key === 'Status') rows = rows.filter((s) => s.status === f.value);
    else if (f.key === 'Owner') rows = rows.filter((s) => s.owner === f.value);
    else if (f.key === 'InvokedAfter') rows = rows.filter((s) => s.startDate >= Date.parse(f.value));
    else if (f.key === 'InvokedBefore') rows = rows.filter((s) => s.startDate <= Date.parse(f.value));
    else throw new AwsError('ValidationException', `Invalid filter key ${f.key}`);
  }
  rows.sort((a, b) => b.startDate - a.startDate);
  const start = params.NextToken ? Number(Buffer.from(String(params.NextToken), 'base64').toString()) : 0;
  const page = rows.slice(start, start + max);
  return {
    Sessions: page.map((s) => ({
      SessionId: s.sessionId,
      Target: s.target,
      Status: s.status,
      StartDate: s.startDate / 1000,
      ...(s.endDate !== undefined ? { EndDate: s.endDate / 1000 } : {}),
      DocumentName: s.documentName,
      Owner: s.owner,
      ...(s.reason ? { Reason: s.reason } : {}),
    })),
    ...(start + max < rows.length ? { NextToken: Buffer.from(String(start + max)).toString('base64') } : {}),
  };
};

/** ws://…/v1/data-channel/<session-id>: the first text frame must carry the session's current token. */
const dataChannelRoute: UpgradeRoute = (req, socket, head, emulator: Emulator) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const m = /^\/v1\/data-channel\/([\w.-]+)$/.exec(url.pathname);
  if (!m) return false;
  const world = emulator.world;
  const st = state(world);
  st.wss.handleUpgrade(req, socket, head, (ws) => {
    const s = st.sessions.get(m[1]);
    ws.once('message', (data: Buffer, isBinary: boolean) => {
      let token: string | undefined;
      try {
        token = isBinary ? undefined : (JSON.parse(data.toString('utf8')) as { TokenValue?: string }).TokenValue;
      } catch {
        token = undefined;
      }
      if (!s || s.status === 'Terminated' || !s.token || token !== s.token) {
        ws.close(1008, 'invalid token');
        return;
      }
      s.token = undefined; // one socket per token
      s.status = 'Connected';
      s.lastActivity = world.now();
      s.agent.attach(ws, socket);
      ws.on('close', () => {
        if (s.status === 'Connected' && !s.agent.connected) s.status = 'Disconnected';
      });
    });
  });
  return true;
};

const controlRoute: HttpRoute = (req, res, url, body, emulator) => {
  if (!url.pathname.startsWith('/_emulator/sessions')) return false;
  const world = emulator.world;
  const st = state(world);
  const json = (v: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
    return true;
  };
  if (url.pathname === '/_emulator/sessions/faults' && req.method === 'POST') {
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const dropped = input.dropSockets ? dropSessionSockets(world) : 0;
    const { dropSockets: _d, ...faults } = input;
    void _d;
    setSessionFaults(world, faults as SessionSettings);
    return json({ ok: true, dropped });
  }
  if (url.pathname === '/_emulator/sessions') {
    return json(
      [...st.sessions.values()].map((s) => ({ sessionId: s.sessionId, target: s.target, status: s.status, documentName: s.documentName, size: s.agent.size, stats: s.agent.stats, mux: s.agent.mux?.stats, endReason: s.endReason })),
    );
  }
  return false;
};

export const ssmSessions: ServiceModule = {
  service: 'ssm',
  handlers: { StartSession: startSession, ResumeSession: resumeSession, TerminateSession: terminateSession, DescribeSessions: describeSessions },
  install(world) {
    const st = state(world);
    // idle sessions end after the Session Manager preference `idleSessionTimeout` (simulated time)
    st.idleTimer = setInterval(() => {
      const limit = st.faults.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      for (const s of st.sessions.values()) {
        if (s.status !== 'Terminated' && world.now() - s.lastActivity > limit) {
          endSession(world, s, 'idle timeout', 'Your session timed out due to inactivity and has been terminated.');
        }
      }
    }, 200);
    st.idleTimer.unref();
  },
  httpRoutes: [
    (req, res, url, body, emulator) => {
      // learn the emulator's port for StreamUrl from the first request it serves
      const st = state(emulator.world);
      if (!st.emulatorPort) st.emulatorPort = Number(new URL(emulator.endpoint || 'http://127.0.0.1:0').port);
      return controlRoute(req, res, url, body, emulator);
    },
  ],
  upgradeRoutes: [dataChannelRoute],
  async stop(emulator) {
    const st = state(emulator.world);
    if (st.idleTimer) clearInterval(st.idleTimer);
    for (const s of st.sessions.values()) s.agent.stop();
    st.wss.close();
    if (st.loopback) {
      st.loopback.closeAllConnections();
      await new Promise<void>((r) => st.loopback!.close(() => r()));
    }
  },
};
