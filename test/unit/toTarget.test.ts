/**
 * "Which stack or nodes does this tree item mean?" has one answer (src/features/explorer/target.ts): each row's
 * toTarget(), and targetOrPick's palette fallback (a stack pick, or a node pick).
 */
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { GroupNode, InstanceNode, MessageNode, PortForwardNode, RegionNode, ServiceNode, StackNode } from '../../src/features/explorer/treeNodes';
import { stackOrPick, targetOrPick, toTarget } from '../../src/features/explorer/target';
import type { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';

const fake = vscode as unknown as typeof import('../fakes/vscode');

const region = new RegionNode('eu-west-1', undefined);
const stack = new StackNode(region, { stackName: 'ov-a', stackId: 'arn:a', status: 'CREATE_COMPLETE' });
const other = new StackNode(region, { stackName: 'ov-b', stackId: 'arn:b', status: 'CREATE_COMPLETE' });
const masters = new GroupNode(stack, 'master');
const media = new GroupNode(stack, 'media');
const master = new InstanceNode(masters, { instanceId: 'i-0000000000000000a', role: 'master', index: 1, state: 'running' }, undefined);
const mediaNode = new InstanceNode(media, { instanceId: 'i-0000000000000000b', role: 'media', state: 'running' }, undefined);
const service = new ServiceNode(master, { name: 'openvidu', state: 'running', health: '', status: 'Up 2 hours' });
const forward = new PortForwardNode(master, { id: 'f1', instanceId: master.node.instanceId, remotePort: 3000, localPort: 3000, connections: 0 });
const explorer = { allStacks: async () => [stack, other], allInstances: async () => [master, mediaNode] } as unknown as ClusterTreeProvider;

beforeEach(() => fake.resetFake());

test('each row means one target: stack, node group, node, service; the others none', () => {
  assert.deepEqual(toTarget(stack), { kind: 'stack', region: 'eu-west-1', stack });
  assert.deepEqual(toTarget(media), { kind: 'nodeGroup', region: 'eu-west-1', stack, group: media, role: 'media' });
  assert.deepEqual(toTarget(master), { kind: 'node', region: 'eu-west-1', stack, instance: master, node: master.node });
  assert.deepEqual(toTarget(service), { kind: 'service', region: 'eu-west-1', stack, instance: master, node: master.node, service: 'openvidu' });
  for (const none of [region, forward, new MessageNode(stack, 'Loading…', 'info'), undefined, null, 'ov-a', { kind: 'stack', stack }]) assert.equal(toTarget(none), undefined, String(none));
});

test('from a row no quick pick is shown; from the palette the one stack or node pick is', async () => {
  assert.equal(await stackOrPick(explorer, service, 'Do something to…'), stack);
  assert.equal((await targetOrPick(explorer, service, 'Do something to…', 'node'))?.kind, 'service');
  assert.equal(fake.recorded.prompts.length, 0);

  fake.answers.quickPick.push('ov-b');
  assert.equal(await stackOrPick(explorer, undefined, 'Do something to…'), other);
  const stackPick = fake.recorded.prompts.at(-1)!;
  assert.deepEqual((stackPick.items as vscode.QuickPickItem[]).map((i) => i.label), ['ov-a', 'ov-b']);
  assert.equal((stackPick.options as vscode.QuickPickOptions).title, 'Do something to…');

  // a stack or group row does not mean one node: the node pick is shown
  fake.answers.quickPick.push('i-0000000000000000b');
  const picked = await targetOrPick(explorer, media, 'Copy instance id of…', 'node');
  assert.deepEqual(picked, { kind: 'node', region: 'eu-west-1', stack, instance: mediaNode, node: mediaNode.node });
  assert.deepEqual((fake.recorded.prompts.at(-1)!.items as vscode.QuickPickItem[]).map((i) => i.label), ['Master 1', 'i-0000000000000000b']);

  // cancelled
  assert.equal(await stackOrPick(explorer, undefined, 'Do something to…'), undefined);
});
