/** The update form's pure pieces: its protocol messages (validated by the host) and the plan built from a draft. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/protocol/deployForm';
import { UpdateController } from '../../src/features/lifecycle/updateController';
import { bundledSpec } from '../../src/openvidu/bundled-specs';

test('update messages: well-formed ones are accepted with their known members only, others are ignored', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'executeUpdate', requestId: 'a1', extra: 'x' }), { type: 'executeUpdate', requestId: 'a1' });
  assert.deepEqual(parseWebviewMessage({ type: 'discardUpdate', requestId: 'a2' }), { type: 'discardUpdate', requestId: 'a2' });
  assert.deepEqual(parseWebviewMessage({ type: 'loadUpdateTemplate', requestId: 'a3', version: '' }), { type: 'loadUpdateTemplate', requestId: 'a3', version: '' });
  assert.equal(parseWebviewMessage({ type: 'loadUpdateTemplate', requestId: 'a4', version: '../x' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'proposeUpdate', requestId: 'a5', draft: { version: '3.8.0', values: { A: 'b', S: ['subnet-1'] }, stackName: 'other' } }), {
    type: 'proposeUpdate',
    requestId: 'a5',
    draft: { version: '3.8.0', values: { A: 'b', S: ['subnet-1'] } },
  });
  assert.equal(parseWebviewMessage({ type: 'proposeUpdate', requestId: 'a6', draft: { version: 'latest', values: { A: 1 } } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'proposeUpdate', requestId: 'a7' }), undefined);
});

test('the plan holds only what differs; NoEcho values only when retyped; new parameters only when not their default', () => {
  const spec = bundledSpec('3.8.0')!;
  const current = { values: { DomainName: 'a.example.com', MasterNodeInstanceType: 'c6a.xlarge', OpenViduLicense: '****', OpenViduMasterNodeSubnets: 'subnet-1,subnet-2' }, noEcho: new Set(['OpenViduLicense']), tags: {} };
  const keep = UpdateController.plan(spec, current, { version: '', values: { DomainName: 'a.example.com', MasterNodeInstanceType: 'c6a.2xlarge', OpenViduLicense: '', OpenViduMasterNodeSubnets: ['subnet-1', 'subnet-2'] } });
  assert.deepEqual(keep, { version: undefined, changes: { MasterNodeInstanceType: 'c6a.2xlarge' } });
  const retyped = UpdateController.plan(spec, current, { version: '3.8.0', values: { OpenViduLicense: 'NEW' } });
  assert.deepEqual(retyped, { version: '3.8.0', changes: { OpenViduLicense: 'NEW' } });
  const newDefault = spec.parameters.find((p) => !(p.key in current.values) && !p.noEcho && p.default !== undefined)!;
  assert.deepEqual(UpdateController.plan(spec, current, { version: '', values: { [newDefault.key]: newDefault.default! } }).changes, {});
});
