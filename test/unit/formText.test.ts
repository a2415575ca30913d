/**
 * What the deploy/update form says (issue 13, items 9 and 10), as pure functions: display-only typo corrections,
 * the template's constraint shown as help only where it is help, issue messages with labels instead of raw keys,
 * and the update form's version options labelled against the version the stack runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bundledSpec } from '../../src/openvidu/bundled-specs';
import { DISPLAY_CORRECTIONS, displayText } from '../../src/openvidu/displayText';
import { KNOWN_VERSIONS, VERSION_CHOICES } from '../../src/openvidu/spec';
import { validateDeployForm } from '../../src/openvidu/validation';
import { compareVersions, downgradeWarning, needsDowngradeConfirmation, updateVersionOptions, versionRelation } from '../../src/openvidu/versionChoice';
import { buildReview, formModel } from '../../src/protocol/deployFormModel';
import { constraintHelp, fieldHelpText, issueText } from '../../webview/deploy/fieldText';

const spec = bundledSpec('3.8.0')!;
const fields = () => formModel(spec).flatMap((s) => s.fields);
const labels = () => new Map(fields().map((f) => [f.key, f.label]));

test('display corrections: "Load Blancer" reads "Load Balancer"; other text and partial words are left alone', () => {
  assert.equal(displayText('Domain and Load Blancer configuration'), 'Domain and Load Balancer configuration');
  assert.equal(displayText('Blancer'), 'Balancer');
  assert.equal(displayText('Blancers and LoadBlancer'), 'Blancers and LoadBlancer');
  assert.equal(displayText('Domain name for the OpenVidu High Availability cluster'), 'Domain name for the OpenVidu High Availability cluster');
  assert.equal(displayText(undefined), undefined);
  for (const c of DISPLAY_CORRECTIONS) assert.equal(displayText(c.wrong), c.right, c.seenIn);
});

test('the form and the review show the template group label corrected; the template itself is unchanged', () => {
  assert.equal(spec.groups[0].label, 'Domain and Load Blancer configuration', 'the template keeps its text');
  const sections = formModel(spec);
  assert.equal(sections[0].label, 'Domain and Load Balancer configuration');
  assert.ok(!sections.some((s) => /Blancer/.test(s.label)));
  const review = buildReview(spec, { stackName: 's', region: 'eu-west-1', version: '3.8.0', values: {}, preserveOnFailure: true });
  assert.ok(review.rows.some((r) => r.group === 'Domain and Load Balancer configuration'));
  assert.ok(!review.rows.some((r) => /Blancer/.test(r.group)));
});

test('first view: no field help carries "Template constraint" or a constraint worded as a failure', () => {
  for (const f of fields()) {
    const help = fieldHelpText(f) ?? '';
    assert.doesNotMatch(help, /Template constraint/, f.key);
    assert.doesNotMatch(help, /does not have a valid|must be defined|is mandatory|You must specify/i, `${f.key}: ${help}`);
  }
});

test('a constraint is help only when it is a format rule the form does not already show', () => {
  const byKey = new Map(fields().map((f) => [f.key, f]));
  assert.equal(constraintHelp(byKey.get('DomainName')!), undefined, 'worded as a failure');
  assert.equal(constraintHelp(byKey.get('OpenViduLicense')!), undefined, 'says "required", which the marker says');
  assert.equal(constraintHelp(byKey.get('OpenViduVPC')!), undefined);
  assert.equal(constraintHelp(byKey.get('MasterNodeInstanceType')!), undefined, 'the picker offers only valid types');
  assert.equal(constraintHelp(byKey.get('MasterNodesDiskSize')!), undefined, 'the minimum is shown as "At least 50."');
  assert.equal(constraintHelp(byKey.get('OpenViduCertificateARN')!), undefined);
  assert.match(constraintHelp(byKey.get('InitialMeetAdminPassword')!)!, /^Must contain only alphanumeric characters/);
  assert.match(fieldHelpText(byKey.get('AdditionalInstallFlags')!)!, /Must be a comma-separated list of flags/);
  assert.match(fieldHelpText(byKey.get('OpenViduLicense')!)!, /^Visit https:\/\/openvidu\.io\/account$/, 'no full stop glued to a URL');
});

test('the certificate field: the template attaches a domain-name sentence to it; the form gives its own help instead', () => {
  const p = spec.parameters.find((x) => x.key === 'OpenViduCertificateARN')!;
  assert.equal(p.constraintDescription, 'The Load Balancer domain name must be defined', 'what the template says (fixture)');
  assert.equal(p.allowedPattern, '.+', 'the constraint guards a non-empty certificate ARN, not the domain');
  const f = fields().find((x) => x.key === 'OpenViduCertificateARN')!;
  const help = fieldHelpText(f, { domainLabel: 'Domain Name' })!;
  assert.match(help, /ACM certificate \(ARN\) in this region, ISSUED, covering the Domain Name above/);
  assert.doesNotMatch(help, /domain name must be defined/);
});

test('issue messages use the field label, not the raw key; under the field the leading label is dropped', () => {
  const issues = validateDeployForm(spec, { StackName: 'x', DomainName: 'bad_domain', OpenViduCertificateARN: '', MasterNodesDiskSize: '20' }, { region: 'eu-west-1' });
  const msg = (k: string) => issues.find((i) => i.field === k)!.message;
  const l = labels();
  assert.equal(issueText(msg('DomainName'), l, 'DomainName'), 'The domain name does not have a valid domain name format. Correct the value.');
  assert.equal(issueText(msg('DomainName'), l), 'Domain Name: The domain name does not have a valid domain name format. Correct the value.');
  assert.match(issueText(msg('OpenViduCertificateARN'), l, 'OpenViduCertificateARN'), /^OpenVidu Certificate ARN is required/);
  assert.match(issueText(msg('MasterNodesDiskSize'), l, 'MasterNodesDiskSize'), /^Master Nodes Disk Size must be at least 50/);
  for (const i of issues) assert.doesNotMatch(issueText(i.message, l, i.field), /\b(DomainName|OpenViduCertificateARN|MasterNodesDiskSize|OpenViduVPC)\b/, i.message);
  // the user's own input, quoted, is never rewritten
  assert.equal(issueText('KeyName: key pair "DomainName" does not exist.', l, 'KeyName'), 'Key pair "DomainName" does not exist.');
});

test('version arithmetic: numeric, not lexical', () => {
  assert.ok(compareVersions('3.10.0', '3.9.0')! > 0);
  assert.ok(compareVersions('3.2.0', '3.8.0')! < 0);
  assert.equal(compareVersions('3.8.0', '3.8.0'), 0);
  assert.equal(compareVersions('latest', '3.8.0'), undefined);
  assert.equal(versionRelation('', '3.8.0'), 'keep');
  assert.equal(versionRelation('3.7.0', undefined), 'unknown');
});

test('update form on a 3.8.0 stack: the current version is named, older versions are "Downgrade", none is "Upgrade to" an older one', () => {
  const options = updateVersionOptions(VERSION_CHOICES, '3.8.0');
  assert.deepEqual(options[0], { value: '', relation: 'keep', label: 'Keep the current template (3.8.0)' });
  const by = new Map(options.map((o) => [o.value, o]));
  assert.equal(by.get('3.8.0')!.relation, 'current');
  assert.match(by.get('3.8.0')!.label, /current version/);
  for (const v of KNOWN_VERSIONS.filter((x) => x !== '3.8.0')) {
    assert.equal(by.get(v)!.relation, 'downgrade', v);
    assert.equal(by.get(v)!.label, `Downgrade to ${v}`);
  }
  assert.ok(!options.some((o) => o.relation !== 'latest' && /Upgrade to 3\.[2-8]\.0/.test(o.label)));
  assert.equal(by.get('latest')!.relation, 'latest');
  // a 3.5.0 stack: newer ones are upgrades
  const mid = new Map(updateVersionOptions(VERSION_CHOICES, '3.5.0').map((o) => [o.value, o]));
  assert.equal(mid.get('3.6.0')!.label, 'Upgrade to 3.6.0');
  assert.equal(mid.get('3.4.0')!.label, 'Downgrade to 3.4.0');
  assert.equal(needsDowngradeConfirmation('3.4.0', '3.5.0'), true);
  assert.equal(needsDowngradeConfirmation('3.6.0', '3.5.0'), false);
  assert.equal(needsDowngradeConfirmation('', '3.5.0'), false);
  assert.match(downgradeWarning('3.2.0', '3.8.0'), /Downgrade from 3\.8\.0 to 3\.2\.0/);
});
