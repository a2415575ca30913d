/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension } from './helpers';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

describe('commands', () => {
  before(async () => {
    await extension().activate();
  });

  it('registers every command contributed in package.json', async () => {
    const contributed = ((extension().packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('puts every contributed command in the "OpenVidu" category with a title', () => {
    const cmds = (extension().packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
    for (const c of cmds) {
      assert.ok(c.command.startsWith('openviduHa.'), `${c.command}: id outside the openviduHa namespace`);
      assert.equal(c.category, 'OpenVidu', `${c.command}: category`);
      assert.ok(c.title?.trim(), `${c.command}: empty title`);
    }
  });

  it('provides the test-only tree snapshot command', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes('openviduHa.internal.treeSnapshot'));
  });
});
