import * as vscode from 'vscode';
import type { DashboardFeature } from '../feature';
import { type ExplorerNode, stackOrPick } from '../../explorer';
import { readStackCredentials } from '../../credentials';

/**
 * Open Grafana: the cluster's Grafana (GRAFANA_URL from the secret, for the central Loki logs) in the browser,
 * with its admin password on the clipboard (the user name is shown; the password never is). Returns the URL.
 */
export async function openGrafana(feature: DashboardFeature, node?: ExplorerNode): Promise<string | undefined> {
  const stack = await stackOrPick(feature.explorer, node, 'Open the Grafana of…');
  if (!stack) return undefined;
  let login;
  try {
    const creds = await readStackCredentials(feature.app, stack);
    login = creds.admin.find((a) => a.service === 'grafana');
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not read the Grafana login of ${stack.summary.stackName}: ${feature.app.describeError(e, stack.region)}`);
    return undefined;
  }
  if (!login?.url) {
    void vscode.window.showWarningMessage(`${stack.summary.stackName} has no Grafana in its secret yet (the observability module may be off, or the cluster is still installing).`);
    return undefined;
  }
  if (login.password) await vscode.env.clipboard.writeText(login.password);
  await vscode.env.openExternal(vscode.Uri.parse(login.url));
  void vscode.window.showInformationMessage(`Grafana of ${stack.summary.stackName} opened${login.password ? `: sign in as ${login.username ?? 'admin'}, the password is on the clipboard` : ''}. The central logs are under Explore → Loki.`);
  return login.url;
}
