import * as vscode from 'vscode';
import { AWS_REGIONS } from '../../../openvidu/consoleUrls';
import { SETTINGS_SECTION } from '../../../constants';
import type { AppContext } from '../../shared/appContext';

/** Choose which regions the explorer shows (multi-select; the current ones are checked). */
export async function selectRegions(app: AppContext): Promise<void> {
  const current = new Set(await app.regions());
  const items = [...new Set([...current, ...AWS_REGIONS])].map((r) => ({ label: r, picked: current.has(r) }));
  const picked = await vscode.window.showQuickPick(items, { title: 'OpenVidu HA: regions to show', canPickMany: true, placeHolder: 'Regions' });
  if (!picked) return;
  if (!picked.length) {
    void vscode.window.showWarningMessage('Choose at least one region.');
    return;
  }
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('regions', picked.map((p) => p.label), vscode.ConfigurationTarget.Global);
}
