/// <reference types="mocha" />
// Runs first (files load in name order): the extension must stay inactive until its view or a command is used.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, waitFor } from './helpers';

describe('activation', () => {
  it('is installed and not active before its view or a command is used', () => {
    const ext = extension();
    assert.equal(ext.isActive, false, 'the extension activated at startup: check activationEvents');
    const events: string[] = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), `eager activation events: ${events.join(', ')}`);
  });

  it('activates when the OpenVidu HA view is opened from the activity bar', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.openviduHa');
    await waitFor(() => extension().isActive, 'the extension to activate after opening its view');
    // isActive is also true after a failed activation; activate() rethrows activate()'s error then.
    await extension().activate();
  });

  it('activation returned without error and left the view and commands usable', async () => {
    await extension().activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('openviduHa.refresh'), 'openviduHa.refresh is not registered');
  });
});
