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
import {
  journalScript,
  logFileScript,
  parseLogLines,
  serviceLogsScript,
  serviceLogsSinceScript,
  windowPageScript,
  type WindowSource,
} from '../../openvidu/nodeCommands';
import { BoundaryCursor } from '../../openvidu/tail';

/** what one page may hold, leaving room under SSM's 24,000 characters */
const PAGE_BUDGET = 18_000;

export type LogSource = { kind: 'service'; service: string; known?: readonly string[] } | WindowSource;

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
  const r = (await runShellScript(session, [instanceId], commands, { timeoutSeconds: 60, ...opts })).get(instanceId);
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

export async function readLogs(session: AwsSession, instanceId: string, source: LogSource, lines: number, opts: RunOptions = {}): Promise<LogRead> {
  return source.kind === 'service' ? readService(session, instanceId, source.service, lines, source.known, opts) : readWindow(session, instanceId, source, lines, opts);
}

async function readService(session: AwsSession, instanceId: string, service: string, n: number, known: readonly string[] | undefined, opts: RunOptions): Promise<LogRead> {
  const first = await runOne(session, instanceId, serviceLogsScript(service, n, { known }), { ...opts, comment: `OpenVidu HA: ${service} logs` });
  let reads = 1;
  const notes: string[] = [];
  const parsed = parseLogLines(first.stdout, first.truncated);
  const problems = [...parsed.problems];
  const cursor = new BoundaryCursor();
  const out = cursor.accept(parsed.lines).map((l) => `${l.timestamp} ${l.text}`);
  if (first.truncated) {
    let size = pageSize(parsed.lines.length, first.stdout.length, n);
    for (let guard = 0; guard < 10_000 && cursor.since; guard++) {
      const page = await runOne(session, instanceId, serviceLogsSinceScript(service, cursor.since, size, known), { ...opts, comment: `OpenVidu HA: ${service} logs (page)` });
      reads++;
      const p = parseLogLines(page.stdout, page.truncated);
      const fresh = cursor.accept(p.lines);
      out.push(...fresh.map((l) => `${l.timestamp} ${l.text}`));
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

async function readWindow(session: AwsSession, instanceId: string, source: WindowSource, n: number, opts: RunOptions): Promise<LogRead> {
  const base = source.kind === 'journal' ? journalScript(n) : logFileScript(source.id, n);
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
  let shifted = false;
  while (out.length < n) {
    const have = out.length;
    const end = Math.min(n, have + size - 1);
    // lines have..end of the window: the first one is our last line again
    const page = await runOne(session, instanceId, windowPageScript(source, n, end, end - have + 1), { ...opts, comment: `OpenVidu HA: ${what} (page)` });
    reads++;
    const got = split(page.stdout, page.truncated);
    if (got[0] !== out[have - 1]) shifted = true;
    const fresh = got.slice(1);
    out.push(...fresh);
    if (!page.truncated && got.length < end - have + 1) break; // the window is shorter than n lines
    if (page.truncated) size = Math.max(2, Math.floor(got.length * 0.8));
    if (!fresh.length) {
      notes.push(`Reading stopped at line ${have} of ${n}: a line is longer than SSM's 24,000-character limit.`);
      break;
    }
  }
  if (shifted) notes.push(`The ${source.kind === 'journal' ? 'journal' : 'file'} grew while it was read in ${reads} parts: a few lines at the joins may be repeated or missing.`);
  return { lines: out, reads, notes, problems: [] };
}
