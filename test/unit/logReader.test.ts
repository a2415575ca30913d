import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realign } from '../../src/features/operations/logReader';

test('realign finds where a page continues: unmoved, moved forward, shorter window, lost', () => {
  const out = ['a', 'b', 'c', 'd', 'e'];
  // the page starts 3 lines back: our last line is expected at index 2
  assert.equal(realign(out, ['c', 'd', 'e', 'f', 'g'], 2), 2);
  // the window moved by 2 lines: our last line is 2 earlier
  assert.equal(realign(out, ['e', 'f', 'g', 'h'], 2), 0);
  // a window shorter than asked (small file): found after the expected index
  assert.equal(realign(out, ['a', 'b', 'c', 'd', 'e'], 2), 4);
  // repeated lines: the context decides
  assert.equal(realign(['x', 'y', 'x'], ['y', 'x', 'y', 'x', 'z'], 3), 3);
  // moved further than the overlap
  assert.equal(realign(out, ['g', 'h', 'i'], 2), undefined);
  assert.equal(realign([], ['a'], 0), -1);
});
