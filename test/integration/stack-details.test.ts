/**
 * The Stack details document against the emulator: parameters with NoEcho values masked, outputs, resources
 * with status and console links, tags, template version and drift status.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startTestbed, stackNode, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { StackDetailsDocumentProvider } from '../../src/features/dashboard/stackDetailsDocument';
import { DashboardFeature } from '../../src/features/dashboard/feature';
import { showStackDetails } from '../../src/features/dashboard/commands/showStackDetails';
import { MASK } from '../../src/openvidu/stackDetails';

let bed: Testbed;

before(async () => {
  bed = await startTestbed();
  await createOpenViduStack(bed.emu, { name: 'ov-details', mediaNodes: 1, parameters: { OpenViduLicense: 'LICENSE-SECRET-12345' } });
});
after(() => bed.stop());

test('Stack details: NoEcho parameters masked, outputs, resources with console links, tags, version, drift', async () => {
  const provider = new ClusterTreeProvider(bed.app);
  const feature = new DashboardFeature(bed.app, provider);
  try {
    const s = await stackNode(provider, 'ov-details');
    const uri = await showStackDetails(feature, s);
    assert.ok(uri);
    const text = await new StackDetailsDocumentProvider(bed.app).provideTextDocumentContent(uri as vscode.Uri);
    assert.ok(!text.includes('LICENSE-SECRET-12345'), 'the NoEcho licence never shows');
    assert.match(text, new RegExp(`\\| OpenViduLicense \\| ${MASK} \\|`));
    assert.match(text, /\| DomainName \| openvidu\.example\.com \|/);
    // the template's description carries no version and this stack has no deploy tag: said, not guessed
    assert.match(text, /^- OpenVidu template version: unknown$/m);
    assert.match(text, /^- Drift: not checked/m);
    assert.match(text, /## Outputs \(\d+\)/);
    assert.match(text, /\| OpenViduMediaNodeASG \| AWS::AutoScaling::AutoScalingGroup \| CREATE_COMPLETE \| \[openvidu-ha-media-asg-eu-west-1-ov-details\]\(https:\/\/[^)]*AutoScalingGroupDetails/);
    assert.match(text, /\| OpenViduMasterNode1 \| AWS::EC2::Instance \| CREATE_COMPLETE \| \[i-[0-9a-f]+\]\(https:\/\/[^)]*InstanceDetails/);
  } finally {
    feature.dispose();
    provider.dispose();
  }
});
