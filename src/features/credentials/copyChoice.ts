/** The quick pick shared by the copy commands: what to copy, secrets masked, then copy and say what was copied. */
import * as vscode from 'vscode';
import type { CredentialsFeature, StackRef } from './feature';
import { clearNotice } from './clipboard';

export interface CopyItem {
  label: string;
  /** shown in the quick pick (a URL or a user name); undefined for secrets, which are shown masked */
  visible?: string;
  /** what the notification says was copied, e.g. "the LiveKit API secret" */
  what: string;
  value: string;
  secret: boolean;
  /** a caveat shown under the item (never a value) */
  note?: string;
}

export const MASK = '••••••••';

export async function pickAndCopy(feature: CredentialsFeature, stack: StackRef, title: string, items: CopyItem[]): Promise<CopyItem | undefined> {
  type Item = vscode.QuickPickItem & { item: CopyItem };
  const picked = await vscode.window.showQuickPick<Item>(
    items.map((i) => ({ label: i.label, description: i.secret ? MASK : i.visible, detail: i.note, item: i })),
    { title, placeHolder: 'What to copy', matchOnDescription: false },
  );
  if (!picked) return undefined;
  await copyItem(feature, stack, picked.item);
  return picked.item;
}

export async function copyItem(feature: CredentialsFeature, stack: StackRef, item: CopyItem): Promise<void> {
  // Only secrets are cleared later: a copied URL is harmless and the user may still be pasting it.
  const seconds = await feature.clipboard.copy(item.value, item.secret ? undefined : 0);
  void vscode.window.showInformationMessage(`Copied ${item.what} of ${stack.summary.stackName} to the clipboard.${item.secret ? clearNotice(seconds) : ''}`);
}
