/** Day-2 operations over SSM: service status, logs, live tails, CloudWatch logs, restarts, commands, SSM on masters. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { checkStatus } from './commands/checkStatus';
import { enableSsmOnMasters } from './commands/enableSsmOnMasters';
import { followLogs } from './commands/followLogs';
import { restartOpenVidu } from './commands/restartOpenVidu';
import { restartService } from './commands/restartService';
import { runCommand } from './commands/runCommand';
import { showCloudWatchLogs } from './commands/showCloudWatchLogs';
import { showLogs } from './commands/showLogs';
import { stopTail } from './commands/stopTail';
import { terminateMediaNode } from './commands/terminateMediaNode';
import { LOGS_SCHEME, LogDocuments } from './logDocuments';
import { offerEnableSsm } from './nodeHelpers';
import { REPORT_SCHEME, ReportDocuments } from './reportDocument';
import { TAIL_SCHEME, TailManager } from './tailManager';

// What other features may use (docs/architecture.md: a feature imports another only through its index.ts).
export { warnUnreachable } from './nodeHelpers';
export type { OneNode } from './nodeHelpers';
export { checkReachability } from './reachability';
export type { ReportDocuments } from './reportDocument';
export { nodeLabel } from './targets';

export interface Operations {
  reports: ReportDocuments;
  logs: LogDocuments;
  tails: TailManager;
}

export function registerOperations(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): Operations {
  const reports = new ReportDocuments();
  const logs = new LogDocuments(context.workspaceState);
  const tails = new TailManager(app);
  const p = explorer.provider;
  context.subscriptions.push(
    reports,
    logs,
    tails,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, logs),
    vscode.workspace.registerTextDocumentContentProvider(TAIL_SCHEME, tails),
    vscode.commands.registerCommand(Commands.checkStatus, async (node) => {
      const rows = await checkStatus(app, p, reports, node);
      void offerEnableSsm(rows, node);
      return rows;
    }),
    vscode.commands.registerCommand(Commands.showLogs, (node) => showLogs(app, p, logs, node)),
    // Search Logs… is Show Logs (which now asks a time window and a filter): kept as a palette name for it
    vscode.commands.registerCommand(Commands.searchLogs, (node) => showLogs(app, p, logs, node)),
    vscode.commands.registerCommand(Commands.followLogs, (node) => followLogs(app, p, tails, node)),
    vscode.commands.registerCommand(Commands.stopTail, (arg) => stopTail(tails, arg)),
    vscode.commands.registerCommand(Commands.showCloudWatchLogs, (node) => showCloudWatchLogs(app, p, logs, tails, node)),
    vscode.commands.registerCommand(Commands.restartOpenVidu, (node) => restartOpenVidu(app, p, node)),
    vscode.commands.registerCommand(Commands.terminateMediaNode, (node) => terminateMediaNode(app, p, node)),
    vscode.commands.registerCommand(Commands.restartService, (node) => restartService(app, p, node)),
    vscode.commands.registerCommand(Commands.runCommand, (node) => runCommand(app, p, reports, node)),
    vscode.commands.registerCommand(Commands.enableSsmOnMasters, (node) => enableSsmOnMasters(app, p, node)),
  );
  return { reports, logs, tails };
}
