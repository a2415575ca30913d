/**
 * Searchable logs: a time window and an optional filter (plain text or an extended regular expression),
 * applied on the node by `grep` so only matching lines travel back over SSM. Every value is validated before
 * any call and single-quoted in the script (the builders of nodeCommands.ts). Pure.
 */
import { checkLineCount, checkServiceName, checkSince, shellQuote, UnsafeValueError, OPENVIDU_DIR } from './nodeCommands';
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

/**
 * The logs of a service in a window, filtered on the node, at most `max` lines (the newest): docker compose
 * logs --since … | grep -F|-E [-i] -e '<filter>' | tail -n max. Without a filter, the window only.
 */
export function logSearchScript(service: string, opts: { since: string; filter?: LogFilter; max: number; known?: readonly string[] }): string[] {
  const name = checkServiceName(service, opts.known);
  const since = checkSince(opts.since);
  const max = checkLineCount(opts.max, 'max');
  const grep = opts.filter ? ` | grep ${checkLogFilter(opts.filter).regex ? '-E' : '-F'}${opts.filter.ignoreCase ? ' -i' : ''} -e ${shellQuote(opts.filter.pattern)}` : '';
  return [`cd ${OPENVIDU_DIR} && docker compose logs --no-color --timestamps --since ${shellQuote(since)} ${shellQuote(name)} 2>&1${grep} | tail -n ${max}`];
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
