import * as vscode from 'vscode';
import { CommandCancelledError, FULL_OUTPUT_LIMIT, runShellScript, type NodeCommandResult } from '../../../aws/ssmCommands';
import { UnsafeValueError, userCommandScript } from '../../../openvidu/nodeCommands';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { warnUnreachable } from '../nodeHelpers';
import { checkReachability } from '../reachability';
import type { ReportDocuments } from '../reportDocument';
import { nodeLabel, resolveTargets } from '../targets';
import { formatIso, formatTime } from '../../../openvidu/timeFormat';

export const RUN_BUTTON = 'Run';
/** how long a typed command may run on a node (seconds) */
export const USER_COMMAND_TIMEOUT = 600;

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text.replace(/\n$/, '')}\n${f}`;
}

/** A sentence for outcomes that are not the command's own doing (SSM status details), naming the node. */
export function outcomeNote(r: NodeCommandResult, node: string): string[] {
  if (r.statusDetails === 'ExecutionTimedOut') return [`_${node}: the command was stopped after ${USER_COMMAND_TIMEOUT / 60} minutes (execution timeout)._`, ''];
  if (r.statusDetails === 'DeliveryTimedOut') return [`_${node}: the command never reached the node (delivery timed out): the node is stopped or its SSM agent is offline._`, ''];
  if (r.statusDetails === 'Undeliverable') return [`_${node}: the node stopped answering while the command ran: it was stopped or terminated. Check the instance's state._`, ''];
  return [];
}

/**
 * For power users: a shell command typed in an input box, run as root on a node, a group or a stack after a
 * modal confirmation naming the targets; the output of each node in one document (never in the output channel:
 * it may contain the cluster's secrets).
 */
export async function runCommand(app: AppContext, explorer: ClusterTreeProvider, reports: ReportDocuments, item?: ExplorerNode): Promise<Map<string, NodeCommandResult> | undefined> {
  // a service row means its node (resolveTargets)
  const targets = await resolveTargets(explorer, item, 'Run a command on…');
  if (!targets?.nodes.length) return undefined;
  const typed = await vscode.window.showInputBox({
    title: `Run a command on ${targets.label}`,
    prompt: `Shell command, run as root through SSM (AWS-RunShellScript), stopped after ${USER_COMMAND_TIMEOUT / 60} minutes. Output above 24,000 characters per node is cut by SSM.`,
    placeHolder: 'e.g. docker ps --format "{{.Names}} {{.Status}}"',
    ignoreFocusOut: true,
    validateInput: (v) => {
      try {
        userCommandScript(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
  if (typed === undefined) return undefined;
  let script: string[];
  try {
    script = userCommandScript(typed);
  } catch (e) {
    void vscode.window.showErrorMessage(e instanceof UnsafeValueError ? e.message : String(e));
    return undefined;
  }
  const { reachable, unreachable } = await checkReachability(app, targets.region, targets.nodes);
  if (unreachable.size) void warnUnreachable(targets.stack, targets.nodes, unreachable, 'running a command');
  if (!reachable.length) return undefined;
  const ok = await vscode.window.showWarningMessage(
    `Run this command as root on ${reachable.length === 1 ? nodeLabel(reachable[0]) : `${reachable.length} nodes`} of ${targets.stack.summary.stackName}?`,
    { modal: true, detail: `${script[0]}\n\nTargets: ${reachable.map((n) => `${nodeLabel(n)} (${n.instanceId})`).join(', ')}.` },
    RUN_BUTTON,
  );
  if (ok !== RUN_BUTTON) return undefined;
  const at = new Date();
  try {
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running a command on ${targets.label}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runShellScript(app.session(targets.region), reachable.map((n) => n.instanceId), script, {
          comment: 'OpenVidu HA: user command',
          timeoutSeconds: 120,
          // a typed command that hangs (a `tail -f`, a prompt) is stopped by the agent instead of running for an hour
          executionTimeoutSeconds: USER_COMMAND_TIMEOUT,
          signal: abort.signal,
          onProgress: (done, total) => progress.report({ message: `${done}/${total} nodes answered` }),
        });
      },
    );
    app.output.info(`run command on ${reachable.length} node(s): ${[...results.values()].map((r) => `${r.instanceId}=${r.status}/${r.responseCode ?? '-'} ${r.stdout.length} chars`).join(', ')}`);
    const sections = targets.nodes.map((n) => {
      const why = unreachable.get(n.instanceId);
      if (why) return `## ${nodeLabel(n)} (${n.instanceId})\n\nNot run: ${why}\n`;
      const r = results.get(n.instanceId);
      if (!r) return `## ${nodeLabel(n)} (${n.instanceId})\n\nNo answer.\n`;
      return [
        `## ${nodeLabel(n)} (${n.instanceId}) — ${r.status}${r.statusDetails && r.statusDetails !== r.status ? ` (${r.statusDetails})` : ''}${r.responseCode !== undefined && r.responseCode >= 0 ? `, exit code ${r.responseCode}` : ''}`,
        '',
        ...outcomeNote(r, nodeLabel(n)),
        r.stdout ? fence(r.stdout) : '_no output_',
        r.truncated ? `\n_Output cut by SSM: ${r.status === 'Success' || r.status === 'Failed' ? `${FULL_OUTPUT_LIMIT} characters at most` : `only the first part is kept when a command ${r.status === 'Cancelled' ? 'is cancelled' : 'times out'}`}._` : '',
        r.stderr ? `\nstderr:\n\n${fence(r.stderr)}` : '',
        '',
      ].join('\n');
    });
    const md = [`# Command on ${targets.label}`, '', fence(script[0]), '', `Run <span title="${formatIso(at)}">${formatTime(at)}</span> as root through SSM.`, '', ...sections].join('\n');
    await reports.show(`${targets.stack.summary.stackName}-command`, md);
    const failed = [...results.values()].filter((r) => r.status !== 'Success').length;
    if (failed) void vscode.window.showWarningMessage(`${targets.label}: the command failed on ${failed} of ${results.size} node(s). See the document.`);
    return results;
  } catch (e) {
    if (e instanceof CommandCancelledError) void vscode.window.showWarningMessage(e.message);
    else void vscode.window.showErrorMessage(`The command could not be run on ${targets.label}: ${app.describeError(e, targets.region)}`);
    return undefined;
  }
}
