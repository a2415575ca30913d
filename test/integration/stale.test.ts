/**
 * What the user sees stays true while things move (issue 13): the view as the workbench draws it (RenderedTree:
 * rows are redrawn only when the provider says so), with no Refresh pressed, follows scale out, shut down and SSM
 * registration; and the demo cluster reports healthy once its masters are reachable.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack } from '../support/openviduStack';
import { fake, stackNode, startTestbed, Testbed } from '../support/testbed';
import { RenderedTree } from '../support/renderedTree';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { scaleMediaNodes } from '../../src/features/lifecycle/commands/scaleMediaNodes';
import { shutDownCluster } from '../../src/features/lifecycle/commands/shutDownCluster';
import { checkStatus } from '../../src/features/operations/commands/checkStatus';
import { enableSsmOnMasters, ATTACH_BUTTON } from '../../src/features/operations/commands/enableSsmOnMasters';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import { deleteDeployment } from '../../src/features/lifecycle/commands/deleteDeployment';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;

before(async () => {
  bed = await startTestbed({ demo: true });
  ({ emu, app } = bed);
});
after(() => bed.stop());

const REGION = 'eu-west-1';

function open(name: string): { p: ClusterTreeProvider; view: RenderedTree; dispose(): void } {
  const p = new ClusterTreeProvider(app, { pollIntervalMs: 20 });
  p.setVisible(true);
  const view = new RenderedTree(p);
  return {
    p,
    view,
    dispose() {
      p.setVisible(false);
      view.dispose();
      p.dispose();
      void name;
    },
  };
}

const mediaRows = (view: RenderedTree, stack: string) => view.find(REGION, stack, 'Media nodes')?.children?.filter((n) => n.contextValue?.startsWith('node.media')) ?? [];

test('after a scale out, the new media nodes reach InService in the view without a Refresh', async () => {
  await createOpenViduStack(emu, { name: 'ov-grow', mediaNodes: 1 });
  const { p, view, dispose } = open('ov-grow');
  try {
    await view.open();
    const s = await stackNode(p, 'ov-grow');
    assert.equal(mediaRows(view, 'ov-grow').length, 1);
    await scaleMediaNodes(app, p, s, '3');
    await view.until((v) => mediaRows(v, 'ov-grow').length === 3, 'three media nodes');
    assert.ok(mediaRows(view, 'ov-grow').some((n) => /^Pending/.test(n.description ?? '')), JSON.stringify(mediaRows(view, 'ov-grow')));
    // simulated time passes (launch: 90 s); the explorer polls the nodes in transition by itself
    await view.until((v) => mediaRows(v, 'ov-grow').every((n) => /^InService/.test(n.description ?? '')) && mediaRows(v, 'ov-grow').length === 3, 'three media nodes InService', {
      onIdle: () => emu.clock.advance(15_000),
    });
    assert.match(view.find(REGION, 'ov-grow', 'Media nodes')?.description ?? '', /^3 running · desired 3/);
  } finally {
    dispose();
  }
});

test('during Shut Down, the progress and the view follow the media nodes as each one finishes draining', async () => {
  await createOpenViduStack(emu, { name: 'ov-stop', mediaNodes: 3 });
  const { p, view, dispose } = open('ov-stop');
  try {
    await view.open();
    const s = await stackNode(p, 'ov-stop');
    // Each node drains until its rooms end: give them 2, 3 and 4 rooms (drains of about 8, 12 and 16 minutes).
    const r = emu.world.region(REGION);
    s.cluster!.media.forEach((m, i) => (r.instances.get(m.instanceId)!.node!.seed = i));
    fake.recorded.progress.length = 0;
    const done = shutDownCluster(app, p, s, { confirmed: true, pollMs: 20 });
    const lastProgress = () => {
      const texts = fake.recorded.progress.map((x) => (x as { message?: string }).message ?? '').filter((m) => /media node/.test(m));
      return texts.at(-1) ?? '';
    };
    await view.until((v) => mediaRows(v, 'ov-stop').filter((n) => n.contextValue === 'node.media.draining').length === 3, '3 draining media nodes');
    await view.until(() => /^3 media nodes left: 3 draining their sessions/.test(lastProgress()), `progress "3 media nodes left" (last: ${lastProgress()})`);
    // 10 simulated minutes: the node with 2 rooms has drained and terminated, the others still drain.
    emu.clock.advance(10 * 60_000);
    await view.until((v) => mediaRows(v, 'ov-stop').length === 2, 'the count falling to 2 in the view');
    await view.until(() => /^2 media nodes left: 2 draining/.test(lastProgress()), 'the count falling to 2 in the progress');
    assert.match(view.find(REGION, 'ov-stop', 'Media nodes')?.description ?? '', /2 draining/);
    emu.clock.advance(4 * 60_000);
    await view.until((v) => mediaRows(v, 'ov-stop').length === 1, 'the count falling to 1 in the view');
    await view.until(() => /^1 media node left: 1 draining/.test(lastProgress()), 'the count falling to 1 in the progress');
    // the rest of the shut down runs on a moving clock
    const t = setInterval(() => emu.clock.advance(60_000), 20);
    try {
      assert.equal(await done, true);
    } finally {
      clearInterval(t);
    }
    await view.until((v) => mediaRows(v, 'ov-stop').length === 0 && (v.find(REGION, 'ov-stop', 'Master nodes')?.children ?? []).every((m) => m.contextValue === 'node.master.stopped.shutdown'), 'no media node and 4 stopped masters');
  } finally {
    dispose();
  }
});

test('the demo cluster before SSM on its masters: they are "not checked" (and say when), never unhealthy', async () => {
  const { p, view, dispose } = open('openvidu-demo');
  try {
    await view.open();
    const s = await stackNode(p, 'openvidu-demo');
    fake.recorded.notifications.length = 0;
    const rows = await checkStatus(app, p, new ReportDocuments(), s);
    assert.ok(rows);
    assert.equal(fake.recorded.notifications.at(-1)?.message, 'openvidu-demo · all nodes: 2/2 checked nodes healthy · 4 not checked. The report says why the others were not checked.');
    assert.equal(fake.recorded.notifications.at(-1)?.level, 'info');
    await view.until(
      (v) => (v.find(REGION, 'openvidu-demo', 'Master nodes')?.children ?? []).every((m) => /^Not registered with SSM\..*\(checked \d\d:\d\d:\d\d\)$/s.test(m.children?.[0]?.label ?? '')),
      'the masters\' "Not registered with SSM" rows, with the time of the check',
    );
  } finally {
    dispose();
  }
});

test('the demo cluster after Enable SSM: the masters\' "not registered" rows go, and the cluster reports healthy', async () => {
  const { p, view, dispose } = open('openvidu-demo');
  const reports = new ReportDocuments();
  try {
    await view.open();
    let s = await stackNode(p, 'openvidu-demo');
    // the previous test's check left "Not registered with SSM" under each master
    assert.ok((view.find(REGION, 'openvidu-demo', 'Master nodes')?.children ?? []).every((m) => /^Not registered with SSM/.test(m.children?.[0]?.label ?? '')));
    fake.answers.message.push(ATTACH_BUTTON);
    assert.equal((await enableSsmOnMasters(app, p, s))?.attached, true);
    // the agents register within minutes; a Refresh (as the user did) or the poll shows them Online
    emu.clock.advance(10 * 60_000);
    p.refresh(s);
    await view.until((v) => {
      const masters = v.find(REGION, 'openvidu-demo', 'Master nodes')?.children ?? [];
      return masters.length === 4 && masters.every((m) => !/SSM/.test(m.description ?? '') && !m.children?.length);
    }, 'the masters registered with SSM and their stale "not registered" rows gone');
    s = await stackNode(p, 'openvidu-demo');
    fake.recorded.notifications.length = 0;
    await checkStatus(app, p, reports, s);
    assert.equal(fake.recorded.notifications.at(-1)?.message, 'openvidu-demo · all nodes: 6/6 checked nodes healthy.');
    // minio exits by design (S3 on AWS): shown as expected, not counted as down
    await view.until((v) => (v.find(REGION, 'openvidu-demo', 'Master nodes')?.children ?? []).every((m) => /\b12\/12 services up$/.test(m.description ?? '')), 'masters with 12/12 services up');
    const minio = view.find(REGION, 'openvidu-demo', 'Master nodes')!.children![0].children!.find((c) => c.label === 'minio');
    assert.equal(minio?.contextValue, 'service.expected');
    assert.match(minio?.description ?? '', /^Exited \(0\).* · expected$/);
  } finally {
    dispose();
  }
});

test('Delete: the progress ends when the stack is gone and the view drops it without a Refresh', async () => {
  await createOpenViduStack(emu, { name: 'ov-gone', mediaNodes: 1 });
  const { p, view, dispose } = open('ov-gone');
  try {
    await view.open();
    const s = await stackNode(p, 'ov-gone');
    const t = setInterval(() => emu.clock.advance(60_000), 20);
    let result;
    try {
      result = await deleteDeployment(app, p, s, { typedName: 'ov-gone', pollMs: 20 });
    } finally {
      clearInterval(t);
    }
    assert.equal(result?.status, 'deleted');
    await view.until((v) => !v.find(REGION, 'ov-gone'), 'the deleted stack gone from the view');
    // a CloudFormation delete cannot be cancelled: its progress offers no Cancel
    const progress = fake.recorded.progressOptions.find((o) => /Deleting ov-gone/.test(String(o.title)));
    assert.ok(progress, JSON.stringify(fake.recorded.progressOptions));
    assert.notEqual(progress.cancellable, true);
  } finally {
    dispose();
  }
});
