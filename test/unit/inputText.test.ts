/**
 * Error messages quote at most ~80 characters of what was typed or read: one helper (src/openvidu/inputText.ts)
 * used by every place that echoes input (validation, dotenv/JSON config writes, custom mappings, template
 * versions, scale sizes, node command arguments).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipInput, quoteInput, QUOTE_MAX } from '../../src/openvidu/inputText';
import { checkServiceName, checkSince, logFileScript } from '../../src/openvidu/nodeCommands';
import { parseCustomMapping } from '../../src/openvidu/credentials';
import { templateUrl } from '../../src/openvidu/spec';
import { checkGroupSize } from '../../src/openvidu/lifecycle';
import { mergeDotenv, mergeJsonConfig } from '../../src/openvidu/dotenv';

const HUGE = `Z${'y'.repeat(100_000)}`;

test('quoteInput: short input whole and quoted; long input cut at 80 characters with its length; control characters escaped', () => {
  assert.equal(quoteInput('abc'), '"abc"');
  const q = quoteInput(HUGE);
  assert.equal(q, `"Z${'y'.repeat(QUOTE_MAX - 1)}…" (100001 characters)`);
  assert.equal(quoteInput('a\nb\u0000'), '"a\\nb\\u0000"');
  assert.equal(clipInput('x'.repeat(81)), `${'x'.repeat(80)}… (81 characters)`);
  // astral characters are not split
  assert.equal(quoteInput('😀'.repeat(81)).startsWith(`"${'😀'.repeat(80)}…"`), true);
});

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail('expected a throw');
}

test('every place that echoes input clips it', () => {
  const messages: Array<[string, string]> = [
    ['service name', messageOf(() => checkServiceName(HUGE))],
    ['since', messageOf(() => checkSince(HUGE))],
    ['log file', messageOf(() => logFileScript(HUGE, 10))],
    ['custom mapping', parseCustomMapping(`A=${HUGE}`).error ?? ''],
    ['custom mapping pair', parseCustomMapping(`${HUGE}!`).error ?? ''],
    ['template version', messageOf(() => templateUrl(HUGE))],
    ['group size', checkGroupSize({ min: HUGE, desired: '1', max: '2' }).issues[0]?.message ?? ''],
    ['dotenv key', messageOf(() => mergeDotenv('', { [`${HUGE} `]: 'x' }))],
    ['JSON key path', messageOf(() => mergeJsonConfig(`{"${HUGE}": 1}`, [HUGE], { a: 'b' }))],
  ];
  for (const [what, m] of messages) {
    assert.ok(m.length > 0, what);
    assert.ok(m.length < 300, `${what}: ${m.length} characters`);
    assert.match(m, /Zy{79}…/, what);
  }
});

test('a custom mapping cannot name a variable __proto__ (a JavaScript object would drop it)', () => {
  assert.match(parseCustomMapping('__proto__=livekitUrl').error ?? '', /"__proto__" cannot be a variable name.*prototype/);
  assert.deepEqual(parseCustomMapping('PROTO=livekitUrl').mapping, { PROTO: 'livekitUrl' });
});
