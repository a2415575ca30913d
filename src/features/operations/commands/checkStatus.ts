import * as vscode from 'vscode';
import { CommandCancelledError, runShellScript } from '../../../aws/ssmCommands';
import { parseStatusOutput, statusScript } from '../../../openvidu/nodeCommands';
import { formatStatusReport, StatusRow } from '../../../openvidu/statusReport';
import { healthSummaryText, summarizeHealth } from '../../../openvidu/health';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import type { NodeBasis, NodeStatusEntry } from '../../shared/nodeStatusStore';
import { checkReachability } from '../reachability';
import type { ReportDocuments } from '../reportDocument';
import { nodeLabel, resolveTargets } from '../targets';

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
  const at = new Date();
  const bases = new Map<string, NodeBasis>();
  const rows = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking services on ${targets.label}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const { reachable, unreachable, ssm } = await checkReachability(app, targets.region, targets.nodes);
      for (const n of targets.nodes) bases.set(n.instanceId, { state: n.state, ssm: ssm.get(n.instanceId) ?? '' });
      progress.report({ message: `${reachable.length} of ${targets.nodes.length} nodes reachable over SSM` });
      const results = await runShellScript(app.session(targets.region), reachable.map((n) => n.instanceId), statusScript(), {
        comment: 'OpenVidu HA: service status',
        timeoutSeconds: 60,
        executionTimeoutSeconds: 60,
        signal: abort.signal,
        onProgress: (done, total) => progress.report({ message: `${done}/${total} nodes answered` }),
      });
      return targets.nodes.map((n): StatusRow => {
        const why = unreachable.get(n.instanceId);
        if (why) return { label: nodeLabel(n), instanceId: n.instanceId, role: n.role, error: why };
        const r = results.get(n.instanceId);
        if (!r) return { label: nodeLabel(n), instanceId: n.instanceId, role: n.role, error: 'No answer from the node.' };
        if (r.status !== 'Success') {
          return { label: nodeLabel(n), instanceId: n.instanceId, role: n.role, error: `The status command ${r.status}${r.statusDetails && r.statusDetails !== r.status ? ` (${r.statusDetails})` : ''}.` };
        }
        return { label: nodeLabel(n), instanceId: n.instanceId, role: n.role, status: parseStatusOutput(r.stdout) };
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
  if (!rows) return undefined;
  app.nodeStatus.set(rows.map((r): NodeStatusEntry => ({ instanceId: r.instanceId, at, status: r.status, error: r.error, basis: bases.get(r.instanceId) })));
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
