/**
 * Deploy wizard pieces that need neither AWS nor VS Code: the webview HTML and its CSP, the message protocol's
 * inbound validation, the form model (widgets, picker options, instance types not offered), the review model,
 * parameters files, and that persisted drafts never hold NoEcho values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, makeNonce, renderDeployHtml } from '../../src/features/shared/webviewHtml';
import { parseWebviewMessage, withoutSecrets, factsToContext, type AwsFacts, type DeployDraft } from '../../src/protocol/deployForm';
import { buildReview, exportParametersFile, formModel, importParametersFile, resourcesToCreate } from '../../src/protocol/deployFormModel';
import { bundledSpec } from '../../src/openvidu/bundled-specs';
import { displayText } from '../../src/openvidu/displayText';
import { validateDeployForm } from '../../src/openvidu/validation';

const spec = bundledSpec('3.8.0')!;

test('webview HTML: CSP default-src none, the one script by nonce, styles from the extension, no inline handlers or styles', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  const html = renderDeployHtml({ cspSource: 'https://webview.example', nonce, scriptUri: 'https://webview.example/dist/webview/main.js', styleUri: 'https://webview.example/dist/webview/main.css' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.match(csp, /style-src https:\/\/webview\.example(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  for (const s of scripts) {
    assert.ok(s.includes(`nonce="${nonce}"`), s);
    assert.match(s, /src="https:\/\/webview\.example\/dist\/webview\/main\.js"/);
  }
  assert.doesNotMatch(html, /<script\b[^>]*>[^<]+<\/script>/, 'no inline script body');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /<style\b|\sstyle=/i, 'no inline styles');
  assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https:\/\/webview\.example\/dist\/webview\/main\.css">/);
  assert.throws(() => renderDeployHtml({ cspSource: 'x', nonce: 'short', scriptUri: 'a', styleUri: 'b' }));
  assert.equal(contentSecurityPolicy('S', 'N123'), "default-src 'none'; img-src S data:; font-src S; style-src S; script-src 'nonce-N123'; form-action 'none'; base-uri 'none'");
});

test('webview nonce: from a cryptographic source, not Math.random', (t) => {
  t.mock.method(Math, 'random', () => 0.5);
  const a = makeNonce();
  const b = makeNonce();
  assert.match(a, /^[A-Za-z0-9]{32}$/);
  assert.notEqual(a, b, 'two nonces differ even when Math.random is constant');
  assert.ok(new Set(a).size > 8, a);
});

test('webview sources build the DOM with textContent: no innerHTML, no inline handlers, no eval', () => {
  // Every source file of the webview (it is split into parts: state, rpc, controls, views/…).
  const files = (readdirSync(join(__dirname, '../../webview/deploy'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => `webview/deploy/${f}`);
  assert.ok(files.length >= 10 && files.includes('webview/deploy/views/deployForm.ts'), files.join(', '));
  for (const f of files) {
    const src = readFileSync(join(__dirname, '../..', f), 'utf8');
    assert.doesNotMatch(src, /\.innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, f);
    assert.doesNotMatch(src, /setAttribute\(\s*['"]on/, f);
  }
});

const draft: DeployDraft = {
  stackName: 'ov-a',
  region: 'eu-west-1',
  version: '3.8.0',
  preserveOnFailure: true,
  values: { DomainName: 'a.example.com', OpenViduLicense: 'top-secret', OpenViduMasterNodeSubnets: ['subnet-0123456789abcdef0'] },
};

test('protocol: well-formed known messages pass (extra members dropped); malformed or unknown ones do not', () => {
  const ok = parseWebviewMessage({ type: 'create', requestId: 'w1', draft, acceptWarnings: false, extra: 'dropped' });
  assert.deepEqual(ok, { type: 'create', requestId: 'w1', draft, acceptWarnings: false });
  assert.deepEqual(parseWebviewMessage({ type: 'ready', requestId: 'w2' }), { type: 'ready', requestId: 'w2' });
  assert.deepEqual(parseWebviewMessage({ type: 'loadFacts', requestId: 'w3', region: 'us-east-1', version: 'latest', vpcId: '' }), { type: 'loadFacts', requestId: 'w3', region: 'us-east-1', version: 'latest', vpcId: undefined });
  const bad: unknown[] = [
    undefined,
    [],
    { type: 'ready' },
    { type: 'ready', requestId: 'has spaces' },
    { type: 'nope', requestId: 'w' },
    { type: 'loadTemplate', requestId: 'w', version: 'v1', region: 'eu-west-1' },
    { type: 'loadTemplate', requestId: 'w', version: '3.8.0', region: 'EU' },
    { type: 'loadFacts', requestId: 'w', region: 'eu-west-1', version: '3.8.0', vpcId: 'vpc-<script>' },
    { type: 'create', requestId: 'w', draft, acceptWarnings: 'yes' },
    { type: 'create', requestId: 'w', draft: { ...draft, values: { 'bad key': 'x' } }, acceptWarnings: true },
    { type: 'create', requestId: 'w', draft: { ...draft, values: { A: { nested: true } } }, acceptWarnings: true },
    { type: 'create', requestId: 'w', draft: { ...draft, values: { A: 'x'.repeat(5000) } }, acceptWarnings: true },
    { type: 'follow', requestId: 'w', region: 'eu-west-1', stackName: '1bad' },
  ];
  for (const b of bad) assert.equal(parseWebviewMessage(b), undefined, JSON.stringify(b)?.slice(0, 100));
});

test('persisted drafts drop NoEcho values', () => {
  const keys = spec.parameters.filter((p) => p.noEcho).map((p) => p.key);
  assert.ok(keys.includes('OpenViduLicense'));
  const persisted = withoutSecrets(draft, keys);
  assert.equal(persisted.values.OpenViduLicense, undefined);
  assert.ok(!JSON.stringify(persisted).includes('top-secret'));
  assert.equal(draft.values.OpenViduLicense, 'top-secret', 'the original is untouched');
});

const facts: AwsFacts = {
  region: 'eu-west-1',
  vpcId: 'vpc-0aaaaaaaaaaaaaaaa',
  vpcs: [{ id: 'vpc-0aaaaaaaaaaaaaaaa', name: 'openvidu-vpc', cidr: '10.0.0.0/16', isDefault: false }],
  subnets: [
    { id: 'subnet-0000000000000000a', vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZone: 'eu-west-1a', public: true, mapPublicIpOnLaunch: true, name: 'pub-a' },
    { id: 'subnet-0000000000000000c', vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZone: 'eu-west-1c', public: true, mapPublicIpOnLaunch: true },
    { id: 'subnet-0000000000000000d', vpcId: 'vpc-0aaaaaaaaaaaaaaaa', availabilityZone: 'eu-west-1a', public: false, mapPublicIpOnLaunch: false },
  ],
  keyPairs: ['openvidu-key'],
  certificates: [
    { arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111', domainName: 'example.com', subjectAlternativeNames: ['example.com', '*.example.com'], status: 'ISSUED' },
    { arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/22222222-2222-2222-2222-222222222222', domainName: 'other.org', subjectAlternativeNames: ['other.org'], status: 'ISSUED' },
  ],
  instanceTypesByZone: { 'eu-west-1a': ['c6a.xlarge', 'c7i.large'], 'eu-west-1c': ['c6a.xlarge'] },
  stackNamesInUse: ['taken'],
  problems: [],
};

test('form model: sections in template order, a widget per type, pickers from the AWS facts', () => {
  const values = { ...draft.values, DomainName: 'ov.example.com', OpenViduMasterNodeSubnets: ['subnet-0000000000000000a', 'subnet-0000000000000000c'] };
  const sections = formModel(spec, facts, values);
  // the template's group labels, with its obvious typos corrected for display (src/openvidu/displayText.ts)
  assert.deepEqual(sections.map((s) => s.label), spec.groups.map((g) => displayText(g.label)));
  const fields = new Map(sections.flatMap((s) => s.fields).map((f) => [f.key, f]));
  assert.equal(fields.get('OpenViduLicense')?.widget, 'secret');
  assert.equal(fields.get('OpenViduLicense')?.noEcho, true);
  assert.equal(fields.get('KeyName')?.widget, 'keyPair');
  assert.deepEqual(fields.get('KeyName')?.options?.map((o) => o.value), ['openvidu-key']);
  assert.equal(fields.get('OpenViduVPC')?.options?.[0].label, 'openvidu-vpc (vpc-0aaaaaaaaaaaaaaaa)');
  const subnets = fields.get('OpenViduMasterNodeSubnets')!;
  assert.equal(subnets.multiple, true);
  assert.ok(subnets.options!.find((o) => o.value === 'subnet-0000000000000000a')!.label.includes('eu-west-1a · public'));
  assert.equal(subnets.options!.find((o) => o.value === 'subnet-0000000000000000d')!.warning, 'private subnet');
  const cert = fields.get('OpenViduCertificateARN')!;
  assert.equal(cert.widget, 'certificate');
  assert.match(cert.options![0].label, /example\.com — ISSUED · covers ov\.example\.com/);
  assert.match(cert.options![1].warning ?? '', /does not cover ov\.example\.com/);
  const master = fields.get('MasterNodeInstanceType')!;
  assert.equal(master.widget, 'instanceType');
  assert.equal(master.options!.find((o) => o.value === 'c6a.xlarge')!.warning, undefined);
  assert.equal(master.options!.find((o) => o.value === 'c7i.large')!.warning, 'not offered in eu-west-1c');
  const disk = fields.get('MasterNodesDiskSize')!;
  assert.equal(disk.widget, 'number');
  assert.equal(disk.min, spec.parameters.find((p) => p.key === 'MasterNodesDiskSize')!.minValue);
  assert.ok(fields.get('DomainName')?.constraint, 'the template constraint text travels with the field');
  // the same validation as the host, with the facts as context
  const issues = validateDeployForm(spec, { ...values, StackName: 'taken' }, factsToContext(facts));
  assert.ok(issues.some((i) => i.field === 'StackName' && /already used/.test(i.message)));
});

test('review: NoEcho masked, defaults marked, resources to create, capabilities and OnFailure', () => {
  const r = buildReview(spec, { ...draft, values: { ...draft.values, S3AppDataBucketName: 'my-bucket', S3ClusterDataBucketName: '' } }, 'http://127.0.0.1:1/base');
  assert.equal(r.rows.find((x) => x.key === 'OpenViduLicense')?.value, '****');
  assert.ok(!JSON.stringify(r).includes('top-secret'));
  assert.equal(r.rows.find((x) => x.key === 'RTCEngine')?.usesDefault, true);
  assert.equal(r.templateUrl, 'http://127.0.0.1:1/base/3.8.0/aws/cf-openvidu-ha.yaml');
  assert.deepEqual(r.capabilities, ['CAPABILITY_NAMED_IAM']);
  assert.equal(r.onFailure, 'DO_NOTHING');
  assert.equal(buildReview(spec, { ...draft, preserveOnFailure: false }).onFailure, 'ROLLBACK');
  assert.ok(!r.resources.some((x) => x.logicalId === 'S3AppDataBucketResource'), 'a named bucket is not created');
  assert.ok(r.resources.some((x) => x.logicalId === 'S3ClusterDataBucketResource'));
  assert.equal(resourcesToCreate(spec, {}).length, Object.keys(spec.resources).length);
});

test('parameters file: the create-stack --parameters format without NoEcho values, and back', () => {
  const text = exportParametersFile(spec, { ...draft.values, RTCEngine: '' });
  const file = JSON.parse(text) as Array<{ ParameterKey: string; ParameterValue: string }>;
  assert.ok(file.every((p) => typeof p.ParameterKey === 'string' && typeof p.ParameterValue === 'string' && Object.keys(p).length === 2));
  assert.ok(!text.includes('top-secret'));
  assert.ok(!file.some((p) => p.ParameterKey === 'RTCEngine'), 'an empty value with a default is left to CloudFormation');
  const back = importParametersFile(spec, text);
  assert.deepEqual(back.values.OpenViduMasterNodeSubnets, ['subnet-0123456789abcdef0']);
  assert.equal(back.values.DomainName, 'a.example.com');
  assert.throws(() => importParametersFile(spec, '{"ParameterKey": "x"}'), /JSON array/);
  assert.throws(() => importParametersFile(spec, 'not json'), /not JSON/);
  assert.throws(() => importParametersFile(spec, '[{"Key": "x"}]'), /ParameterKey/);
});

test('protocol: a draft stack name must be empty or a CloudFormation stack name (it names a file and reaches logs)', () => {
  for (const stackName of ['a/b', '../etc', 'ov\nINFO forged', 'ov..x', 'x'.repeat(129), '1abc', 'ov_a', 'ov a']) {
    for (const type of ['review', 'exportParameters', 'create']) {
      const msg = { type, requestId: 'w', draft: { ...draft, stackName }, acceptWarnings: true };
      assert.equal(parseWebviewMessage(msg), undefined, `${type} ${JSON.stringify(stackName)}`);
    }
    assert.equal(parseWebviewMessage({ type: 'follow', requestId: 'w', region: 'eu-west-1', stackName }), undefined);
  }
  assert.deepEqual(parseWebviewMessage({ type: 'review', requestId: 'w', draft: { ...draft, stackName: '' } }), { type: 'review', requestId: 'w', draft: { ...draft, stackName: '' } });
  const padded = parseWebviewMessage({ type: 'exportParameters', requestId: 'w', draft: { ...draft, stackName: '  ov-a \n' } });
  assert.equal(padded?.type === 'exportParameters' && padded.draft.stackName, 'ov-a');
  const longest = 'a'.repeat(128);
  assert.equal(parseWebviewMessage({ type: 'follow', requestId: 'w', region: 'eu-west-1', stackName: longest })?.type, 'follow');
});
