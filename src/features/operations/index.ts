/** Day-2 operations over SSM: service status (and, with the rest of this folder, logs, tail, restart). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { Explorer } from '../explorer';
import type { AppContext } from '../shared/appContext';
import { checkStatus } from './commands/checkStatus';
import { REPORT_SCHEME, ReportDocuments } from './reportDocument';

export interface Operations {
  reports: ReportDocuments;
}

export function registerOperations(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer): Operations {
  const reports = new ReportDocuments();
  context.subscriptions.push(
    reports,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand(Commands.checkStatus, (node) => checkStatus(app, explorer.provider, reports, node)),
  );
  return { reports };
}
