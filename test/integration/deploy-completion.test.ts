/**
 * When a deploy completes (issue 13, item 4): one notification with the next actions, no stale "<stack>: created"
 * in the status bar, and "Show nodes" that reveals, expands, selects and focuses the new stack even though the
 * explorer has just been told to reload (VS Code refuses a reveal while the view redraws: microsoft/vscode#96089;
 * the fake view below refuses it the same way, as RenderedTree knows when the view is redrawing).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack } from '../support/openviduStack';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { fake, startTestbed, Testbed } from '../support/testbed';
import { RenderedTree } from '../support/renderedTree';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { ExplorerNode } from '../../src/features/explorer/treeNodes';
import { revealStack } from '../../src/features/explorer/reveal';
import { StackFollower } from '../../src/features/deploy/stackFollower';
import { DeployStatusBar } from '../../src/features/deploy/statusBar';
import { deployProgressChanged } from '../../src/features/deploy/completion';
import type { ProgressModel } from '../../src/protocol/deployForm';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;
const REGION = 'eu-west-1';

before(async () => {
  bed = await startTestbed({ demo: true });
  ({ emu, app } = bed);
});
after(() => bed.stop());

/** Follows a stack created by CreateStack to its end, feeding every progress to the completion handler, as the panel does. */
async function follow(name: string, onProgress: (p: ProgressModel) => Promise<void>): Promise<ProgressModel> {
  const follower = new StackFollower({ session: app.session(REGION), region: REGION, stackName: name, pollMs: 5, retryDelayMs: 1, onUpdate: (p) => void onProgress(p) });
  const t = setInterval(() => emu.clock.advance(60_000), 20);
  try {
    follower.start();
    return await follower.settled;
  } finally {
    clearInterval(t);
    follower.dispose();
  }
}

test('a deploy that completes: "<stack> is ready" with Show nodes and Copy credentials, and the status-bar item goes', async () => {
  await createOpenViduStack(emu, { name: 'ov-done', noWait: true });
  const status = new DeployStatusBar();
  const item = fake.recorded.statusBar.at(-1)!;
  status.started(REGION, 'ov-done');
  assert.equal(item.visible, true);
  const calls: string[] = [];
  const actions = {
    showNodes: async (r: string, s: string) => void calls.push(`nodes ${r}/${s}`),
    copyCredentials: async (r: string, s: string) => void calls.push(`credentials ${r}/${s}`),
    showEvents: async (r: string, s: string) => void calls.push(`events ${r}/${s}`),
  };
  fake.recorded.notifications.length = 0;
  fake.answers.message.push('Show nodes');
  const handled: Promise<void>[] = [];
  const seenWhileInProgress: boolean[] = [];
  const final = await follow('ov-done', async (p) => {
    handled.push(deployProgressChanged(p, status, actions));
    if (p.outcome === 'inProgress') seenWhileInProgress.push(item.visible);
  });
  await Promise.all(handled);
  assert.equal(final.outcome, 'complete');
  assert.ok(seenWhileInProgress.length > 0 && seenWhileInProgress.every(Boolean), 'the item shows while the stack is created');
  assert.equal(item.visible, false, `no "ov-done: created" left in the status bar (text: ${item.text})`);
  const done = fake.recorded.notifications.filter((n) => /ov-done/.test(n.message));
  assert.equal(done.length, 1, JSON.stringify(done));
  assert.match(done[0].message, /^ov-done is ready \(eu-west-1\)\./);
  assert.equal(done[0].level, 'info');
  assert.deepEqual(done[0].items, ['Show nodes', 'Copy credentials']);
  assert.deepEqual(calls, ['nodes eu-west-1/ov-done']);
  status.dispose();
});

test('a deploy that fails: the first failing event and Show events', async () => {
  injectStackFailure(emu.world, { stackName: 'ov-fails', logicalId: 'MasterNodesWaitCondition2', region: REGION, reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' });
  await createOpenViduStack(emu, { name: 'ov-fails', noWait: true });
  const status = new DeployStatusBar();
  const item = fake.recorded.statusBar.at(-1)!;
  status.started(REGION, 'ov-fails');
  const calls: string[] = [];
  fake.recorded.notifications.length = 0;
  fake.answers.message.push('Show events');
  const handled: Promise<void>[] = [];
  const final = await follow('ov-fails', async (p) => void handled.push(deployProgressChanged(p, status, {
    showNodes: async () => void calls.push('nodes'),
    copyCredentials: async () => void calls.push('credentials'),
    showEvents: async (r, s) => void calls.push(`events ${r}/${s}`),
  })));
  await Promise.all(handled);
  assert.equal(final.outcome, 'failed');
  const n = fake.recorded.notifications.filter((x) => /ov-fails/.test(x.message));
  assert.equal(n.length, 1, JSON.stringify(n));
  assert.equal(n[0].level, 'error');
  assert.match(n[0].message, /^ov-fails failed \(CREATE_FAILED\): MasterNodesWaitCondition2: WaitCondition timed out/);
  assert.deepEqual(n[0].items, ['Show events']);
  assert.deepEqual(calls, ['events eu-west-1/ov-fails']);
  assert.equal(item.visible, false);
  status.dispose();
});

test('Show nodes right after the explorer reloads: the new stack is revealed, selected, expanded and focused', async () => {
  await createOpenViduStack(emu, { name: 'ov-shown' });
  const p = new ClusterTreeProvider(app);
  const tree = new RenderedTree(p);
  const revealed: Array<{ id: string; select?: boolean; focus?: boolean; expand?: boolean | number }> = [];
  const view = {
    visible: true,
    async reveal(element: ExplorerNode, opts: { select?: boolean; focus?: boolean; expand?: boolean | number }) {
      // what VS Code does: a reveal while the view redraws, or of a row it has not drawn, is refused
      if (tree.busy || !tree.hasRow(element.id)) throw new Error('TreeError [openviduHa.explorer] Data tree node not found: [object Object]');
      revealed.push({ id: element.id, ...opts });
    },
  };
  try {
    await tree.open();
    fake.recorded.commands.length = 0;
    // the deploy's end reloads the explorer (its status changed); the user clicks "Show nodes" at once
    void p.reloadNow();
    const found = await revealStack({ provider: p, view } as never, REGION, 'ov-shown', true);
    assert.equal(found, true);
    assert.deepEqual(revealed, [{ id: `stack:${REGION}:ov-shown`, select: true, focus: true, expand: true }]);
    assert.ok(fake.recorded.commands.some((c) => c.command === 'openviduHa.explorer.focus'), 'the HA Clusters view is opened');
  } finally {
    tree.dispose();
    p.dispose();
  }
});
