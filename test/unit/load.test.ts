import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ascending, cpuAgainstTarget, latest, nodeCountFromSamples, scaleTarget } from '../../src/openvidu/load';

test('the scaling target comes from ScaleTargetCPU, when it is a percentage', () => {
  assert.equal(scaleTarget({ ScaleTargetCPU: '50' }), 50);
  assert.equal(scaleTarget({}), undefined);
  assert.equal(scaleTarget({ ScaleTargetCPU: 'abc' }), undefined);
  assert.equal(scaleTarget({ ScaleTargetCPU: '150' }), undefined);
});

test('CPU against the target reads as the operator needs it', () => {
  assert.equal(cpuAgainstTarget(42.4, 50), 'CPU 42% · target 50%');
  assert.equal(cpuAgainstTarget(71, 50), 'CPU 71% · above target 50% (scale out expected)');
  assert.equal(cpuAgainstTarget(10, 50), 'CPU 10% · well below target 50%');
  assert.equal(cpuAgainstTarget(undefined, 50), 'CPU: no data yet · target 50%');
  assert.equal(cpuAgainstTarget(33, undefined), 'CPU 33%');
});

test('series: newest-first answers are sorted, the latest is found, sample counts become node counts', () => {
  const s = ascending([300, 100, 200], [3, 1, 2]);
  assert.deepEqual(s, { timestamps: [100, 200, 300], values: [1, 2, 3] });
  assert.deepEqual(latest(s), { at: 300, value: 3 });
  assert.equal(latest({ timestamps: [], values: [] }), undefined);
  assert.deepEqual(nodeCountFromSamples({ timestamps: [0, 1], values: [24, 12] }, 3600).values, [2, 1]);
  assert.deepEqual(nodeCountFromSamples({ timestamps: [0], values: [3] }, 300).values, [3]);
});
