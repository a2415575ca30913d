/**
 * The layer rules of docs/architecture.md, as eslint.config.mjs enforces them: each rule is fed a snippet that
 * breaks it (through ESLint's Node API, with the project's own config), so a rule cannot stop working silently;
 * and the import that the rule's message recommends instead passes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'house/layers' || m.fatal).map((m) => m.message);
}

async function rejects(file: string, code: string, expected: RegExp): Promise<void> {
  const messages = await layerMessages(file, code);
  assert.equal(messages.length, 1, `${file}: expected one layer error for ${code}, got ${JSON.stringify(messages)}`);
  assert.match(messages[0], expected);
}

async function accepts(file: string, code: string): Promise<void> {
  assert.deepEqual(await layerMessages(file, code), [], `${file}: ${code}`);
}

test('src/openvidu imports neither vscode, nor src/aws, nor a feature, nor the AWS SDK', async () => {
  await rejects('src/openvidu/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", /src\/openvidu imports no 'vscode'/);
  await rejects('src/openvidu/probe.ts', "import type { AwsSession } from '../aws/session';\nexport type S = AwsSession;\n", /src\/openvidu imports nothing from src\/aws/);
  await rejects('src/openvidu/probe.ts', "import type { Explorer } from '../features/explorer';\nexport type E = Explorer;\n", /src\/openvidu imports no feature/);
  await rejects('src/openvidu/probe.ts', "export const load = () => import('@aws-sdk/client-ec2');\n", /'@aws-sdk\/client-ec2' is imported only in src\/aws/);
  await accepts('src/openvidu/probe.ts', "import { templateUrl } from './template';\nexport const t = templateUrl;\n");
});

test('src/protocol (imported by the webview and the host) imports no vscode, no src/aws, no feature; src/openvidu does not import it', async () => {
  await rejects('src/protocol/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", /src\/protocol imports no 'vscode'/);
  await rejects('src/protocol/probe.ts', "import type { AwsSession } from '../aws/session';\nexport type S = AwsSession;\n", /src\/protocol imports nothing from src\/aws/);
  await rejects('src/protocol/probe.ts', "import type { Explorer } from '../features/explorer';\nexport type E = Explorer;\n", /src\/protocol imports no feature/);
  await rejects('src/openvidu/probe.ts', "import type { X } from '../protocol/deployForm';\nexport type Y = X;\n", /imports nothing from src\/protocol/);
  await accepts('src/protocol/probe.ts', "import { templateUrl } from '../openvidu/template';\nexport const t = templateUrl;\n");
  await accepts('webview/dashboard/probe.ts', "import type { X } from '../../src/protocol/deployForm';\nexport type Y = X;\n");
  await accepts('src/aws/probe.ts', "import type { X } from '../protocol/deployForm';\nexport type Y = X;\n");
});

test('src/aws imports no vscode and no feature; it is where the AWS SDK is imported', async () => {
  await rejects('src/aws/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", /src\/aws imports no 'vscode'/);
  await rejects('src/aws/sessionManager/probe.ts', "import type { AppContext } from '../../features/shared/appContext';\nexport type A = AppContext;\n", /src\/aws imports no feature/);
  await accepts('src/aws/probe.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const c = EC2Client;\n");
});

test('a feature imports the AWS SDK neither statically, lazily nor as a type', async () => {
  await rejects('src/features/operations/probe.ts', "import { S3Client } from '@aws-sdk/client-s3';\nexport const c = S3Client;\n", /only in src\/aws/);
  await rejects('src/features/operations/probe.ts', "export const load = () => import('@aws-sdk/client-ssm');\n", /only in src\/aws/);
  await rejects('src/features/operations/probe.ts', "export type I = import('@aws-sdk/client-ec2').Instance;\n", /only in src\/aws/);
});

test('a feature imports another feature only through its index.ts, at any depth', async () => {
  await rejects('src/features/operations/commands/probe.ts', "import type { StackNode } from '../../explorer/treeNodes';\nexport type S = StackNode;\n", /only through its index\.ts: import from '\.\.\/\.\.\/explorer'/);
  await rejects('src/features/operations/probe.ts', "export { pickStack } from '../explorer/pickers';\n", /only through its index\.ts: import from '\.\.\/explorer'/);
  await accepts('src/features/operations/commands/probe.ts', "import type { StackNode } from '../../explorer';\nexport type S = StackNode;\n");
  // its own files and the shared layer below are open to it
  await accepts('src/features/operations/commands/probe.ts', "import { nodeLabel } from '../targets';\nimport type { AppContext } from '../../shared/appContext';\nexport type A = [typeof nodeLabel, AppContext];\n");
  await rejects('src/extension.ts', "import { ClusterTreeProvider } from './features/explorer/clusterTreeProvider';\nexport const c = ClusterTreeProvider;\n", /src\/extension\.ts imports a feature only through its index\.ts/);
});

test('src/features/shared is a layer below the features: it imports none of them', async () => {
  await rejects('src/features/shared/probe.ts', "import type { Operations } from '../operations';\nexport type O = Operations;\n", /src\/features\/shared is the layer below the features/);
  await accepts('src/features/shared/probe.ts', "import { NodeStatusStore } from './nodeStatusStore';\nexport const s = NodeStatusStore;\n");
});

test('webview/ imports no feature, no vscode, nothing from src/aws, no AWS SDK', async () => {
  await rejects('webview/dashboard/probe.ts', "import type { DashboardFeature } from '../../src/features/dashboard';\nexport type D = DashboardFeature;\n", /webview\/ imports no feature/);
  await rejects('webview/dashboard/probe.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n", /webview\/ imports no 'vscode'/);
  await rejects('webview/dashboard/probe.ts', "import { regionOf } from '../../src/aws/regions';\nexport const r = regionOf;\n", /webview\/ imports nothing from src\/aws/);
  await rejects('webview/dashboard/probe.ts', "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const c = EC2Client;\n", /only in src\/aws/);
  await accepts('webview/dashboard/probe.ts', "import { formatAge } from '../../src/openvidu/rooms';\nexport const f = formatAge;\n");
});

test('no file in src/ or webview/ passes 400 lines', async () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
  const [long] = await eslint.lintText(lines(401), { filePath: join(root, 'src/openvidu/probe.ts') });
  assert.deepEqual(long.messages.map((m) => m.ruleId), ['max-lines']);
  const [fits] = await eslint.lintText(lines(400), { filePath: join(root, 'webview/dashboard/probe.ts') });
  assert.deepEqual(fits.messages, []);
});
