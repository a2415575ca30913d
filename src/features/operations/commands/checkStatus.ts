import * as vscode from 'vscode';
import { CommandCancelledError } from '../../../aws/ssmCommands';
import { formatStatusReport, type StatusRow } from '../../../openvidu/statusReport';
import { healthSummaryText, summarizeHealth } from '../../../openvidu/health';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import type { ReportDocuments } from '../reportDocument';
import { checkNodeStatus } from '../statusPipeline';
import { resolveTargets } from '../targets';

/**
 * Service status of one node, a node group or a whole stack: one SSM command to up to 50 nodes at a time,
 * parsed into services shown under each node in the explorer; for several nodes, also a report document.
 */
export async function checkStatus(app: AppContext, explorer: ClusterTreeProvider, reports: ReportDocuments, node?: ExplorerNode): Promise<StatusRow[] | undefined> {
  const targets = await resolveTargets(explorer, node, 'Check service status of…');
  if (!targets) return undefined;
  if (!targets.nodes.length) {
    void vscode.window.showWarningMessage(`${targets.label}: there are no nodes to check.`);
    return [];
  }
  const check = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking services on ${targets.label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return checkNodeStatus(app, targets.region, targets.nodes, {
        signal: abort.signal,
        onReachability: (r) => progress.report({ message: `${r.reachable.length} of ${targets.nodes.length} nodes reachable over SSM` }),
        onProgress: (done, total) => progress.report({ message: `${done}/${total} nodes answered` }),
      });
    },
  ).then(
    (value) => value,
    (e: unknown) => {
      if (e instanceof CommandCancelledError) void vscode.window.showWarningMessage(e.message);
      else void vscode.window.showErrorMessage(`Service status of ${targets.label} failed: ${app.describeError(e, targets.region)}`);
      return undefined;
    },
  );
  if (!check) return undefined;
  const { rows, at } = check;
  if (targets.scope !== 'node') await reports.show(`${targets.stack.summary.stackName}-status`, formatStatusReport(targets.label, rows, at), { rendered: true });
  // Nodes that could not be checked are counted apart, never as unhealthy; expected exits are not problems.
  const health = summarizeHealth(rows);
  const summary = healthSummaryText(targets.label, health);
  const where = targets.scope !== 'node' ? ' and the report' : '';
  if (health.problems) void vscode.window.showWarningMessage(`${summary} See the services under each node${where}.`);
  else if (health.notChecked) void vscode.window.showInformationMessage(`${summary} ${where ? 'The report says' : 'The row under the node says'} why${health.checked ? ' the others were not checked' : ''}.`);
  else void vscode.window.showInformationMessage(summary);
  return rows;
}
