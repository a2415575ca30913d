import * as vscode from 'vscode';
import type { DashboardFeature } from '../feature';
import type { ExplorerNode, InstanceNode } from '../../explorer';
import { checkLogFilter, LOG_WINDOWS, logSearchScript, normalizeSince, windowSince, type LogFilter, type LogWindow } from '../../../openvidu/logFilter';
import { UnsafeValueError } from '../../../openvidu/nodeCommands';

const MAX_LINES = 2000;

export interface SearchAnswers {
  window?: LogWindow;
  /** `/regex/` for a regular expression, other text as plain text, '' for no filter */
  filter?: string;
}

/** "/err(or)?/i" → regex, case-insensitive; other text → plain text. */
export function parseFilterInput(text: string): LogFilter | undefined {
  if (!text) return undefined;
  const m = /^\/(.*)\/(i?)$/.exec(text);
  return m ? { pattern: m[1], regex: true, ignoreCase: m[2] === 'i' } : { pattern: text, regex: false };
}

/**
 * Search Logs: a time window (remembered) and an optional filter (plain text, or /regex/), applied on the
 * node by grep so only matching lines travel; values are validated before any call. Returns the lines.
 */
export async function searchLogs(feature: DashboardFeature, node?: ExplorerNode, answers: SearchAnswers = {}): Promise<string[] | undefined> {
  const target: { instance: InstanceNode; service: string } | undefined =
    node?.kind === 'service' ? { instance: node.instance, service: node.service.name } : undefined;
  if (!target) {
    void vscode.window.showInformationMessage('Search Logs works on a service of a node: run a status check, then use it on a service row.');
    return undefined;
  }
  let window = answers.window;
  if (!window) {
    const items = [...LOG_WINDOWS.map((w) => ({ label: w.label, window: w.window as LogWindow | undefined })), { label: 'Since…', window: undefined }];
    const last = feature.lastLogWindow;
    const picked = await vscode.window.showQuickPick(
      items.map((i) => ({ ...i, description: last && JSON.stringify(last) === JSON.stringify(i.window) ? 'last used' : undefined })),
      { title: `Search the logs of ${target.service}: time window` },
    );
    if (!picked) return undefined;
    window = picked.window;
    if (!window) {
      const since = await vscode.window.showInputBox({
        title: 'Logs since (UTC)',
        value: new Date(feature.now() - 3_600_000).toISOString().slice(0, 16).replace('T', ' '),
        validateInput: (v) => {
          try {
            normalizeSince(v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (!since) return undefined;
      window = { kind: 'since', since };
    }
  }
  const filterText =
    answers.filter ??
    (await vscode.window.showInputBox({
      title: `Filter the logs of ${target.service} (optional)`,
      prompt: 'Plain text, or /regular expression/ (add i after the closing / to ignore case). Empty: every line.',
      value: feature.lastLogFilter ?? '',
      validateInput: (v) => {
        try {
          const f = parseFilterInput(v);
          if (f) checkLogFilter(f);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }));
  if (filterText === undefined) return undefined;
  let script: string[];
  try {
    const filter = parseFilterInput(filterText);
    script = logSearchScript(target.service, { since: windowSince(window, feature.now()), filter, max: MAX_LINES, known: feature.app.nodeStatus.services(target.instance.node.instanceId) });
  } catch (e) {
    void vscode.window.showErrorMessage(`Logs not searched: ${e instanceof UnsafeValueError ? e.message : String(e)}`);
    return undefined;
  }
  feature.lastLogWindow = window;
  feature.lastLogFilter = filterText;
  const { runShellScript } = await import('../../../aws/ssmCommands');
  const id = target.instance.node.instanceId;
  let lines: string[];
  let cut = false;
  try {
    const r = (await runShellScript(feature.app.session(target.instance.region), [id], script)).get(id);
    if (!r || r.status !== 'Success') throw new Error(`the command ${r?.status ?? 'did not run'} on ${id}${r?.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`);
    lines = r.stdout.split('\n').filter(Boolean);
    cut = r.truncated;
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not search the logs of ${target.service}: ${e instanceof Error && !('$metadata' in e) ? e.message : feature.app.describeError(e, target.instance.region)}`);
    return undefined;
  }
  const header = `# ${target.service} on ${id}, ${window.kind === 'last' ? `last ${window.minutes} min` : `since ${window.since}`}${filterText ? `, matching ${filterText}` : ''}: ${lines.length} line(s)${lines.length >= MAX_LINES ? ` (the newest ${MAX_LINES})` : ''}${cut ? ' — cut at SSM\'s output limit: narrow the window or the filter' : ''}`;
  if (cut) void vscode.window.showWarningMessage(`The logs of ${target.service} were cut at SSM's 24,000-character output limit: narrow the time window or add a filter.`);
  const doc = await vscode.workspace.openTextDocument({ content: [header, ...lines].join('\n'), language: 'log' } as never);
  await vscode.window.showTextDocument(doc as never, { preview: true });
  return lines;
}
