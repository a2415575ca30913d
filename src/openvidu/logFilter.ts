/**
 * Searchable logs: a time window and an optional filter (plain text or an extended regular expression),
 * applied on the node by `grep` so only matching lines travel back over SSM. Every value is validated before
 * any call and single-quoted in the script (the builders of nodeCommands.ts). Pure.
 */
import {
  checkLineCount,
  checkServiceName,
  checkSince,
  isLogFileId,
  journalScript,
  LOG_FILES,
  logFileScript,
  serviceLogsScript,
  serviceLogsSinceScript,
  tailPollHead,
  tailPollScript,
  shellQuote,
  UnsafeValueError,
  OPENVIDU_DIR,
  type WindowSource,
} from './nodeCommands';
import { quoteInput } from './inputText';

export type LogWindow = { kind: 'last'; minutes: number } | { kind: 'since'; since: string };

export const LOG_WINDOWS: { label: string; window: LogWindow }[] = [
  { label: 'Last 15 minutes', window: { kind: 'last', minutes: 15 } },
  { label: 'Last hour', window: { kind: 'last', minutes: 60 } },
  { label: 'Last 24 hours', window: { kind: 'last', minutes: 24 * 60 } },
];

export interface LogFilter {
  pattern: string;
  /** an extended regular expression (grep -E) rather than plain text (grep -F) */
  regex: boolean;
  ignoreCase?: boolean;
}

export const MAX_FILTER_LENGTH = 200;

/** The instant a window starts at, as docker's --since wants it (RFC 3339 UTC with nanoseconds). */
export function windowSince(w: LogWindow, nowMs: number): string {
  if (w.kind === 'since') return checkSince(normalizeSince(w.since));
  if (!Number.isInteger(w.minutes) || w.minutes < 1 || w.minutes > 31 * 24 * 60) throw new UnsafeValueError('window', `The window must be 1 minute to 31 days (got ${w.minutes} minutes).`);
  return new Date(nowMs - w.minutes * 60_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** "2026-11-24 09:00", "2026-11-24T09:00:00Z"… → RFC 3339 UTC with nanoseconds; undefined-safe errors name the field. */
export function normalizeSince(text: string): string {
  const t = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d{1,9})?)?Z?$/.exec(t);
  if (!m) throw new UnsafeValueError('since', `${quoteInput(text)} is not a UTC date and time like 2026-11-24 09:00 or 2026-11-24T09:00:00Z.`);
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}Z`);
  if (!Number.isFinite(ms)) throw new UnsafeValueError('since', `${quoteInput(text)} is not a valid date.`);
  const frac = (m[4] ?? '.0').slice(1).padEnd(9, '0');
  return `${m[1]}T${m[2]}${(m[3] ?? ':00').slice(0, 3)}.${frac}Z`;
}

/**
 * Refuses a filter that cannot travel safely or would be slow or mean something else on the node: control
 * characters, over 200 characters, an invalid expression, and (for regular expressions) what POSIX ERE / GNU
 * grep reads differently or that can backtrack exponentially: backreferences, lookaround, `\d`, nested
 * repetition like `(a+)+`. Returns the filter; throws UnsafeValueError naming the field and the fix.
 */
export function checkLogFilter(f: LogFilter): LogFilter {
  const p = f.pattern;
  if (!p.length) throw new UnsafeValueError('filter', 'The filter is empty: leave it out to see every line.');
  if (p.length > MAX_FILTER_LENGTH) throw new UnsafeValueError('filter', `The filter is ${p.length} characters long; keep it to ${MAX_FILTER_LENGTH}.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(p)) throw new UnsafeValueError('filter', 'The filter contains a control character (newline, tab, NUL…): use a plain one-line pattern.');
  if (!f.regex) return f;
  try {
    new RegExp(p);
  } catch (e) {
    throw new UnsafeValueError('filter', `${quoteInput(p)} is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')}).`);
  }
  if (/\\[1-9]/.test(p)) throw new UnsafeValueError('filter', 'Backreferences (\\1…) are not supported: match the text itself.');
  if (/\(\?[=!<:]/.test(p)) throw new UnsafeValueError('filter', 'Lookahead, lookbehind and (?:…) groups are not part of grep -E: use plain (…) groups.');
  if (/\\[dD]/.test(p)) throw new UnsafeValueError('filter', '\\d is not part of grep -E: use [0-9].');
  if (/\([^()]*[+*][^()]*\)[+*{]/.test(p)) throw new UnsafeValueError('filter', 'Nested repetition such as (a+)+ can make the search very slow: simplify the pattern.');
  return f;
}

/** `-F|-E [-i] -e '<pattern>'`, grep's arguments for a checked filter (`-e`: a pattern starting with "-" stays a pattern). */
function grepArgs(filter: LogFilter): string {
  const f = checkLogFilter(filter);
  return `${f.regex ? '-E' : '-F'}${f.ignoreCase ? ' -i' : ''} -e ${shellQuote(f.pattern)}`;
}

/** ` | grep -F|-E [-i] -e '<pattern>'` after the filter was checked; '' without a filter. */
export function grepStage(filter?: LogFilter): string {
  return filter ? ` | grep ${grepArgs(filter)}` : '';
}

/** "/err(or)?/i" → a regular expression, case-insensitive; other text → plain text; '' → no filter. */
export function parseFilterInput(text: string): LogFilter | undefined {
  if (!text) return undefined;
  const m = /^\/(.*)\/(i?)$/.exec(text);
  return m ? { pattern: m[1], regex: true, ignoreCase: m[2] === 'i' } : { pattern: text, regex: false };
}

/** What Show Logs reads besides "the last N lines": a window start (RFC 3339 UTC) and a filter, both optional. */
export interface LogQuery {
  since?: string;
  filter?: LogFilter;
}

/**
 * Show Logs' first read of a service: the newest `lines` lines, since an instant and/or only the lines matching
 * the filter (grep before tail, so it is the newest `lines` MATCHING lines). Without a query, today's script.
 */
export function serviceQueryScript(service: string, lines: number, q: LogQuery = {}, known?: readonly string[]): string[] {
  if (!q.filter) return serviceLogsScript(service, lines, { since: q.since, known });
  const name = checkServiceName(service, known);
  const n = checkLineCount(lines);
  const since = q.since ? ` --since ${shellQuote(checkSince(q.since))}` : '';
  return [`cd ${OPENVIDU_DIR} && docker compose logs --no-color --timestamps${since} ${shellQuote(name)} 2>&1${grepStage(q.filter)} | tail -n ${n}`];
}

/** The next page of a long filtered read: the matching lines from an instant on (inclusive), at most `max`. */
export function servicePageQueryScript(service: string, since: string, max: number, filter?: LogFilter, known?: readonly string[]): string[] {
  if (!filter) return serviceLogsSinceScript(service, since, max, known);
  const name = checkServiceName(service, known);
  return [`cd ${OPENVIDU_DIR} && docker compose logs --no-color --timestamps --since ${shellQuote(checkSince(since))} ${shellQuote(name)} 2>&1${grepStage(filter)} | head -n ${checkLineCount(max, 'max')}`];
}

/**
 * journalctl's --since as a Unix time: systemd.time(7), "PARSING TIMESTAMPS": "a timestamp prefixed with @
 * is the number of seconds since the epoch UTC", so the node's time zone does not matter.
 */
function journalSince(since: string): string {
  const ms = Date.parse(checkSince(since));
  if (!Number.isFinite(ms)) throw new UnsafeValueError('since', `${quoteInput(since)} is not a valid date.`);
  return ` --since ${shellQuote(`@${Math.floor(ms / 1000)}`)}`;
}

/**
 * Show Logs' read of the journal or a known log file: the newest `lines` lines (matching the filter), the
 * journal also since an instant. Log files have no common timestamp format, so a window is refused for them.
 */
export function windowQueryScript(source: WindowSource, lines: number, q: LogQuery = {}): string[] {
  if (source.kind === 'journal') {
    if (!q.since && !q.filter) return journalScript(lines);
    const n = checkLineCount(lines);
    const since = q.since ? journalSince(q.since) : '';
    return [q.filter ? `journalctl -u openvidu${since} --no-pager 2>&1${grepStage(q.filter)} | tail -n ${n}` : `journalctl -u openvidu${since} -n ${n} --no-pager 2>&1`];
  }
  if (q.since) throw new UnsafeValueError('window', 'A log file has no common timestamp to cut a time window by: choose "last N lines" (with a filter if you like) for a file.');
  if (!q.filter) return logFileScript(source.id, lines);
  if (!isLogFileId(source.id)) return logFileScript(source.id, lines); // throws: unknown file
  return [`grep ${grepArgs(q.filter)} ${shellQuote(LOG_FILES[source.id].path)} 2>&1 | tail -n ${checkLineCount(lines)}`];
}

/** Lines `end - count + 1 .. end` of windowQueryScript()'s output, for reading it in pages. */
export function windowQueryPageScript(source: WindowSource, window: number, end: number, count: number, q: LogQuery = {}): string[] {
  return [`${windowQueryScript(source, window, q)[0]} | head -n ${checkLineCount(end, 'end')} | tail -n ${checkLineCount(count, 'count')}`];
}

/**
 * One poll of a filtered live tail: grep runs on the node between docker and the line cap, so only matching
 * lines travel; the first poll shows the newest `initial` matching lines, later ones the matching lines since
 * the cursor (at most `max`). The tail engine's cursor works on the matching lines as on all lines: each
 * carries docker's timestamp. Without a filter, tailPollScript() as it was.
 */
export function tailPollQueryScript(service: string, opts: { since?: string; initial?: number; max: number; known?: readonly string[]; filter?: LogFilter }): string[] {
  if (!opts.filter) return tailPollScript(service, opts);
  const logs = opts.since
    ? servicePageQueryScript(service, opts.since, opts.max, opts.filter, opts.known)
    : serviceQueryScript(service, opts.initial ?? opts.max, { filter: opts.filter }, opts.known);
  return [...tailPollHead(), ...logs];
}

/** How a query reads in a document header: "last hour, matching /err/i". */
export function describeFilter(f: LogFilter): string {
  return f.regex ? `/${f.pattern}/${f.ignoreCase ? 'i' : ''}` : JSON.stringify(f.pattern);
}

/** The same filter on the extension's side, for lines that are already here (the live tail): a predicate. */
export function lineMatcher(f: LogFilter): (line: string) => boolean {
  checkLogFilter(f);
  if (!f.regex) {
    const needle = f.ignoreCase ? f.pattern.toLowerCase() : f.pattern;
    return (line) => (f.ignoreCase ? line.toLowerCase() : line).includes(needle);
  }
  const re = new RegExp(f.pattern, f.ignoreCase ? 'i' : '');
  return (line) => re.test(line);
}
