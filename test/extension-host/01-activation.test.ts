/// <reference types="mocha" />
// Runs first (files load in name order): the extension must stay inactive until its view or a command is used.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extension, waitFor } from './helpers';

// Read when mocha loads the suites, before any test (whatever the file order) can activate the extension.
const activeAtLoad = vscode.extensions.getExtension(EXTENSION_ID)?.isActive;

describe('activation', () => {
  it('is installed and not active before its view or a command is used', () => {
    const ext = extension();
    assert.equal(activeAtLoad, false, 'the extension activated at startup: check activationEvents');
    const events: string[] = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
  });

  // Activation by a command is checked here; activation by opening the view is the UI suite's first step
  // (its tree only fills if the view activated the extension).
  it('activates when one of its commands runs (OpenVidu: Refresh)', async () => {
    await vscode.commands.executeCommand('openviduHa.refresh');
    await waitFor(() => extension().isActive, 'the extension to activate after openviduHa.refresh');
    // isActive is also true after a failed activation; activate() rethrows activate()'s error then.
    await extension().activate();
  });

  it('activation returned without error and left the view and commands usable', async () => {
    await extension().activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('openviduHa.refresh'), 'openviduHa.refresh is not registered');
  });
});
