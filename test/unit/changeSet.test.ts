import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffParameters, formatChangeSet, summarizeChangeSet } from '../../src/openvidu/changeSet';

const replaceMaster = {
  Action: 'Modify',
  LogicalResourceId: 'OpenViduMasterNode1',
  ResourceType: 'AWS::EC2::Instance',
  PhysicalResourceId: 'i-1',
  Replacement: 'True',
  Details: [{ Target: { Attribute: 'Properties', Name: 'InstanceType', RequiresRecreation: 'Always' } }],
};

test('replacing a master node is flagged loudly', () => {
  const s = summarizeChangeSet([replaceMaster, { Action: 'Modify', LogicalResourceId: 'OpenViduMediaNodeLaunchTemplate', ResourceType: 'AWS::EC2::LaunchTemplate', Replacement: 'False' }], []);
  assert.equal(s.mastersReplaced, true);
  assert.equal(s.replacements.length, 1);
  assert.equal(s.others.length, 1);
  const text = formatChangeSet('demo', '3.6.0', '3.8.0', s);
  assert.match(text, /MASTER NODES WILL BE REPLACED/);
  assert.match(text, /upgrade 3\.6\.0 → 3\.8\.0/);
  assert.match(text, /\*\*Modify\*\* OpenViduMasterNode1 \(AWS::EC2::Instance\) `i-1` \(because of InstanceType\)/);
});

test('conditional master replacement is flagged too; a media-only change is not', () => {
  assert.equal(summarizeChangeSet([{ ...replaceMaster, Replacement: 'Conditional' }], []).mastersReplaced, true);
  const media = summarizeChangeSet([{ Action: 'Modify', LogicalResourceId: 'OpenViduMediaNodeASG', Replacement: 'False' }], []);
  assert.equal(media.mastersReplaced, false);
  assert.doesNotMatch(formatChangeSet('demo', '3.8.0', '3.8.0', media), /WILL BE REPLACED/);
});

test('parameter diffs show changed values and never NoEcho values', () => {
  const diffs = diffParameters(
    { MasterNodeInstanceType: 'c6a.xlarge', OpenViduLicense: '****', ScaleTargetCPU: '50' },
    { MasterNodeInstanceType: 'c6a.2xlarge', OpenViduLicense: 'new-secret-license', ScaleTargetCPU: '50', KeyName: undefined },
    new Set(['OpenViduLicense']),
  );
  assert.deepEqual(diffs.map((d) => [d.key, d.from, d.to]), [
    ['MasterNodeInstanceType', 'c6a.xlarge', 'c6a.2xlarge'],
    ['OpenViduLicense', '****', '**** (new value)'],
  ]);
  assert.doesNotMatch(formatChangeSet('x', undefined, undefined, summarizeChangeSet([], diffs)), /new-secret-license/);
});
