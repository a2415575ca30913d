/**
 * The shell scripts the extension runs on OpenVidu nodes (as root, through SSM AWS-RunShellScript) and the
 * parsers of what they print. Pure. Every value that reaches a script is either from a fixed catalogue or
 * strictly validated and single-quoted: nothing typed or discovered is pasted into a script unchecked.
 */
import { quoteInput } from './inputText';

export const OPENVIDU_DIR = '/opt/openvidu';

/** Section markers our scripts print so one output carries several results. */
export const MARK = {
  active: '===OVHA:ACTIVE===',
  services: '===OVHA:SERVICES===',
  end: '===OVHA:END===',
} as const;

export class UnsafeValueError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsafeValueError';
  }
}

/** POSIX single quoting: safe for any string, including quotes and newlines. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** docker compose service / container names: lowercase letters, digits, `_`, `.`, `-`. */
const SERVICE_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

/**
 * A service name that may reach a remote command: it must look like a compose service name and, when the
 * node's discovered services are known, be one of them.
 */
export function checkServiceName(name: string, known?: readonly string[]): string {
  if (!SERVICE_NAME.test(name)) {
    throw new UnsafeValueError('service', `${quoteInput(name)} is not a valid service name: use the name of a service listed on the node (letters, digits, "-", "_", ".").`);
  }
  if (known && known.length && !known.includes(name)) {
    throw new UnsafeValueError('service', `The node has no service ${quoteInput(name)}. Known services: ${known.join(', ')}.`);
  }
  return name;
}

export function checkLineCount(n: number, field = 'lines'): number {
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UnsafeValueError(field, `Number of lines must be a whole number from 1 to 100000 (got ${n}).`);
  return n;
}

/** RFC 3339 instant as docker's --since accepts it (we always send UTC with nanoseconds). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
export function checkSince(since: string): string {
  if (!RFC3339.test(since)) throw new UnsafeValueError('since', `${quoteInput(since)} is not an RFC 3339 UTC timestamp like 2026-11-24T09:00:00.000000000Z.`);
  return since;
}

/** Log files worth reading on a node, by role. Only these paths can be read through "known log file". */
export const LOG_FILES = {
  'cloud-init-output': { path: '/var/log/cloud-init-output.log', roles: ['master', 'media'], title: 'Boot / install log (cloud-init output)' },
  'cloud-init': { path: '/var/log/cloud-init.log', roles: ['master', 'media'], title: 'cloud-init log' },
  'openvidu-restart': { path: '/var/log/openvidu-restart.log', roles: ['master'], title: 'OpenVidu restart log' },
  'nodes-errors': { path: '/var/log/openvidu/nodes_errors.log', roles: ['master'], title: 'Failing media nodes (nodes_errors.log)' },
  'stop-media-node': { path: '/var/log/stop_media_node.log', roles: ['media'], title: 'Media node drain log (stop_media_node.log)' },
} as const satisfies Record<string, { path: string; roles: readonly ('master' | 'media')[]; title: string }>;
export type LogFileId = keyof typeof LOG_FILES;

export function isLogFileId(id: string): id is LogFileId {
  return Object.prototype.hasOwnProperty.call(LOG_FILES, id);
}

// scripts ---------------------------------------------------------------------------------------

/**
 * Status of OpenVidu on a node: the systemd unit, then one compact line per compose service (a Go template,
 * so the output of a whole node stays far below SSM's 2,500-character inline limit and can be collected for
 * 50 nodes in one ListCommandInvocations call).
 */
export function statusScript(): string[] {
  return [
    `echo ${shellQuote(MARK.active)}`,
    'systemctl is-active openvidu || true',
    `echo ${shellQuote(MARK.services)}`,
    `cd ${OPENVIDU_DIR} && docker compose ps --all --format '{{.Service}}|{{.State}}|{{.Health}}|{{.Status}}|{{.Name}}' 2>&1 || true`,
    `echo ${shellQuote(MARK.end)}`,
  ];
}

/** Last `lines` lines of one service's logs, with timestamps, optionally only since an instant. */
export function serviceLogsScript(service: string, lines: number, opts: { since?: string; known?: readonly string[] } = {}): string[] {
  const name = checkServiceName(service, opts.known);
  const n = checkLineCount(lines);
  const since = opts.since ? ` --since ${shellQuote(checkSince(opts.since))}` : '';
  return [`cd ${OPENVIDU_DIR} && docker compose logs --no-color --timestamps --tail ${n}${since} ${shellQuote(name)} 2>&1`];
}

export function logFileScript(id: string, lines: number): string[] {
  if (!isLogFileId(id)) throw new UnsafeValueError('file', `Unknown log file ${quoteInput(id)}. Choose one of: ${Object.keys(LOG_FILES).join(', ')}.`);
  return [`tail -n ${checkLineCount(lines)} ${shellQuote(LOG_FILES[id].path)} 2>&1`];
}

export function journalScript(lines: number): string[] {
  return [`journalctl -u openvidu -n ${checkLineCount(lines)} --no-pager 2>&1`];
}

/**
 * Restart OpenVidu on the node (all services: `service` undefined), or one service's container. An empty or blank
 * name is refused: it must never widen into a restart of the whole node.
 */
export function restartScript(service?: string, known?: readonly string[]): string[] {
  if (service === undefined) return ['systemctl restart openvidu', 'systemctl is-active openvidu'];
  if (!service.trim()) throw new UnsafeValueError('service', 'No service name given: choose the service to restart (or restart OpenVidu on the whole node instead).');
  return [`cd ${OPENVIDU_DIR} && docker compose restart ${shellQuote(checkServiceName(service, known))} 2>&1`];
}

// parsing ---------------------------------------------------------------------------------------

export interface ServiceStatus {
  name: string;
  container?: string;
  /** running, restarting, exited, created, paused, dead */
  state: string;
  /** healthy, unhealthy, starting, or '' when the container has no healthcheck */
  health: string;
  /** docker's human status, e.g. "Up 3 hours (healthy)" */
  status: string;
}

export interface NodeStatus {
  /** `systemctl is-active openvidu`: active, inactive, failed, activating… */
  openvidu: string;
  services: ServiceStatus[];
  /** text that was not understood (e.g. docker errors) */
  problems: string[];
}

function section(stdout: string, start: string, end: string): string | undefined {
  const i = stdout.indexOf(start);
  if (i < 0) return undefined;
  const from = i + start.length;
  const j = stdout.indexOf(end, from);
  return stdout.slice(from, j < 0 ? undefined : j);
}

/** Parses statusScript() output. Also accepts `docker compose ps --format json` (an array or JSON lines). */
export function parseStatusOutput(stdout: string): NodeStatus {
  const active = section(stdout, MARK.active, MARK.services)?.trim().split('\n')[0]?.trim() ?? 'unknown';
  const body = section(stdout, MARK.services, MARK.end) ?? '';
  const { services, problems } = parseComposePs(body);
  return { openvidu: active || 'unknown', services, problems };
}

export function parseComposePs(text: string): { services: ServiceStatus[]; problems: string[] } {
  const services: ServiceStatus[] = [];
  const problems: string[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      for (const o of JSON.parse(trimmed) as Record<string, unknown>[]) services.push(fromJson(o));
      return { services: sortServices(services), problems };
    } catch {
      // fall through to line parsing
    }
  }
  for (const line of trimmed.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (line.startsWith('{')) {
      try {
        services.push(fromJson(JSON.parse(line) as Record<string, unknown>));
        continue;
      } catch {
        problems.push(line);
        continue;
      }
    }
    const parts = line.split('|');
    if (parts.length >= 4 && SERVICE_NAME.test(parts[0])) {
      services.push({ name: parts[0], state: parts[1], health: parts[2], status: parts[3], container: parts[4] || undefined });
    } else {
      problems.push(line);
    }
  }
  return { services: sortServices(services), problems };
}

function fromJson(o: Record<string, unknown>): ServiceStatus {
  return {
    name: String(o.Service ?? o.Name ?? ''),
    container: o.Name ? String(o.Name) : undefined,
    state: String(o.State ?? ''),
    health: String(o.Health ?? ''),
    status: String(o.Status ?? ''),
  };
}

/** Unhealthy first, then by name: what an operator needs to see first. */
export function serviceSeverity(s: ServiceStatus): number {
  if (s.health === 'unhealthy' || s.state === 'restarting' || s.state === 'dead') return 0;
  if (s.state === 'exited' || s.state === 'created' || s.state === 'paused') return 1;
  if (s.health === 'starting') return 2;
  return 3;
}

function sortServices(list: ServiceStatus[]): ServiceStatus[] {
  return list.sort((a, b) => serviceSeverity(a) - serviceSeverity(b) || a.name.localeCompare(b.name));
}

/** One line of `docker compose logs --timestamps`: `container  | 2026-…Z text`. */
export interface LogLine {
  container: string;
  timestamp: string;
  text: string;
}

const LOG_LINE = /^(\S+)\s+\|\s(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)\s?(.*)$/;

export function parseComposeLogLine(line: string): LogLine | undefined {
  const m = LOG_LINE.exec(line);
  return m ? { container: m[1], timestamp: m[2], text: m[3] } : undefined;
}

/** Compares docker RFC 3339 timestamps with up to nanosecond digits (string compare after padding). */
export function normalizeTimestamp(ts: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z`;
}

// logs in pages, live tail, restart checks, user commands ----------------------------------------

/** Markers of a tail poll's output: the node's clock and boot time, then the log lines. */
export const TAIL_MARK = {
  now: '===OVHA:NOW===',
  logs: '===OVHA:LOGS===',
} as const;

/**
 * The service's log lines from an instant on (inclusive, as docker's --since), oldest first, at most `max` of
 * them: a page of a long read, or one poll of a live tail. Never drops lines: what is beyond `max` is read by
 * the next page starting at the last timestamp received.
 */
export function serviceLogsSinceScript(service: string, since: string, max: number, known?: readonly string[]): string[] {
  const name = checkServiceName(service, known);
  return [`cd ${OPENVIDU_DIR} && docker compose logs --no-color --timestamps --since ${shellQuote(checkSince(since))} ${shellQuote(name)} 2>&1 | head -n ${checkLineCount(max, 'max')}`];
}

/**
 * One poll of a live tail: the node's UTC clock and boot time (a reboot shows as a new boot time), then either
 * the last `initial` lines (first poll) or the lines since an instant (at most `max`).
 */
export function tailPollScript(service: string, opts: { since?: string; initial?: number; max: number; known?: readonly string[] }): string[] {
  const logs = opts.since
    ? serviceLogsSinceScript(service, opts.since, opts.max, opts.known)
    : serviceLogsScript(service, opts.initial ?? opts.max, { known: opts.known });
  return [...tailPollHead(), ...logs];
}

/** A tail poll's lines before the logs: the node's UTC clock and boot time between the markers. */
export function tailPollHead(): string[] {
  return [`echo ${shellQuote(TAIL_MARK.now)}`, `date -u '+%Y-%m-%dT%H:%M:%S.%NZ'`, 'uptime -s', `echo ${shellQuote(TAIL_MARK.logs)}`];
}

export interface TailPollOutput {
  /** the node's clock when the poll ran (RFC 3339, UTC) */
  now?: string;
  /** `uptime -s`: when the node booted */
  bootedAt?: string;
  lines: LogLine[];
  /** output lines that are not log lines (docker errors) */
  problems: string[];
}

/** Parses tailPollScript() output; when SSM cut the output, the last (possibly partial) line is dropped. */
export function parseTailPoll(stdout: string, truncated = false): TailPollOutput {
  const head = section(stdout, TAIL_MARK.now, TAIL_MARK.logs);
  const [now, bootedAt] = (head ?? '').trim().split('\n').map((l) => l.trim());
  const i = stdout.indexOf(TAIL_MARK.logs);
  const body = i >= 0 ? stdout.slice(i + TAIL_MARK.logs.length + 1) : stdout;
  return { now: RFC3339.test(now ?? '') ? now : undefined, bootedAt: bootedAt || undefined, ...parseLogLines(body, truncated) };
}

/** `docker compose logs --timestamps` output → log lines (oldest first) and anything else. */
export function parseLogLines(text: string, truncated = false): { lines: LogLine[]; problems: string[] } {
  const raw = text.split('\n');
  if (truncated) raw.pop();
  const lines: LogLine[] = [];
  const problems: string[] = [];
  for (const l of raw) {
    if (!l) continue;
    const p = parseComposeLogLine(l);
    if (p) lines.push(p);
    else problems.push(l);
  }
  return { lines, problems };
}

/** A line window of a file or of the openvidu journal, for reading long outputs in pages. */
export type WindowSource = { kind: 'file'; id: string } | { kind: 'journal' };

/**
 * Lines `end - count + 1 .. end` of the window "last `window` lines" of a known log file or of the journal
 * (`… | head -n end | tail -n count`).
 */
export function windowPageScript(source: WindowSource, window: number, end: number, count: number): string[] {
  const base = source.kind === 'journal' ? journalScript(window)[0] : logFileScript(source.id, window)[0];
  return [`${base} | head -n ${checkLineCount(end, 'end')} | tail -n ${checkLineCount(count, 'count')}`];
}

/** `systemctl is-active openvidu` (never fails the command: the answer is the output). */
export function activeCheckScript(): string[] {
  return ['systemctl is-active openvidu || true'];
}

/**
 * A shell command typed by a power user ("Run a command on nodes…"): sent as typed, after an explicit
 * confirmation naming the targets. Only the shape is checked (not empty, one reasonable size, no NUL).
 */
export function userCommandScript(command: string): string[] {
  const c = command.trim();
  if (!c) throw new UnsafeValueError('command', 'Type a command to run.');
  if (c.length > 4000) throw new UnsafeValueError('command', 'The command is longer than 4000 characters: put it in a script on the node instead.');
  if (c.includes('\0')) throw new UnsafeValueError('command', 'The command contains a NUL character.');
  return [c];
}
