/** The memory of recent SSM PingStatus answers that lets a status check send before reading them again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsSession } from '../../src/aws/session';
import { forgetPing, notePings, ONLINE_FRESH_MS, recentlyOnline } from '../../src/aws/ssmInventory';

const session = () => new AwsSession({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'x' } });
const ping = (pingStatus: string) => ({ pingStatus });

test('only Online answers younger than ONLINE_FRESH_MS count, per session', () => {
  const s = session();
  const t = 1_000_000;
  notePings(s, ['i-a', 'i-b', 'i-c'], new Map([['i-a', ping('Online')], ['i-b', ping('ConnectionLost')]]), t);
  assert.deepEqual([...recentlyOnline(s, ['i-a', 'i-b', 'i-c'], t + ONLINE_FRESH_MS - 1)], ['i-a']);
  assert.deepEqual([...recentlyOnline(s, ['i-a'], t + ONLINE_FRESH_MS)], []);
  assert.deepEqual([...recentlyOnline(session(), ['i-a'], t)], []);
});

test('an asked id left out of the answer (no longer managed) and a refused one are forgotten', () => {
  const s = session();
  notePings(s, ['i-a', 'i-b'], new Map([['i-a', ping('Online')], ['i-b', ping('Online')]]), 0);
  notePings(s, ['i-a'], new Map(), 10);
  forgetPing(s, 'i-b');
  assert.deepEqual([...recentlyOnline(s, ['i-a', 'i-b'], 20)], []);
  // an answer that did not ask about a node leaves what is known of it
  notePings(s, ['i-a'], new Map([['i-a', ping('Online')]]), 30);
  notePings(s, ['i-b'], new Map(), 40);
  assert.deepEqual([...recentlyOnline(s, ['i-a'], 50)], ['i-a']);
});
