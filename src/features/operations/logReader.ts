/**
 * Reads the last N lines of a service's logs, a known log file or the openvidu journal on one node over SSM,
 * whole: SSM keeps only the first 24,000 characters of an output, so a read that hits the limit continues in
 * smaller pages and the pages are stitched. Service logs page forward with `--since <last timestamp> | head -n M`
 * (the boundary instant deduplicated); files and the journal page through the same window with
 * `… | head -n E | tail -n M`, each page overlapping the previous one by a line to prove it still lines up.
 * Whatever could not be read is listed in `notes` for the document header. No vscode import.
 */
import { runShellScript, type NodeCommandResult, type RunOptions } from '../../aws/ssmCommands';
import type { AwsSession } from '../../aws/session';
import { parseLogLines, type WindowSource } from '../../openvidu/nodeCommands';
import { servicePageQueryScript, serviceQueryScript, windowQueryPageScript, windowQueryScript, type LogQuery } from '../../openvidu/logFilter';
import { BoundaryCursor } from '../../openvidu/tail';
import { logLineText, type LogTimestamps } from '../../openvidu/timeFormat';

/** what one page may hold, leaving room under SSM's 24,000 characters */
const PAGE_BUDGET = 18_000;
/** lines each window page repeats from the previous one, to find where it continues */
const OVERLAP = 20;

/**
 * Where the last lines we have (`out`) end inside a new page (`got`): the index in `got` of our last line,
 * matched with up to 3 lines of context, searching from the expected index (`expect`) towards the start of the
 * page first (the window only moves forward), then after it (a window shorter than asked).
 */
export function realign(out: readonly string[], got: readonly string[], expect: number): number | undefined {
  const k = Math.min(3, out.length);
  if (!k) return -1;
  const matches = (j: number) => {
    for (let i = 0; i < k; i++) if (j - i < 0 || got[j - i] !== out[out.length - 1 - i]) return j - i < 0 && i > 0;
    return true;
  };
  for (let j = Math.min(expect, got.length - 1); j >= 0; j--) if (matches(j)) return j;
  for (let j = expect + 1; j < got.length; j++) if (matches(j)) return j;
  return undefined;
}

export type LogSource = { kind: 'service'; service: string; known?: readonly string[]; timestamps?: LogTimestamps } | WindowSource;

export interface LogRead {
  lines: string[];
  /** SSM commands sent */
  reads: number;
  /** anything that had to be left out or may be inexact */
  notes: string[];
  /** output lines that were not log lines (docker errors), service logs only */
  problems: string[];
}

export class NodeCommandError extends Error {
  constructor(readonly result: NodeCommandResult | undefined) {
    super(
      result
        ? `The command ${result.status}${result.statusDetails && result.statusDetails !== result.status ? ` (${result.statusDetails})` : ''}${result.stderr ? `: ${result.stderr.trim().split('\n').slice(-1)[0]}` : ''}.`
        : 'No answer from the node.',
    );
    this.name = 'NodeCommandError';
  }
}

async function runOne(session: AwsSession, instanceId: string, commands: string[], opts: RunOptions): Promise<NodeCommandResult> {
  const r = (await runShellScript(session, [instanceId], commands, { timeoutSeconds: 60, executionTimeoutSeconds: 120, ...opts })).get(instanceId);
  if (!r || r.status !== 'Success') {
    // a log command whose last step failed (file missing) still printed something useful
    if (r && r.status === 'Failed' && r.stdout) return r;
    throw new NodeCommandError(r);
  }
  return r;
}

function pageSize(sample: number, chars: number, max: number): number {
  const avg = sample > 0 ? Math.max(40, chars / sample) : 200;
  return Math.max(1, Math.min(max, Math.floor(PAGE_BUDGET / avg)));
}

/**
 * `query` narrows the read on the node: a window start (service logs and the journal) and a filter (grep), so
 * only matching lines travel; `lines` then caps the newest matching lines. Every value is checked first.
 */
export async function readLogs(session: AwsSession, instanceId: string, source: LogSource, lines: number, opts: RunOptions = {}, query: LogQuery = {}): Promise<LogRead> {
  return source.kind === 'service' ? readService(session, instanceId, source.service, lines, source.known, opts, source.timestamps, query) : readWindow(session, instanceId, source, lines, opts, query);
}

async function readService(session: AwsSession, instanceId: string, service: string, n: number, known: readonly string[] | undefined, opts: RunOptions, timestamps: LogTimestamps | undefined, query: LogQuery): Promise<LogRead> {
  // built (and so checked) before anything is sent
  const script = serviceQueryScript(service, n, query, known);
  const first = await runOne(session, instanceId, script, { ...opts, comment: `OpenVidu HA: ${service} logs` });
  let reads = 1;
  const notes: string[] = [];
  const parsed = parseLogLines(first.stdout, first.truncated);
  const problems = [...parsed.problems];
  const cursor = new BoundaryCursor();
  const out = cursor.accept(parsed.lines).map((l) => logLineText(l.timestamp, l.text, timestamps));
  if (first.truncated) {
    let size = pageSize(parsed.lines.length, first.stdout.length, n);
    for (let guard = 0; guard < 10_000 && cursor.since; guard++) {
      const page = await runOne(session, instanceId, servicePageQueryScript(service, cursor.since, size, query.filter, known), { ...opts, comment: `OpenVidu HA: ${service} logs (page)` });
      reads++;
      const p = parseLogLines(page.stdout, page.truncated);
      const fresh = cursor.accept(p.lines);
      out.push(...fresh.map((l) => logLineText(l.timestamp, l.text, timestamps)));
      if (!page.truncated && p.lines.length < size) break; // caught up with the end of the log
      if (page.truncated) size = Math.max(1, Math.floor(Math.max(1, p.lines.length) * 0.8));
      if (!fresh.length) {
        if (size > 1 && page.truncated) continue;
        notes.push(`Some lines at ${cursor.since} could not be read: at one instant there are more lines than one read can hold, or a line is longer than SSM's 24,000-character limit.`);
        break;
      }
    }
  }
  const kept = out.length > n ? out.slice(-n) : out;
  return { lines: kept, reads, notes, problems };
}

async function readWindow(session: AwsSession, instanceId: string, source: WindowSource, n: number, opts: RunOptions, query: LogQuery): Promise<LogRead> {
  const base = windowQueryScript(source, n, query);
  const what = source.kind === 'journal' ? 'journal' : source.id;
  const first = await runOne(session, instanceId, base, { ...opts, comment: `OpenVidu HA: ${what}` });
  let reads = 1;
  const notes: string[] = [];
  const split = (text: string, truncated: boolean) => {
    const ls = text.split('\n');
    if (truncated || text.endsWith('\n')) ls.pop();
    return ls;
  };
  const out = split(first.stdout, first.truncated);
  if (!first.truncated) return { lines: out, reads, notes, problems: [] };
  let size = pageSize(out.length, first.stdout.length, n);
  let lost = false;
  // how many lines the window moved since the first read (the journal grows while it is read)
  let shift = 0;
  // how far back each page starts: more than the window moved between the last two pages
  let wanted = OVERLAP;
  let retries = 0;
  while (out.length - shift < n) {
    const have = out.length;
    // where our last line is in the window now, if it did not move since the last page
    const pos = have - shift;
    const overlap = Math.max(1, Math.min(wanted, Math.floor(size * 0.75), pos));
    const from = pos - overlap + 1;
    const end = Math.min(n, Math.max(pos + 1, from + size - 1));
    const count = end - from + 1;
    const page = await runOne(session, instanceId, windowQueryPageScript(source, n, end, count, query), { ...opts, comment: `OpenVidu HA: ${what} (page)` });
    reads++;
    const got = split(page.stdout, page.truncated);
    // where our last lines reappear tells exactly where to continue
    const at = realign(out, got, overlap - 1);
    if (at === undefined && retries < 3 && overlap < Math.min(pos, Math.floor(size * 0.75))) {
      // moved further than the overlap: read the same part again from further back
      wanted = overlap * 3;
      retries++;
      continue;
    }
    retries = 0;
    if (at === undefined) lost = true;
    else {
      const moved = overlap - 1 - at;
      shift += moved;
      wanted = Math.max(OVERLAP, 2 * Math.abs(moved) + 5);
    }
    const fresh = got.slice(at === undefined ? overlap : at + 1);
    out.push(...fresh);
    if (!fresh.length) {
      if (page.truncated) notes.push(`Reading stopped at line ${have} of ${n}: a line is longer than SSM's 24,000-character limit.`);
      break; // else: the end of the window
    }
    if (!page.truncated && got.length < count) break; // the end of the window
    if (page.truncated) size = Math.max(2, Math.floor(got.length * 0.8));
  }
  if (lost) notes.push(`The ${source.kind === 'journal' ? 'journal' : 'file'} grew fast while it was read in ${reads} parts: some lines at a join may be missing.`);
  // a window that moved while it was read: the newest n lines
  return { lines: out.length > n ? out.slice(-n) : out, reads, notes, problems: [] };
}
