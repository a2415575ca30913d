/// <reference types="mocha" />
// Settings changes must refresh the explorer by themselves (no refresh command is run here).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { allLabels, emulatorRequests, extension, findNode, lastRequestSeq, setSetting, waitForTree } from './helpers';

describe('settings refresh the explorer', () => {
  let endpoint = '';

  before(async () => {
    await extension().activate();
    endpoint = vscode.workspace.getConfiguration('openviduHa').get<string>('endpoint') ?? '';
    assert.ok(endpoint, 'openviduHa.endpoint is not set in the test workspace');
    await waitForTree((t) => !!findNode(t, 'openvidu-demo'), 'openvidu-demo before the settings changes');
  });

  after(async () => {
    await setSetting('regions', ['eu-west-1']);
    await setSetting('endpoint', endpoint);
  });

  it('shows the new region and drops the old one when openviduHa.regions changes', async () => {
    const seq = await lastRequestSeq();
    await setSetting('regions', ['us-east-1']);
    const tree = await waitForTree(
      (t) => t.some((n) => n.label === 'us-east-1') && !findNode(t, 'openvidu-demo'),
      'the explorer to show us-east-1 without openvidu-demo',
    );
    assert.ok(!tree.some((n) => n.label === 'eu-west-1'), `eu-west-1 still listed: ${JSON.stringify(allLabels(tree))}`);
    const calls = await emulatorRequests(seq);
    assert.ok(
      calls.some((e) => e.region === 'us-east-1' && e.service === 'cloudformation'),
      `no CloudFormation call for us-east-1 reached the emulator: ${JSON.stringify(calls.map((e) => `${e.region} ${e.service}:${e.action}`))}`,
    );
  });

  it('lists the demo stack again when the region comes back', async () => {
    await setSetting('regions', ['eu-west-1']);
    await waitForTree((t) => !!findNode(t, 'openvidu-demo'), 'openvidu-demo after restoring the region');
  });

  it('reloads from the new endpoint when openviduHa.endpoint changes', async () => {
    // A port nothing listens on: the tree must stop listing the stack (an error/message node instead).
    await setSetting('endpoint', 'http://127.0.0.1:9');
    const tree = await waitForTree((t) => t.length > 0 && !findNode(t, 'openvidu-demo'), 'the explorer to drop openvidu-demo with an unreachable endpoint', 45_000);
    assert.ok(allLabels(tree).length > 0, 'the explorer is empty: expected an error node explaining the failure');
    await setSetting('endpoint', endpoint);
    await waitForTree((t) => !!findNode(t, 'openvidu-demo'), 'openvidu-demo after restoring the endpoint', 45_000);
  });
});
