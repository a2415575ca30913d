/**
 * Restricted Mode: the folder's values of openviduHa.profile / endpoint / templateBaseUrl do not apply while the
 * workspace is untrusted (package.json restrictedConfigurations, enforced by the extension in trustedSettings.ts);
 * once trusted they do, and the sessions are rebuilt. The same rule in the real workbench: test/ui/restricted.test.ts.
 */
import { test, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fake from '../fakes/vscode';
import { readSettings } from '../../src/features/shared/appContext';
import { templateBaseUrl } from '../../src/features/shared/templateBaseUrl';
import { RESTRICTED_SETTINGS } from '../../src/features/shared/trustedSettings';

beforeEach(() => fake.resetFake());

test('package.json restricts exactly the settings the extension guards', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.deepEqual(
    [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
    RESTRICTED_SETTINGS.map((k) => `openviduHa.${k}`).sort(),
  );
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('untrusted: the folder cannot redirect AWS calls or templates; the user values apply', () => {
  fake.setSetting('openviduHa.endpoint', 'http://127.0.0.1:4566');
  fake.setSetting('openviduHa.profile', 'mine');
  fake.setWorkspaceSetting('openviduHa.endpoint', 'http://127.0.0.1:9');
  fake.setWorkspaceSetting('openviduHa.profile', 'someone-elses');
  fake.setWorkspaceSetting('openviduHa.templateBaseUrl', 'https://attacker.s3.amazonaws.com/t');
  fake.setWorkspaceSetting('openviduHa.regions', ['us-east-1']);
  fake.workspace.isTrusted = false;
  const s = readSettings();
  assert.equal(s.endpoint, 'http://127.0.0.1:4566');
  assert.equal(s.profile, 'mine');
  assert.deepEqual(s.regions, ['us-east-1'], 'regions are not restricted: browsing another region is harmless');
  assert.equal(templateBaseUrl(), 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha');
});

test('trusted: the folder values apply (and trust granted later takes effect)', () => {
  fake.setSetting('openviduHa.endpoint', 'http://127.0.0.1:4566');
  fake.setWorkspaceSetting('openviduHa.endpoint', 'http://127.0.0.1:9');
  fake.workspace.isTrusted = false;
  assert.equal(readSettings().endpoint, 'http://127.0.0.1:4566');
  fake.grantWorkspaceTrust();
  assert.equal(readSettings().endpoint, 'http://127.0.0.1:9');
});
