import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRun, checkGroupSize, decodeSavedSize, deletionImpact, encodeSavedSize } from '../../src/openvidu/lifecycle';

test('actions refuse stacks in states where they cannot work, with the reason', () => {
  assert.deepEqual(canRun('scale', 'CREATE_COMPLETE'), { ok: true });
  assert.deepEqual(canRun('update', 'UPDATE_ROLLBACK_COMPLETE'), { ok: true });
  const during = canRun('update', 'UPDATE_IN_PROGRESS');
  assert.ok(!during.ok && /wait until the operation in progress finishes/.test(during.reason));
  const rolledBack = canRun('shutdown', 'ROLLBACK_COMPLETE');
  assert.ok(!rolledBack.ok && /can only be deleted/.test(rolledBack.reason));
  assert.deepEqual(canRun('delete', 'ROLLBACK_COMPLETE'), { ok: true });
  assert.deepEqual(canRun('delete', 'DELETE_FAILED'), { ok: true });
  assert.ok(!canRun('delete', 'DELETE_IN_PROGRESS').ok);
  assert.ok(!canRun('start', 'CREATE_FAILED').ok);
});

test('group sizes: whole numbers with 0 <= min <= desired <= max', () => {
  assert.deepEqual(checkGroupSize({ min: '1', desired: '2', max: '5' }).size, { min: 1, desired: 2, max: 5 });
  assert.deepEqual(checkGroupSize({ min: 0, desired: 0, max: 0 }).size, { min: 0, desired: 0, max: 0 });
  assert.match(checkGroupSize({ min: '1', desired: '2.5', max: '5' }).issues[0].message, /Desired must be a whole number/);
  assert.match(checkGroupSize({ min: '-1', desired: '2', max: '5' }).issues[0].message, /Minimum must be a whole number/);
  assert.match(checkGroupSize({ min: '1', desired: '6', max: '5' }).issues[0].message, /Desired \(6\) must not be above the maximum \(5\)/);
  assert.match(checkGroupSize({ min: '3', desired: '2', max: '5' }).issues[0].message, /Desired \(2\) must be at least the minimum \(3\)/);
  assert.equal(checkGroupSize({ min: '6', desired: '6', max: '5' }).issues[0].field, 'min');
  assert.match(checkGroupSize({ min: '0', desired: '1', max: '5000' }).issues[0].message, /typo/);
});

test('saved sizes round-trip through the tag value and reject nonsense', () => {
  const size = { min: 1, desired: 3, max: 8 };
  assert.deepEqual(decodeSavedSize(encodeSavedSize(size)), size);
  assert.equal(decodeSavedSize('min=3,desired=1,max=8'), undefined);
  assert.equal(decodeSavedSize('garbage'), undefined);
  assert.equal(decodeSavedSize(undefined), undefined);
});

test('deletion lists the retained buckets by name and what is lost', () => {
  const impact = deletionImpact([
    { logicalId: 'S3AppDataBucketResource', type: 'AWS::S3::Bucket', physicalId: 'demo-appdata-abc' },
    { logicalId: 'OpenViduSharedInfo', type: 'AWS::SecretsManager::Secret', physicalId: 'arn:secret' },
  ]);
  assert.equal(impact.retained.length, 1);
  assert.match(impact.retained[0], /demo-appdata-abc/);
  assert.ok(impact.lost.some((l) => /secret/.test(l)));
});

test('the deletion counts the master nodes that exist (a failed creation may have fewer than 4)', () => {
  const master = (n: number, status = 'CREATE_COMPLETE') => ({ logicalId: `OpenViduMasterNode${n}`, type: 'AWS::EC2::Instance', physicalId: `i-${n}`, status });
  assert.ok(deletionImpact([1, 2, 3, 4].map((n) => master(n))).lost.includes('the 4 master nodes and their disks (MongoDB, Redis, MinIO/S3 cache, Grafana/Loki/Mimir data)'));
  const three = deletionImpact([master(1), master(2), master(3), { logicalId: 'OpenViduMasterNode4', type: 'AWS::EC2::Instance', physicalId: undefined as never, status: 'CREATE_FAILED' }]);
  assert.ok(three.lost.some((l) => /^the 3 master nodes/.test(l)), JSON.stringify(three.lost));
  assert.ok(deletionImpact([master(1)]).lost.some((l) => /^the 1 master node and its disk /.test(l)));
  assert.ok(!deletionImpact([]).lost.some((l) => /master/.test(l)), 'no master line when none exists');
});
