/**
 * Shells and port forwards on nodes through Session Manager, with nothing else to install: the extension speaks
 * the data channel protocol itself (src/aws/sessionManager). Every shell and forward is terminated when its
 * terminal closes, when it is stopped, and when the extension deactivates (window reload included).
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { forwardPort } from './commands/forwardPort';
import { openShell } from './commands/openShell';
import { stopPortForward } from './commands/stopPortForward';
import { ForwardRegistry } from './forwards';
import type { ShellPty } from './shellTerminal';

export interface ShellFeature {
  forwards: ForwardRegistry;
  shells: Set<ShellPty>;
  /** terminates every session (deactivate awaits it) */
  shutdown(): Promise<void>;
}

export function registerShell(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): ShellFeature {
  const forwards = new ForwardRegistry();
  const shells = new Set<ShellPty>();
  const p = explorer.provider;
  const shutdown = async () => {
    await Promise.all([...[...shells].map((s) => s.terminate()), forwards.stopAll()]);
  };
  context.subscriptions.push(
    forwards,
    p.setForwardSource(forwards),
    { dispose: () => void shutdown() },
    vscode.commands.registerCommand(Commands.openShell, (node) => openShell(app, p, shells, node)),
    vscode.commands.registerCommand(Commands.forwardPort, (node, input) => forwardPort(app, p, forwards, node, input)),
    vscode.commands.registerCommand(Commands.stopPortForward, (node) => stopPortForward(forwards, node)),
  );
  return { forwards, shells, shutdown };
}
