import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tsFilesUnder } from '../support/sourceFiles';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '../..');


/**
 * `Promise.all([a(), b(await c())])` starts a() and then waits for c() before b() exists: if a() fails meanwhile,
 * nothing observes it yet, and Node reports an unhandled rejection (in the tests, a failure pinned on whatever test
 * runs then). It happened with the lazily loaded SDK command modules; load them before the calls start.
 */
export function awaitsInsidePromiseAll(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && /^Promise\.(all|allSettled|race|any)$/.test(n.expression.getText(sf)) && n.arguments[0] && ts.isArrayLiteralExpression(n.arguments[0])) {
      n.arguments[0].elements.forEach((element, i) => {
        let awaits = false;
        const inner = (x: ts.Node): void => {
          if (ts.isFunctionLike(x)) return;
          if (ts.isAwaitExpression(x)) awaits = true;
          ts.forEachChild(x, inner);
        };
        inner(element);
        if (awaits && i > 0) found.push(`${file}:${sf.getLineAndCharacterOfPosition(element.getStart(sf)).line + 1}`);
      });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test('the check finds an await between two calls of one Promise.all', () => {
  assert.deepEqual(awaitsInsidePromiseAll('x.ts', 'async function f() { await Promise.all([a(), b(await c())]); }'), ['x.ts:1']);
  assert.deepEqual(awaitsInsidePromiseAll('x.ts', 'async function f() { await Promise.all([a(), b(async () => await c())]); }'), []);
});

test('no Promise.all in src/ or webview/ awaits between the calls it starts (no unobserved rejections)', () => {
  const offenders = ['src', 'webview'].flatMap((d) => tsFilesUnder(join(root, d))).flatMap((p) => awaitsInsidePromiseAll(relative(root, p), readFileSync(p, 'utf8')));
  assert.deepEqual(offenders, []);
});
