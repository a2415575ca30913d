import * as vscode from 'vscode';
import type { ExplorerNode } from '../../explorer';
import type { CredentialsFeature, StackRef } from '../feature';
import { loadReadyCredentials } from '../loadCredentials';
import { pickAndCopy, type CopyItem } from '../copyChoice';

/** Admin logins: dashboard, Grafana, OpenVidu Meet (3.4+) or OpenVidu Call (3.2–3.3), MinIO: URL, user, password. */
export async function copyAdminCredentials(feature: CredentialsFeature, node?: ExplorerNode | StackRef): Promise<void> {
  const stack = await feature.resolveStack(node, 'Copy admin credentials of…');
  if (!stack) return;
  const creds = await loadReadyCredentials(feature, stack);
  if (!creds) return;
  const items: CopyItem[] = [];
  for (const l of creds.admin) {
    if (l.url) items.push({ label: `${l.label}: URL`, visible: l.url, what: `the ${l.label} URL`, value: l.url, secret: false });
    if (l.username) items.push({ label: `${l.label}: user`, visible: l.username, what: `the ${l.label} user name`, value: l.username, secret: false });
    if (l.password) items.push({ label: `${l.label}: password`, note: l.note, what: `the ${l.label} password`, value: l.password, secret: true });
    if (l.apiKey) items.push({ label: `${l.label}: API key`, what: `the ${l.label} API key`, value: l.apiKey, secret: true });
  }
  if (!items.length) {
    void vscode.window.showWarningMessage(`${stack.summary.stackName}: the cluster secret has no admin logins.`);
    return;
  }
  await pickAndCopy(feature, stack, `Admin credentials of ${stack.summary.stackName}`, items);
}
