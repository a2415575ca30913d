import * as vscode from 'vscode';
import { CommandCancelledError } from '../../../aws/ssmCommands';
import { LOG_FILES, type LogFileId, UnsafeValueError, checkLineCount, checkServiceName } from '../../../openvidu/nodeCommands';
import { targetOrPick, type ClusterTreeProvider, type ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { logDocumentSegments, nodeTitle, type LogDocuments } from '../logDocuments';
import { readLogs, type LogSource } from '../logReader';
import { discoverServices, logTimestampsSetting, numberSetting, warnUnreachable, type OneNode } from '../nodeHelpers';
import { checkReachability } from '../reachability';
import { nodeLabel } from '../targets';
import { formatTime } from '../../../openvidu/timeFormat';
import { askFilter, askRange, describeFilter, describeRange, toQuery, type LogAnswers, type LogRange } from '../logChoices';
import type { LogQuery } from '../../../openvidu/logFilter';

export interface PickedLog {
  source: LogSource;
  /** document name: the service, file id or "journal" */
  name: string;
  title: string;
}

/** A service discovered on the node, a known log file of its role, or the openvidu journal. */
export async function pickLogSource(app: AppContext, target: OneNode, title: string, signal?: AbortSignal): Promise<PickedLog | undefined> {
  const services = (await discoverServices(app, target.region, [target.node], signal)).get(target.node.instanceId) ?? [];
  type Item = vscode.QuickPickItem & { pick?: PickedLog };
  const items: Item[] = [
    ...services.map((s): Item => ({ label: `$(symbol-event) ${s}`, description: 'service · docker compose logs', pick: { source: { kind: 'service', service: s, known: services }, name: s, title: `${s} logs` } })),
    ...(Object.entries(LOG_FILES) as [LogFileId, (typeof LOG_FILES)[LogFileId]][])
      .filter(([, f]) => (f.roles as readonly string[]).includes(target.node.role))
      .map(([id, f]): Item => ({ label: `$(file) ${f.title}`, description: f.path, pick: { source: { kind: 'file', id }, name: id, title: f.title } })),
    { label: '$(output) systemd journal (openvidu.service)', description: 'journalctl -u openvidu', pick: { source: { kind: 'journal' }, name: 'journal', title: 'openvidu journal' } },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: services.length ? 'Service or log file' : 'No services discovered on the node: a log file or the journal', matchOnDescription: true });
  return picked?.pick;
}

/**
 * The last N lines (setting `openviduHa.logLines`) of a service, a log file or the journal of one node, or the
 * newest of them in a time window, all lines or only those matching a filter (grep on the node, so only
 * matching lines travel), whole even above SSM's 24,000-character output limit, in a read-only `log` document
 * named after the node. Enter on the two questions keeps the defaults (see logChoices.ts).
 */
export async function showLogs(app: AppContext, explorer: ClusterTreeProvider, docs: LogDocuments, item?: ExplorerNode, answers: LogAnswers = {}, now = () => Date.now()): Promise<vscode.Uri | undefined> {
  const row = await targetOrPick(explorer, item, 'Show logs of node…', 'node');
  if (!row) return undefined;
  // a service row: that service's logs, without asking
  const target: OneNode = { region: row.region, stack: row.stack, node: row.node, service: row.kind === 'service' ? row.service : undefined };
  const label = nodeLabel(target.node);
  let lines: number;
  let picked: PickedLog | undefined;
  try {
    // answers given in advance are checked before anything is sent
    if (answers.range || answers.filter !== undefined) toQuery(answers.range ?? { kind: 'lines' }, answers.filter ?? '', now());
    lines = checkLineCount(numberSetting('logLines', 500, 1, 100_000));
    if (target.service) {
      const known = app.nodeStatus.services(target.node.instanceId);
      picked = { source: { kind: 'service', service: checkServiceName(target.service, known), known }, name: target.service, title: `${target.service} logs` };
    }
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
    return undefined;
  }
  const { reachable, unreachable } = await checkReachability(app, target.region, [target.node]);
  if (!reachable.length) {
    await warnUnreachable(target.stack, [target.node], unreachable, 'logs');
    return undefined;
  }
  picked ??= await pickLogSource(app, target, `Logs of ${target.stack.summary.stackName} · ${label}`);
  if (!picked) return undefined;
  const choice: PickedLog = picked.source.kind === 'service' ? { ...picked, source: { ...picked.source, timestamps: logTimestampsSetting() } } : picked;
  const asked = `${choice.title} of ${target.stack.summary.stackName} · ${label}`;
  const range: LogRange | undefined = answers.range ?? (await askRange(docs.choices, { title: asked, lines, windows: choice.source.kind !== 'file', now: now() }));
  if (!range) return undefined;
  const filterText = answers.filter ?? (await askFilter(docs.choices, 'show', `Filter ${asked} (optional)`));
  if (filterText === undefined) return undefined;
  let query: LogQuery;
  try {
    query = toQuery(range, filterText, now());
  } catch (e) {
    void vscode.window.showErrorMessage(`Logs not read: ${(e as Error).message}`);
    return undefined;
  }
  docs.choices.remember('show', filterText, choice.source.kind === 'file' ? undefined : range);
  const at = new Date();
  try {
    const read = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${choice.title} of ${label}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return readLogs(app.session(target.region), target.node.instanceId, choice.source, lines, {
          signal: abort.signal,
          onProgress: () => progress.report({ message: 'waiting for the node…' }),
        }, query);
      },
    );
    // metadata only: log text may contain the cluster's secrets
    app.output.info(`logs ${choice.name} on ${target.node.instanceId}: ${read.lines.length} lines in ${read.reads} SSM command(s)`);
    const header = [
      `# ${target.stack.summary.stackName} · ${nodeTitle(label, target.node.instanceId)} · ${choice.title}`,
      `# ${describeRange(range, lines)}${query.filter ? `, matching ${describeFilter(query.filter)} (filtered on the node)` : ''} requested, ${read.lines.length} shown · read ${formatTime(at)} in ${read.reads} SSM command${read.reads === 1 ? '' : 's'}${read.reads > 1 ? ' (output above 24,000 characters, read in parts and joined)' : ''}`,
      ...read.notes.map((n) => `# left out: ${n}`),
      ...read.problems.slice(0, 5).map((p) => `# ${p}`),
      '',
    ];
    const uri = docs.uri(logDocumentSegments(target.stack.summary.stackName, label, choice.name));
    return await docs.show(uri, `${header.join('\n')}\n${read.lines.join('\n')}\n`);
  } catch (e) {
    if (e instanceof CommandCancelledError) void vscode.window.showWarningMessage(e.message);
    else if (e instanceof UnsafeValueError) void vscode.window.showErrorMessage(e.message);
    else void vscode.window.showErrorMessage(`Logs of ${label} could not be read: ${e instanceof Error && e.name === 'NodeCommandError' ? e.message : app.describeError(e, target.region)}`);
    return undefined;
  }
}
