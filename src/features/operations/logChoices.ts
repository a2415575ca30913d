/**
 * What Show Logs and Follow Logs ask before they read: which lines (the last N, as always, or a time window) and
 * an optional filter (plain text, or /regex/ with an optional i). Enter on both keeps the defaults: the first
 * time that is "the last N lines, every line" (what Show Logs did before it asked anything); after that the
 * choices of last time. The range is remembered per workspace (workspaceState), the filter only for the
 * session: a filter left over from yesterday would silently hide lines.
 */
import * as vscode from 'vscode';
import { checkLogFilter, describeFilter, LOG_WINDOWS, normalizeSince, parseFilterInput, windowSince, type LogFilter, type LogQuery, type LogWindow } from '../../openvidu/logFilter';

/** "the last N lines" (setting openviduHa.logLines), or a time window. */
export type LogRange = { kind: 'lines' } | LogWindow;

/** Answers given in advance (tests, other commands); what is missing is asked. */
export interface LogAnswers {
  range?: LogRange;
  /** '' for every line, `/regex/` or `/regex/i`, other text as plain text */
  filter?: string;
}

const RANGE_KEY = 'openviduHa.logs.range';

/** Where the choices are remembered: memory, and the workspace's Memento for the range when there is one. */
export class LogChoices {
  private range?: LogRange;
  /** Show Logs' last filter and the live tail's, each for the session */
  private readonly filters = new Map<'show' | 'tail', string>();

  constructor(private readonly memento?: vscode.Memento) {}

  lastRange(): LogRange | undefined {
    return this.range ?? this.memento?.get<LogRange>(RANGE_KEY);
  }

  lastFilter(which: 'show' | 'tail'): string {
    return this.filters.get(which) ?? '';
  }

  remember(which: 'show' | 'tail', filter: string, range?: LogRange): void {
    this.filters.set(which, filter);
    if (range) {
      this.range = range;
      void this.memento?.update(RANGE_KEY, range);
    }
  }
}

const same = (a: LogRange | undefined, b: LogRange | undefined) => JSON.stringify(a) === JSON.stringify(b);

export function describeRange(r: LogRange, lines: number): string {
  if (r.kind === 'lines') return `last ${lines} lines`;
  if (r.kind === 'since') return `since ${r.since} UTC, newest ${lines} lines at most`;
  const w = LOG_WINDOWS.find((x) => same(x.window, r));
  return `${(w?.label ?? `last ${r.minutes} minutes`).toLowerCase()}, newest ${lines} lines at most`;
}

/**
 * The range quick pick: the remembered choice first (Enter takes it), then the others. `windows` false (log
 * files: no common timestamp) asks nothing and answers "last N lines".
 */
export async function askRange(choices: LogChoices, opts: { title: string; lines: number; windows: boolean; now: number }): Promise<LogRange | undefined> {
  if (!opts.windows) return { kind: 'lines' };
  type Item = vscode.QuickPickItem & { range?: LogRange };
  const base: Item[] = [
    { label: `Last ${opts.lines} lines`, description: 'setting openviduHa.logLines', range: { kind: 'lines' } },
    ...LOG_WINDOWS.map((w): Item => ({ label: w.label, description: `newest ${opts.lines} lines at most`, range: w.window })),
    { label: 'Since…', description: 'a UTC date and time' },
  ];
  const last = choices.lastRange();
  const lastItem: Item | undefined = last?.kind === 'since' ? { label: `Since ${last.since} UTC`, range: last } : undefined;
  let items = lastItem ? [lastItem, ...base] : base;
  const i = items.findIndex((x) => same(x.range, last ?? { kind: 'lines' }));
  if (i > 0) items = [items[i], ...items.slice(0, i), ...items.slice(i + 1)];
  items = items.map((x, k) => (k === 0 && last ? { ...x, description: [x.description, 'last used'].filter(Boolean).join(' · ') } : x));
  const picked = await vscode.window.showQuickPick(items, { title: opts.title, placeHolder: 'Which lines? Enter: the first choice' });
  if (!picked) return undefined;
  if (picked.range) return picked.range;
  const since = await vscode.window.showInputBox({
    title: `${opts.title}: since (UTC)`,
    value: new Date(opts.now - 3_600_000).toISOString().slice(0, 16).replace('T', ' '),
    validateInput: (v) => {
      try {
        normalizeSince(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  return since === undefined ? undefined : { kind: 'since', since: since.trim() };
}

/** The filter input box: empty (or the session's last filter, selected so typing replaces it). '' is no filter. */
export async function askFilter(choices: LogChoices, which: 'show' | 'tail', title: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: 'Only lines containing this text, or matching /regular expression/ (an i after the closing / ignores case). Empty: every line. Applied on the node.',
    placeHolder: 'every line',
    value: choices.lastFilter(which),
    validateInput: (v) => filterProblem(v),
  });
}

export function filterProblem(text: string): string | undefined {
  try {
    const f = parseFilterInput(text);
    if (f) checkLogFilter(f);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The query a range and a filter text make (throws UnsafeValueError naming the field on a bad value). */
export function toQuery(range: LogRange, filterText: string, now: number): LogQuery {
  const filter: LogFilter | undefined = parseFilterInput(filterText);
  if (filter) checkLogFilter(filter);
  return { since: range.kind === 'lines' ? undefined : windowSince(range, now), filter };
}

export { describeFilter };
