/**
 * The one time format of the extension: what a person reads is local time with its zone
 * (`2026-11-24 11:00:05 CET`), what a tooltip or a copy needs is ISO 8601 UTC (`2026-11-24T10:00:05.000Z`).
 * Pure (no vscode): reports, tree tooltips, log headers and the deploy webview all use these two functions.
 */

export interface TimeFormatOptions {
  /** IANA zone; default the machine's zone (tests pass one so they do not depend on the machine) */
  timeZone?: string;
  /** BCP 47 locale for the zone's short name; default `en-GB` so the format does not change with the UI language */
  locale?: string;
}

/** `2026-11-24 11:00:05 CET`: local date and time (24 h, seconds) and the zone's short name. */
export function formatTime(at: Date | number | string, options: TimeFormatOptions = {}): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const parts = new Intl.DateTimeFormat(options.locale ?? 'en-GB', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(d);
  const p = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${p('timeZoneName')}`;
}

/** ISO 8601 in UTC, for tooltips and anything copied or compared. */
export function formatIso(at: Date | number | string): string {
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString();
}

/**
 * Which timestamp a log line shows (setting `openviduHa.logTimestamps`). Every line of `docker compose logs
 * --timestamps` carries docker's (when the line was received, RFC 3339 UTC, nanoseconds), and most OpenVidu
 * services start their text with their own: showing both doubles every line.
 * - `docker` (default): docker's, the same on every service and node (lines are ordered and merged by it); the
 *   service's own leading ISO timestamp is left out of the text;
 * - `service`: the line as the service wrote it, docker's left out (a line without its own timestamp has none);
 * - `both`: docker's, then the line as written.
 */
export type LogTimestamps = 'docker' | 'service' | 'both';
export const LOG_TIMESTAMPS: readonly LogTimestamps[] = ['docker', 'service', 'both'];

/** a leading ISO 8601 / RFC 3339 instant, optionally in brackets, and the blanks after it */
const LEADING_ISO = /^\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?[\t ]+/;

export function logLineText(dockerTimestamp: string, text: string, mode: LogTimestamps = 'docker'): string {
  if (mode === 'service') return text;
  if (mode === 'both') return `${dockerTimestamp} ${text}`;
  return `${dockerTimestamp} ${text.replace(LEADING_ISO, '')}`;
}

export function isLogTimestamps(v: unknown): v is LogTimestamps {
  return typeof v === 'string' && (LOG_TIMESTAMPS as readonly string[]).includes(v);
}
