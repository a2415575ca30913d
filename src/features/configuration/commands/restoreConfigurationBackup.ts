/** "Restore Configuration Backup…": puts a saved file's previous version back (exact bytes), then restarts and checks. */
import * as vscode from 'vscode';
import type { ApplyOutcome } from '../applyChange';
import type { ConfigFileSystem } from '../configFileSystem';
import { CONFIG_SCHEME, parseConfigUri } from '../targets';

export async function restoreConfigurationBackup(fs: ConfigFileSystem, arg?: vscode.Uri | { resourceUri?: vscode.Uri }, backup?: string): Promise<ApplyOutcome | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : arg && 'resourceUri' in arg ? arg.resourceUri : vscode.window.activeTextEditor?.document.uri;
  if (!uri || uri.scheme !== CONFIG_SCHEME) {
    void vscode.window.showInformationMessage('Open a cluster configuration file (or pick one under a cluster\'s Configuration row) to restore one of its backups.');
    return undefined;
  }
  const loc = parseConfigUri(uri);
  const remote = fs.remote(loc);
  let chosen = backup;
  if (!chosen) {
    const list = await remote.backups(loc.rel);
    if (!list.length) {
      void vscode.window.showInformationMessage(`${loc.rel} has no backup on ${remote.master.label} (backups are made when the file is saved from VS Code).`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      list.map((b) => ({ label: b.split('.').pop() as string, description: b, backup: b })),
      { title: `Restore ${loc.rel} on ${remote.master.label}`, placeHolder: 'Backup (newest first); OpenVidu is restarted on that master afterwards' },
    );
    chosen = picked?.backup;
  }
  if (!chosen) return undefined;
  const ok = await vscode.window.showWarningMessage(`Restore ${loc.rel} from ${chosen.split('/').pop()} on ${remote.master.label} and restart OpenVidu there?`, { modal: true, detail: 'The current version is kept as another backup.' }, 'Restore and Restart');
  if (ok !== 'Restore and Restart') return undefined;
  return fs.restore(loc, remote, chosen);
}
