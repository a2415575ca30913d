/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { allLabels, extension, findNode, SnapshotNode, waitForTree } from './helpers';

// The node groups, by what a user sees (label) or their context value (which may gain qualifiers).
const group = (stack: SnapshotNode | undefined, label: string, context: string) =>
  stack?.children?.find((g) => g.label === label || g.contextValue === context || g.contextValue?.startsWith(`${context}.`))?.children ?? [];
const masters = (stack?: SnapshotNode) => group(stack, 'Master nodes', 'group.masters');
const media = (stack?: SnapshotNode) => group(stack, 'Media nodes', 'group.media');

describe('explorer against the emulator (demo world)', () => {
  before(async () => {
    await vscode.commands.executeCommand('workbench.view.extension.openviduHa');
    await extension().activate();
  });

  it('lists the region eu-west-1 with the demo stack openvidu-demo', async () => {
    const tree = await waitForTree((t) => !!findNode(t, 'openvidu-demo'), 'openvidu-demo in the explorer');
    const region = tree.find((n) => n.label === 'eu-west-1');
    assert.ok(region, `no region node eu-west-1 at the top: ${JSON.stringify(allLabels(tree))}`);
    assert.ok(findNode(region.children, 'openvidu-demo'), 'openvidu-demo is not under eu-west-1');
  });

  it('shows the demo stack with its 4 master and 2 media nodes', async () => {
    const tree = await waitForTree((t) => {
      const s = findNode(t, 'openvidu-demo');
      return masters(s).length === 4 && media(s).length === 2;
    }, 'the demo stack with 4 master and 2 media nodes', 30_000);
    const stack = findNode(tree, 'openvidu-demo');
    const nodes = [...masters(stack), ...media(stack)];
    assert.ok(nodes.every((n) => n.contextValue?.startsWith('node.')), `unexpected node items: ${JSON.stringify(nodes)}`);
    assert.deepEqual(masters(stack).map((n) => n.label), ['Master 1', 'Master 2', 'Master 3', 'Master 4']);
  });

  it('keeps the stack after the refresh command', async () => {
    await vscode.commands.executeCommand('openviduHa.refresh');
    await waitForTree((t) => !!findNode(t, 'openvidu-demo'), 'openvidu-demo after refresh');
  });
});
