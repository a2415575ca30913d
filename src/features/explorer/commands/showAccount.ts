import * as vscode from 'vscode';
import { callerIdentity } from '../../../aws/clusterApi';
import type { AppContext } from '../../shared/appContext';

/** Say which AWS account, identity, profile and regions the extension is using. */
export async function showAccount(app: AppContext): Promise<void> {
  const regions = await app.regions();
  const settings = app.settings();
  try {
    const id = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking AWS identity…' }, () => callerIdentity(app.session(regions[0])));
    void vscode.window.showInformationMessage(
      `AWS account ${id.account} (${id.arn}) · ${settings.profile ? `profile ${settings.profile}` : 'default credentials'} · ${regions.join(', ')}${settings.endpoint ? ` · endpoint ${settings.endpoint}` : ''}`,
    );
  } catch (e) {
    void vscode.window.showErrorMessage(app.describeError(e, regions[0]));
  }
}
