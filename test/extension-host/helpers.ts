/** Shared helpers for the extension-host suites (they run inside VS Code, with the real `vscode` API). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'openvidu-ha-tools.openvidu-ha';
export const SECTION = 'openviduHa';
export const TREE_SNAPSHOT = 'openviduHa.internal.treeSnapshot';
/** The local AWS emulator the runner started (demo world); its control API is under /_emulator/. */
export const EMULATOR = process.env.OPENVIDU_TEST_EMULATOR ?? '';

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/**
 * Polls `probe` until it returns a truthy value (state reaches the extension host asynchronously). On timeout
 * the error names `what` and the last value seen (or `explain()` of it).
 */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 20_000, explain?: (last: unknown) => unknown): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const seen = explain ? explain(last) : last;
      const detail = seen instanceof Error ? seen.message : JSON.stringify(seen)?.slice(0, 3000);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface SnapshotNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  children?: SnapshotNode[];
}

/** The last snapshot taken, for failure messages. */
export let lastSnapshot: SnapshotNode[] | undefined;

/**
 * The explorer's items as a user sees them expanded (the extension's test-only command), by default down to
 * the nodes (region › stack › group › node): deeper levels load per-node status over SSM, which is slow.
 */
export async function treeSnapshot(options: { reload?: boolean; depth?: number } = {}): Promise<SnapshotNode[]> {
  lastSnapshot = (await vscode.commands.executeCommand<SnapshotNode[]>(TREE_SNAPSHOT, { depth: 4, ...options })) ?? [];
  return lastSnapshot;
}

/** Waits until the explorer's snapshot satisfies `ok`; the failure message shows the last snapshot's labels. */
export function waitForTree(ok: (tree: SnapshotNode[]) => boolean, what: string, timeoutMs = 20_000): Promise<SnapshotNode[]> {
  return waitFor(
    async () => {
      const t = await treeSnapshot();
      return ok(t) ? t : undefined;
    },
    what,
    timeoutMs,
    (last) => ({
      ...(last instanceof Error ? { lastError: last.message } : {}),
      lastSnapshot: lastSnapshot?.map(brief),
    }),
  );
}

function brief(n: SnapshotNode): unknown {
  const head = `${n.label}${n.description ? ` (${n.description})` : ''}${n.contextValue ? ` [${n.contextValue}]` : ''}`;
  return n.children ? { [head]: n.children.map(brief) } : head;
}

export function findNode(nodes: SnapshotNode[] | undefined, label: string): SnapshotNode | undefined {
  for (const n of nodes ?? []) {
    if (n.label === label) return n;
    const hit = findNode(n.children, label);
    if (hit) return hit;
  }
  return undefined;
}

export function allLabels(nodes: SnapshotNode[] | undefined): string[] {
  return (nodes ?? []).flatMap((n) => [n.label, ...allLabels(n.children)]);
}

/** Settings go to the workspace folder's .vscode/settings.json (the runner wrote the starting values there). */
export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Workspace);
}

interface RequestLogEntry {
  seq: number;
  service: string;
  action: string;
  region: string;
}

/** The emulator's request log (every AWS call the extension made), optionally after sequence number `after`. */
export async function emulatorRequests(after = 0): Promise<RequestLogEntry[]> {
  assert.ok(EMULATOR, 'OPENVIDU_TEST_EMULATOR is not set');
  const r = await fetch(`${EMULATOR}/_emulator/requests`);
  return ((await r.json()) as RequestLogEntry[]).filter((e) => e.seq > after);
}

export async function lastRequestSeq(): Promise<number> {
  return (await emulatorRequests()).reduce((m, e) => Math.max(m, e.seq), 0);
}
