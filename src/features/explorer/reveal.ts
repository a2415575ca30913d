import * as vscode from 'vscode';
import { EXPLORER_VIEW } from '../../constants';
import type { Explorer } from '.';
import type { StackNode } from './treeNodes';

export interface RevealOptions {
  /** how many times the stack list is read before giving up (default 6) */
  attempts?: number;
  /** wait before the first re-read, doubled each time (default 1000 ms) */
  retryDelayMs?: number;
  /** how many times a reveal the view refused is tried again (default 6) */
  revealAttempts?: number;
  /** wait before trying a refused reveal again, doubled each time (default 100 ms) */
  revealRetryMs?: number;
}

/**
 * Reveal a stack in the explorer; `focus` also opens the HA Clusters view, selects the stack, expands it and moves
 * the keyboard focus to it ("Show nodes"). A stack the explorer already lists is revealed without reloading the
 * tree: VS Code refuses a reveal while the view is redrawing after onDidChangeTreeData ("TreeError … Data tree node
 * not found", microsoft/vscode#96089), which is why "Show nodes" used to leave the stack collapsed and the focus
 * where it was. A stack not listed yet (CloudFormation's reads are eventually consistent: ListStacks right after
 * CreateStack may not return it) is looked for again after reloading, backing off, and a refused reveal is tried
 * again once the view has had time to redraw. Returns whether the stack was found.
 */
export async function revealStack(
  explorer: Explorer | undefined,
  region: string,
  stackName: string,
  focus: boolean,
  expand: boolean | number | undefined = true,
  options: RevealOptions = {},
): Promise<boolean> {
  if (!explorer) return false;
  if (focus) await vscode.commands.executeCommand(`${EXPLORER_VIEW}.focus`);
  const attempts = Math.max(1, options.attempts ?? 6);
  let delay = options.retryDelayMs ?? 1000;
  const find = async () => (await explorer.provider.findStack(region, stackName)) ?? (await explorer.provider.allStacks()).find((s) => s.region === region && s.summary.stackName === stackName);
  let node = await find();
  for (let i = 0; !node && i < attempts; i++) {
    if (i > 0) {
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
    await explorer.provider.reloadNow();
    node = await find();
  }
  if (!node) return false;
  if (focus || explorer.view.visible) await revealWhenDrawn(explorer, node, { select: true, focus, expand }, options);
  return true;
}

/** view.reveal, tried again (backing off) while the view refuses it because it is still redrawing. */
async function revealWhenDrawn(explorer: Explorer, first: StackNode, how: { select: boolean; focus: boolean; expand: boolean | number | undefined }, options: RevealOptions): Promise<void> {
  const tries = Math.max(1, options.revealAttempts ?? 6);
  let wait = options.revealRetryMs ?? 100;
  let node = first;
  for (let i = 1; ; i++) {
    try {
      await explorer.view.reveal(node, how);
      return;
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
      // the redraw may have replaced the stack's node: reveal the one the view now holds
      node = (await explorer.provider.findStack(node.region, node.summary.stackName)) ?? node;
    }
  }
}
