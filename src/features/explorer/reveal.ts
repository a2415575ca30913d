import * as vscode from 'vscode';
import { EXPLORER_VIEW } from '../../constants';
import type { Explorer } from '.';

/** Reload the explorer and reveal a stack; `focus` also opens the OpenVidu HA view (e.g. "Show nodes"). */
export async function revealStack(explorer: Explorer | undefined, region: string, stackName: string, focus: boolean, expand: number | undefined = 2): Promise<void> {
  if (!explorer) return;
  if (focus) await vscode.commands.executeCommand(`${EXPLORER_VIEW}.focus`);
  await explorer.provider.reloadNow();
  const node = await explorer.provider.findStack(region, stackName);
  if (node && (focus || explorer.view.visible)) await explorer.view.reveal(node, { select: true, focus, expand });
}
