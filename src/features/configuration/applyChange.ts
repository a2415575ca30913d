/**
 * After a configuration file is written on a master: `systemctl restart openvidu` there (progress, cancel =
 * CancelCommand), the documented checks, one report, and the follow-ups it offers (open the file at the failing
 * line, restore the backup and restart again). Secrets of the edited files never reach the notifications or reports.
 */
import * as vscode from 'vscode';
import { CommandCancelledError } from '../../aws/ssmCommands';
import { Commands } from '../../constants';
import { redact, reportMarkdown, type ApplyReport } from '../../openvidu/configReport';
import type { AppContext } from '../shared/appContext';
import type { ConfigDocuments } from './configDocuments';
import { ConfigError, type RemoteConfig } from './remoteConfig';
import { configUri, type ConfigLocation } from './targets';

export const RESTORE_BUTTON = 'Restore Backup and Restart';
export const SHOW_REPORT_BUTTON = 'Show Report';
export const CHECK_STATUS_BUTTON = 'Check Status';

export interface ApplyOutcome {
  outcome: 'applied' | 'failed' | 'cancelled' | 'error';
  report?: ApplyReport;
  reportUri?: vscode.Uri;
  message: string;
}

export interface ApplyRequest {
  loc: ConfigLocation;
  remote: RemoteConfig;
  /** where the previous version was kept */
  backup: string;
  errLines: number;
  /** values to keep out of messages (credentials of the edited files) */
  secrets: readonly string[];
  /** what was done before the restart, for the messages: "saved", "restored" */
  action: string;
  /** seconds the checks wait for containers to settle after the restart */
  waitSeconds?: number;
}

export interface ApplyHooks {
  /** restore `backup` and apply again (offered on failures) */
  restore(loc: ConfigLocation, remote: RemoteConfig, backup: string): Promise<ApplyOutcome | undefined>;
}

export async function restartAndCheck(app: AppContext, docs: ConfigDocuments, req: ApplyRequest, hooks: ApplyHooks): Promise<ApplyOutcome> {
  const { loc, remote } = req;
  const file = loc.rel;
  let report: ApplyReport | undefined;
  let failure: unknown;
  let cancelled = false;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Applying ${file} on ${loc.stackName}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        progress.report({ message: `systemctl restart openvidu on ${remote.master.label}…` });
        await remote.restart(abort.signal);
        progress.report({ message: 'checking openvidu-init, restarting containers and nodes_errors.log…' });
        report = await remote.check(req.errLines, abort.signal, req.waitSeconds ?? 20);
      } catch (e) {
        if (e instanceof CommandCancelledError || abort.signal.aborted) cancelled = true;
        else failure = e;
      }
    },
  );
  const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '');
  if (cancelled) {
    const message = `${loc.stackName}: cancelled during the restart. ${file} is ${req.action} on ${remote.master.label} (previous version kept at ${req.backup}); the restart was stopped with CancelCommand and may have partly happened.`;
    app.output.warn(`configuration: ${file} ${req.action}, restart cancelled`);
    void offer(vscode.window.showWarningMessage(message, CHECK_STATUS_BUTTON, RESTORE_BUTTON), { loc, remote, backup: req.backup }, hooks);
    return { outcome: 'cancelled', message };
  }
  if (failure || !report) {
    const why = failure instanceof ConfigError ? failure.message : app.describeError(failure, loc.region);
    const message = `${loc.stackName}: ${file} is ${req.action} on ${remote.master.label}, but the restart or its checks failed: ${redact(why, req.secrets)}`;
    app.output.error(`configuration: ${redact(why, req.secrets)}`);
    void offer(vscode.window.showErrorMessage(message, CHECK_STATUS_BUTTON, RESTORE_BUTTON), { loc, remote, backup: req.backup }, hooks);
    return { outcome: 'error', message };
  }
  const title = `${file} on ${loc.stackName} (${remote.master.label})`;
  const md = `${reportMarkdown(`${req.action[0].toUpperCase()}${req.action.slice(1)}: ${title}`, report, req.secrets)}\n\nPrevious version: \`${req.backup}\``;
  const reportUri = docs.put('report', `${loc.stackName}-${file.replace(/\//g, '_')}-${stamp}.md`, md);
  app.output.info(`configuration: ${file} ${req.action} on ${remote.master.instanceId}: ${report.outcome} (${report.problems.length} problem(s))`);
  if (report.outcome === 'applied') {
    const message = `${loc.stackName}: ${file} applied. OpenVidu restarted on ${remote.master.label}; openvidu-init, the containers and nodes_errors.log show no error.`;
    void vscode.window.showInformationMessage(message, SHOW_REPORT_BUTTON).then((c) => (c === SHOW_REPORT_BUTTON ? showDoc(reportUri) : undefined));
    return { outcome: 'applied', report, reportUri, message };
  }
  const first = report.problems[0];
  const at = first.file ? ` (${first.file}${first.line ? ` line ${first.line}` : ''})` : '';
  const message = redact(`${loc.stackName}: ${file} was not applied cleanly: ${first.where}${at}: ${first.message.split('\n')[0]}${report.problems.length > 1 ? ` (and ${report.problems.length - 1} more)` : ''}`, req.secrets);
  const openLabel = first.file ? `Open ${first.file.split('/').pop()}${first.line ? ` at Line ${first.line}` : ''}` : undefined;
  const buttons = [...(openLabel ? [openLabel] : []), RESTORE_BUTTON, SHOW_REPORT_BUTTON];
  void vscode.window.showErrorMessage(message, ...buttons).then(async (c) => {
    if (c === openLabel && first.file) await openAt({ ...loc, rel: first.file }, first.line);
    else if (c === SHOW_REPORT_BUTTON) await showDoc(reportUri);
    else if (c === RESTORE_BUTTON) await hooks.restore(loc, remote, req.backup);
  });
  return { outcome: 'failed', report, reportUri, message };
}

async function offer(choice: Thenable<string | undefined>, r: { loc: ConfigLocation; remote: RemoteConfig; backup: string }, hooks: ApplyHooks): Promise<void> {
  const c = await choice;
  if (c === RESTORE_BUTTON) await hooks.restore(r.loc, r.remote, r.backup);
  else if (c === CHECK_STATUS_BUTTON) await vscode.commands.executeCommand(Commands.checkStatus);
}

async function showDoc(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
}

/** Opens a configuration file at a 1-based line. */
export async function openAt(loc: ConfigLocation, line?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(configUri(loc));
  const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
}
