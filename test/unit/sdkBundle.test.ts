import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tsFilesUnder } from '../support/sourceFiles';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');


/** Value imports of the AWS SDK (type-only imports are erased and cost nothing). */
export function sdkValueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?[^;]*?from\s+['"](@aws-sdk\/[^'"]+)['"]/g)) if (!m[1]) out.push(m[2]);
  for (const m of text.matchAll(/import\(\s*['"](@aws-sdk\/[^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

test('the check sees static and dynamic SDK imports, not type-only ones', () => {
  assert.deepEqual(sdkValueImports("import type { Stack } from '@aws-sdk/client-cloudformation';"), []);
  assert.deepEqual(sdkValueImports("import { EC2Client } from '@aws-sdk/client-ec2';"), ['@aws-sdk/client-ec2']);
  assert.deepEqual(sdkValueImports("const m = () => import('@aws-sdk/client-ssm');"), ['@aws-sdk/client-ssm']);
});

test('only src/aws/sdkModules.ts (the second bundle, dist/aws-sdk.js) loads SDK modules; the rest go through src/aws/sdk.ts', () => {
  const offenders = tsFilesUnder(join(root, 'src'))
    .filter((p) => !p.endsWith(join('aws', 'sdkModules.ts')))
    .flatMap((p) => sdkValueImports(readFileSync(p, 'utf8')).map((m) => `${relative(root, p)}: ${m}`));
  assert.deepEqual(offenders, []);
});
