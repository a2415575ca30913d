/**
 * When a stack followed by the deploy wizard settles: one notification says how it ended, with the next actions
 * ("Show nodes" and "Copy credentials" when it is ready; "Show events" with the first failing event when it
 * failed), and the status-bar item that followed the creation goes away.
 *
 * Why the status-bar item is cleared as soon as the stack is done (not after a delay, nor when the notification is
 * dismissed): the item shows work in progress; once the stack settles the outcome is in the notification, which
 * stays in the Notification Center until the user clears it, so nothing is lost, and a "<stack>: created" item that
 * outlives its news (the walk saw it stay) is stale state. VS Code does not tell an extension when a notification
 * moved to the Notification Center without an answer, so "until dismissed" could not be kept reliably anyway.
 */
import * as vscode from 'vscode';
import type { ProgressModel } from '../../protocol/deployForm';
import type { DeployStatusBar } from './statusBar';

export const SHOW_NODES = 'Show nodes';
export const COPY_CREDENTIALS = 'Copy credentials';
export const SHOW_EVENTS = 'Show events';

export interface CompletionActions {
  showNodes(region: string, stackName: string): Promise<unknown>;
  copyCredentials(region: string, stackName: string): Promise<unknown>;
  showEvents(region: string, stackName: string): Promise<unknown>;
  log?(message: string): void;
}

/** Feeds the status bar; when `p` is final, clears it and raises the outcome's notification. Resolves when the user answered it (tests). */
export async function deployProgressChanged(p: ProgressModel, status: DeployStatusBar, actions: CompletionActions): Promise<void> {
  status.update(p);
  if (p.outcome === 'inProgress' || p.action !== 'create') return;
  const { stackName, region } = p;
  const run = (what: string, action: () => Promise<unknown>) =>
    action().then(
      () => undefined,
      (e: unknown) => actions.log?.(`[deploy] ${what} for ${stackName}: ${(e as Error)?.message ?? String(e)}`),
    );
  if (p.outcome === 'complete') {
    const dns = p.completion?.loadBalancerDns;
    const domain = p.completion?.domainName;
    const pointAt = dns ? ` Point ${domain ?? 'its domain'} at the load balancer ${dns} before using it.` : '';
    const choice = await vscode.window.showInformationMessage(`${stackName} is ready (${region}).${pointAt}`, SHOW_NODES, COPY_CREDENTIALS);
    if (choice === SHOW_NODES) await run('showing the nodes', () => actions.showNodes(region, stackName));
    else if (choice === COPY_CREDENTIALS) await run('copying the credentials', () => actions.copyCredentials(region, stackName));
    return;
  }
  const headline = p.failure?.headline ?? `it ended in ${p.status}`;
  const choice = await vscode.window.showErrorMessage(`${stackName} failed (${p.status}): ${headline}`, SHOW_EVENTS);
  if (choice === SHOW_EVENTS) await run('showing the events', () => actions.showEvents(region, stackName));
}
