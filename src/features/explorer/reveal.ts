import * as vscode from 'vscode';
import { EXPLORER_VIEW } from '../../constants';
import type { Explorer } from '.';

export interface RevealOptions {
  /** how many times the stack list is read before giving up (default 6) */
  attempts?: number;
  /** wait before the first re-read, doubled each time (default 1000 ms) */
  retryDelayMs?: number;
}

/**
 * Reload the explorer and reveal a stack; `focus` also opens the OpenVidu HA view (e.g. "Show nodes").
 * CloudFormation's reads are eventually consistent: a stack just created may not be listed yet (ListStacks /
 * DescribeStacks right after CreateStack), so the list is re-read a few times, backing off, before giving up.
 * Returns whether the stack was found.
 */
export async function revealStack(
  explorer: Explorer | undefined,
  region: string,
  stackName: string,
  focus: boolean,
  expand: number | undefined = 2,
  options: RevealOptions = {},
): Promise<boolean> {
  if (!explorer) return false;
  if (focus) await vscode.commands.executeCommand(`${EXPLORER_VIEW}.focus`);
  const attempts = Math.max(1, options.attempts ?? 6);
  let delay = options.retryDelayMs ?? 1000;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    await explorer.provider.reloadNow();
    // load the regions' stack lists now (the view may not have asked for them yet), then look
    const node = (await explorer.provider.allStacks()).find((s) => s.region === region && s.summary.stackName === stackName);
    if (node) {
      if (focus || explorer.view.visible) await explorer.view.reveal(node, { select: true, focus, expand });
      return true;
    }
  }
  return false;
}
