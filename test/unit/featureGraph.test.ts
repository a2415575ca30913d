/**
 * The arrows between features (docs/architecture.md, "The allowed arrows") go one way: the graph of which feature
 * imports which has no cycle, and the deploy feature knows nothing of update (update's one home is lifecycle,
 * which uses the deploy form's parts through deploy's index.ts, never the other way).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { tsFilesUnder } from '../support/sourceFiles';

const FEATURES = join(__dirname, '../../src/features');

/** feature → the other features its files import (static imports, re-exports, `import()` and `import('x').T`) */
function featureGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of tsFilesUnder(FEATURES)) {
    const from = relative(FEATURES, file).split(sep)[0];
    if (from === 'shared') continue; // the layer below the features (lint: it imports none of them)
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)'(\.[^']+)'/g)) {
      const target = relative(FEATURES, resolve(dirname(file), m[1]));
      const to = target.split(sep)[0];
      if (target.startsWith('..') || to === from || to === 'shared') continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const walk = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = walk(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = walk(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

test('the features import each other without a cycle', () => {
  const graph = featureGraph();
  assert.ok(graph.get('lifecycle')?.has('explorer'), 'the graph sees imports (lifecycle → explorer)');
  assert.deepEqual(findCycle(graph), undefined);
  // the walk itself finds one when there is one
  assert.deepEqual(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]])), ['a', 'b', 'a']);
});

test('update has one home: deploy imports nothing from lifecycle', () => {
  assert.ok(!featureGraph().get('deploy')?.has('lifecycle'), [...(featureGraph().get('deploy') ?? [])].join(', '));
});
