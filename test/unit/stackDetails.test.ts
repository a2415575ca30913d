import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, maskedValue, renderStackDetails } from '../../src/openvidu/stackDetails';

test('NoEcho values are masked even when CloudFormation returned them in clear; its own **** stays masked', () => {
  const noEcho = new Set(['OpenViduLicense']);
  assert.equal(maskedValue('OpenViduLicense', 'clear-text-licence', noEcho), MASK);
  assert.equal(maskedValue('Other', '****', noEcho), MASK);
  assert.equal(maskedValue('DomainName', 'a.example.com', noEcho), 'a.example.com');
  const md = renderStackDetails({
    stackName: 'x', region: 'eu-west-1', stackId: 'arn:x', status: 'CREATE_COMPLETE', parameters: [{ key: 'OpenViduLicense', value: 'clear-text-licence' }, { key: 'Note', value: 'a|b' }], noEcho,
    outputs: [], resources: [], tags: [{ key: 'team', value: 'video' }], driftStatus: 'DRIFTED', driftCheckedAt: Date.UTC(2026, 0, 1),
  });
  assert.ok(!md.includes('clear-text-licence'));
  assert.match(md, /\| Note \| a\\\|b \|/);
  assert.match(md, /Drift: DRIFTED \(checked 2026-01-01 \d\d:\d\d:\d\d [A-Z+\d:-]+\)/);
  assert.match(md, /\| team \| video \|/);
});
