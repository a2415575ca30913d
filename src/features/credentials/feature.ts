/**
 * What the credentials commands share: the app context, the explorer (for palette pickers), the clipboard
 * guard, the proposed-document provider of the write command, and the poll interval while waiting for a
 * cluster to generate its credentials (tests shorten it).
 */
import * as vscode from 'vscode';
import type { AppContext } from '../shared/appContext';
import { type ClusterTreeProvider, pickStack, toTarget, type ExplorerNode } from '../explorer';
import { ClipboardGuard } from './clipboard';
import { ProposedContentProvider } from './proposedDocument';

/** The stack a command works on: a tree StackNode, or anything with its region and stack name. */
export interface StackRef {
  region: string;
  summary: { stackName: string; status?: string };
  /** a tree StackNode's loaded cluster: its status and whether its secret was generated */
  cluster?: { stack: { status: string }; secret: { generated: boolean } };
}

export interface CredentialsOptions {
  /** ms between secret reads while waiting for the cluster to generate its credentials (default 10 s) */
  pollIntervalMs?: number;
  /** per-request timeout of the credentials check (default 10 s) */
  checkTimeoutMs?: number;
}

export class CredentialsFeature implements vscode.Disposable {
  readonly clipboard = new ClipboardGuard();
  readonly proposals = new ProposedContentProvider();
  readonly pollIntervalMs: number;
  readonly checkTimeoutMs: number;

  constructor(
    readonly app: AppContext,
    readonly explorer: ClusterTreeProvider | undefined,
    options: CredentialsOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 10_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 10_000;
  }

  /** The node's stack, or a quick pick of the explorer's stacks (palette). */
  async resolveStack(node: ExplorerNode | StackRef | undefined, title: string): Promise<StackRef | undefined> {
    // A group or node row works too: its stack.
    const target = toTarget(node);
    if (target) return target.stack;
    if (node && 'summary' in node && 'region' in node) return node;
    if (!this.explorer) return undefined;
    return pickStack(this.explorer, title);
  }

  dispose(): void {
    this.clipboard.dispose();
    this.proposals.dispose();
  }
}
