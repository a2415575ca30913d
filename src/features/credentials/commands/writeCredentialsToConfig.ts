/**
 * Writes a cluster's credentials into a workspace config file (.env*, or JSON at a key path):
 * read the secret (waiting if needed) → preset → target → git check (offer .gitignore) → diff of the current file against the
 * proposed one → modal "Write" → atomic write (temp file + rename), or, when the file is open with unsaved
 * changes, a WorkspaceEdit through the editor so undo works. Messages name variables and files, never values.
 */
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { ExplorerNode } from '../../explorer';
import { CREDENTIAL_SOURCES, ENV_PRESETS, envValues, parseCustomMapping, type CredentialSource } from '../../../openvidu/credentials';
import { mergeDotenv, mergeJsonConfig } from '../../../openvidu/dotenv';
import type { CredentialsFeature, StackRef } from '../feature';
import { loadReadyCredentials } from '../loadCredentials';
import { addToGitignore, gitFileState } from '../gitCheck';
import { readTextIfExists, writeFileAtomic } from '../writeFile';

export const WRITE_ACTION = 'Write';
export const ADD_TO_GITIGNORE = 'Add to .gitignore';
export const WRITE_ANYWAY = 'Write Anyway';
const NEW_FILE = '$(new-file) New file…';

interface PresetChoice {
  label: string;
  mapping: Record<string, CredentialSource>;
  defaultFile: string;
}

async function pickPreset(): Promise<PresetChoice | undefined> {
  type Item = vscode.QuickPickItem & { id: string };
  const items: Item[] = [
    ...ENV_PRESETS.map((p) => ({ label: p.label, description: p.description, id: p.id })),
    { label: 'Custom…', description: 'your own variable names', id: 'custom' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Write credentials: which variables?', placeHolder: 'Preset of variable names' });
  if (!picked) return undefined;
  if (picked.id !== 'custom') {
    const p = ENV_PRESETS.find((x) => x.id === picked.id)!;
    return { label: p.label, mapping: p.mapping, defaultFile: p.id === 'nextjs' ? '.env.local' : '.env' };
  }
  const text = await vscode.window.showInputBox({
    title: 'Custom variable names',
    prompt: `NAME=source pairs separated by commas. Sources: ${CREDENTIAL_SOURCES.map((s) => s.id).join(', ')}`,
    placeHolder: 'VITE_LIVEKIT_URL=livekitUrl, LK_API_KEY=livekitApiKey, LK_API_SECRET=livekitApiSecret',
    validateInput: (v) => parseCustomMapping(v).error,
  });
  if (text === undefined) return undefined;
  const { mapping } = parseCustomMapping(text);
  return mapping ? { label: 'custom', mapping, defaultFile: '.env' } : undefined;
}

async function pickTarget(defaultFile: string): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    void vscode.window.showErrorMessage('Open a folder first: credentials are written to a file in the workspace.');
    return undefined;
  }
  const found = await vscode.workspace.findFiles('**/{.env,.env.*,*.env}', '**/node_modules/**', 200);
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = found
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri, folders.length > 1), description: 'existing file', uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  items.push({ label: NEW_FILE, description: 'a .env file, or a .json file (values under a key path)' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Write credentials to…', placeHolder: 'Target file in the workspace' });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder of the new file' }) : folders[0];
  if (!folder) return undefined;
  const rel = await vscode.window.showInputBox({
    title: 'New file',
    prompt: `Path relative to ${folder.name}`,
    value: defaultFile,
    validateInput: (v) => {
      const t = v.trim();
      if (!t) return 'Give a file name.';
      if (t.startsWith('/') || /(^|[\\/])\.\.([\\/]|$)/.test(t)) return 'Use a path inside the workspace folder.';
      return undefined;
    },
  });
  if (!rel) return undefined;
  return vscode.Uri.joinPath(folder.uri, ...rel.trim().split(/[\\/]+/));
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

async function readTarget(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme === 'file') return readTextIfExists(uri.fsPath);
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function writeTarget(uri: vscode.Uri, text: string): Promise<void> {
  if (uri.scheme === 'file') return writeFileAtomic(uri.fsPath, text);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Warns when the file is tracked by git or not ignored; offers .gitignore. False = the user cancelled. */
async function gitGuard(uri: vscode.Uri, label: string): Promise<boolean> {
  if (uri.scheme !== 'file') return true;
  const state = await gitFileState(uri.fsPath);
  if (!state.inRepo || (!state.tracked && state.ignored)) return true;
  const message = state.tracked
    ? `${label} is tracked by git: the credentials would be committed with it.`
    : `${label} is not ignored by git: the credentials could be committed.`;
  const detail = state.tracked ? 'Adding it to .gitignore does not untrack it: run `git rm --cached` on it as well.' : 'Add it to the repository .gitignore before writing?';
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, ADD_TO_GITIGNORE, WRITE_ANYWAY);
  if (!choice) return false;
  if (choice === ADD_TO_GITIGNORE && state.repoRoot) {
    const gi = await addToGitignore(state.repoRoot, uri.fsPath);
    void vscode.window.showInformationMessage(`Added ${label} to ${vscode.workspace.asRelativePath(vscode.Uri.file(gi))}.`);
  }
  return true;
}

async function closeDiffTabs(uris: vscode.Uri[]): Promise<void> {
  try {
    const wanted = new Set(uris.map((u) => u.toString()));
    const tabs = vscode.window.tabGroups?.all.flatMap((g) => g.tabs) ?? [];
    const mine = tabs.filter((t) => {
      const input = t.input as { original?: vscode.Uri; modified?: vscode.Uri } | undefined;
      return !!input?.modified && wanted.has(input.modified.toString());
    });
    if (mine.length) await vscode.window.tabGroups.close(mine, true);
  } catch {
    // best effort: the proposal's content is forgotten anyway
  }
}

export async function writeCredentialsToConfig(feature: CredentialsFeature, node?: ExplorerNode | StackRef): Promise<void> {
  const stack = await feature.resolveStack(node, 'Write the credentials of…');
  if (!stack) return;
  // Credentials first: no questions about files while the cluster is still generating them.
  const creds = await loadReadyCredentials(feature, stack);
  if (!creds) return;
  const preset = await pickPreset();
  if (!preset) return;
  const target = await pickTarget(preset.defaultFile);
  if (!target) return;
  const label = vscode.workspace.asRelativePath(target, false);
  const name = basename(target.path);
  const isJson = /\.jsonc?$/i.test(name);
  let keyPath: string[] = [];
  if (isJson) {
    const path = await vscode.window.showInputBox({
      title: `Where in ${name}?`,
      prompt: 'Key path of the object that gets the values, dot-separated (empty = top level)',
      placeHolder: 'livekit',
      validateInput: (v) => {
        if (!/^([^.\s]+(\.[^.\s]+)*)?$/.test(v.trim())) return 'Dot-separated keys, e.g. config.livekit';
        if (v.trim().split('.').includes('__proto__')) return '"__proto__" cannot be a key: JavaScript reads it as the object\'s prototype. Choose another key.';
        return undefined;
      },
    });
    if (path === undefined) return;
    keyPath = path.trim() ? path.trim().split('.') : [];
  }

  let values: Record<string, string>;
  try {
    values = envValues(creds, preset.mapping);
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return;
  }
  const merge = (text: string) => (isJson ? mergeJsonConfig(text, keyPath, values) : mergeDotenv(text, values));

  const doc = openDocument(target);
  const current = doc ? doc.getText() : await readTarget(target);
  let result: ReturnType<typeof merge>;
  try {
    result = merge(current ?? '');
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot update ${label}: ${(e as Error).message}`);
    return;
  }
  const names = Object.keys(values);
  if (!result.changed.length && !result.added.length) {
    void vscode.window.showInformationMessage(`${label} already has the ${names.join(', ')} of ${stack.summary.stackName}.`);
    return;
  }
  if (!(await gitGuard(target, label))) return;

  const left = current === undefined ? feature.proposals.empty(name) : doc?.uri ?? target;
  const right = feature.proposals.propose(name, result.text);
  try {
    await vscode.commands.executeCommand('vscode.diff', left, right, `${name} ↔ with the credentials of ${stack.summary.stackName}`, { preview: true });
    const detail = [
      result.changed.length ? `Changed: ${result.changed.join(', ')}` : undefined,
      result.added.length ? `Added: ${result.added.join(', ')}` : undefined,
      current === undefined ? 'The file will be created (readable by you only).' : undefined,
    ]
      .filter(Boolean)
      .join('\n');
    const confirm = await vscode.window.showWarningMessage(`Write the credentials of ${stack.summary.stackName} to ${label}?`, { modal: true, detail }, WRITE_ACTION);
    if (confirm !== WRITE_ACTION) return;

    const openNow = openDocument(target);
    if (openNow?.isDirty) {
      // Unsaved edits: merge into the editor's text and let the user save (undo works).
      const again = merge(openNow.getText());
      const edit = new vscode.WorkspaceEdit();
      edit.replace(target, new vscode.Range(openNow.positionAt(0), openNow.positionAt(openNow.getText().length)), again.text);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showErrorMessage(`Could not update the open editor of ${label}.`);
        return;
      }
      void vscode.window.showInformationMessage(`Updated ${names.join(', ')} in the open editor of ${label}; it has unsaved changes, save it to write the file.`);
      return;
    }
    const latest = await readTarget(target);
    if (latest !== current && merge(latest ?? '').text !== result.text) {
      void vscode.window.showWarningMessage(`${label} changed while you were reviewing it; nothing was written. Run the command again.`);
      return;
    }
    try {
      await writeTarget(target, result.text);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      void vscode.window.showErrorMessage(`Could not write ${label}${code ? ` (${code})` : ''}.`);
      return;
    }
    feature.app.output.info(`Wrote ${names.join(', ')} of ${stack.summary.stackName} to ${label} (changed: ${result.changed.join(', ') || 'none'}; added: ${result.added.join(', ') || 'none'}).`);
    void vscode.window.showInformationMessage(
      `Wrote ${names.join(', ')} of ${stack.summary.stackName} to ${label} (${result.changed.length} changed, ${result.added.length} added).`,
    );
  } finally {
    await closeDiffTabs([right]);
    feature.proposals.forget(right, feature.proposals.has(left) ? left : undefined);
  }
}
