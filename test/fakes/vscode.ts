/**
 * A small stand-in for the `vscode` module, for node tests of the extension's glue code. It records what the
 * code did (commands, notifications, output lines, clipboard) so tests can assert on it. Real-VS-Code
 * behaviour is covered by the extension-host and UI suites.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  value = '';
  constructor(
    value?: string,
    readonly supportThemeIcons?: boolean,
  ) {
    this.value = value ?? '';
  }
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
  appendText(s: string): this {
    this.value += s;
    return this;
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static parse(s: string): Uri {
    const u = new URL(s);
    return new Uri(u.protocol.replace(':', ''), u.pathname, u.search.slice(1));
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static from(c: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path, c.query);
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/').replace(/\/+/g, '/'), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}:${this.path}`;
  }
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** Everything the code under test did, for assertions. */
export const recorded = {
  commands: [] as { command: string; args: unknown[] }[],
  notifications: [] as { level: 'info' | 'warning' | 'error'; message: string; detail?: string; modal?: boolean; items?: string[] }[],
  output: [] as string[],
  clipboard: '',
  opened: [] as string[],
  progress: [] as unknown[],
  /** the options of each withProgress call (title, location, cancellable) */
  progressOptions: [] as { title?: string; cancellable?: boolean; location?: unknown }[],
  /** quick picks and input boxes shown (their options), in order */
  prompts: [] as { kind: 'quickPick' | 'input'; items?: unknown[]; options?: unknown }[],
  /** workspace edits applied through workspace.applyEdit */
  edits: [] as unknown[],
  /** status bar items created (text, tooltip, command, visible, disposed) */
  statusBar: [] as FakeStatusBarItem[],
  /** languages set with languages.setTextDocumentLanguage */
  languages: [] as { uri: string; language: string }[],
  /** terminals created with window.createTerminal (extension terminals: the test drives their pty) */
  terminals: [] as FakeTerminal[],
};

/** A terminal as window.createTerminal({ pty }) makes it: show() opens the pty at 80×24, dispose() closes it. */
export interface FakeTerminal {
  name: string;
  pty?: { open(d: unknown): void; close(): void; handleInput?(data: string): void; setDimensions?(d: unknown): void };
  shown: boolean;
  disposed: boolean;
  show(): void;
  dispose(): void;
}

export interface FakeStatusBarItem {
  text: string;
  tooltip?: unknown;
  command?: unknown;
  name?: string;
  visible: boolean;
  disposed: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

type ContentProvider = { provideTextDocumentContent(uri: Uri): string | undefined | null | Promise<string | undefined | null> };
const contentProviders = new Map<string, ContentProvider>();
function schemeAndPath(uri: string): { scheme: string; path: string } {
  const i = uri.indexOf(':');
  return { scheme: uri.slice(0, i), path: uri.slice(i + 1) };
}
/** Test helper: what the registered content provider returns for a document uri (`scheme:/path`). */
export async function documentText(uri: string): Promise<string | undefined> {
  const { scheme, path } = schemeAndPath(uri);
  return (await contentProviders.get(scheme)?.provideTextDocumentContent(Uri.from({ scheme, path }))) ?? undefined;
}
const closeDocEmitter = new EventEmitter<{ uri: Uri }>();
const changeDocEmitter = new EventEmitter<{ document: { uri: Uri; lineCount?: number } }>();
/** Test helper: a document's text changed (fires workspace.onDidChangeTextDocument). */
export function changeDocument(document: { uri: Uri; lineCount?: number }): void {
  changeDocEmitter.fire({ document });
}
/** Test helper: the user closes a document (fires workspace.onDidCloseTextDocument). */
export function closeDocument(uri: string): void {
  closeDocEmitter.fire({ uri: Uri.from(schemeAndPath(uri)) });
}

/**
 * Test helper: queued answers, consumed in order; an empty queue answers undefined (dismissed).
 * - quickPick: a label to pick, an array of labels (canPickMany), or a function (items, options) => item
 * - message: the button label chosen on the next showInformation/Warning/ErrorMessage that has buttons
 * - inputBox: the text typed (checked with the box's validateInput)
 */
export const answers = {
  quickPick: [] as (string | string[] | ((items: any[], options: unknown) => unknown) | undefined)[],
  /** a label, or a function of the message that returns one (it may act at that moment, e.g. inject a fault) */
  message: [] as (string | undefined | ((message: string) => string | undefined))[],
  inputBox: [] as (string | undefined)[],
};

function notify(level: 'info' | 'warning' | 'error', message: string, rest: unknown[]) {
  const options = rest[0] && typeof rest[0] === 'object' && !('title' in (rest[0] as object)) ? (rest[0] as { modal?: boolean; detail?: string }) : undefined;
  const items = rest.slice(options ? 1 : 0).map((i) => (typeof i === 'string' ? i : (i as { title: string }).title));
  const entry: { level: typeof level; message: string; detail?: string; modal?: boolean; items?: string[] } = { level, message };
  if (options?.detail !== undefined) entry.detail = options.detail;
  if (options?.modal) entry.modal = true;
  if (items.length) entry.items = items;
  recorded.notifications.push(entry);
  // Only messages with buttons take an answer from the queue.
  if (!items.length || !answers.message.length) return undefined;
  const next = answers.message.shift();
  const a = typeof next === 'function' ? next(message) : next;
  const chosen = rest.slice(options ? 1 : 0).find((i) => (typeof i === 'string' ? i : (i as { title: string }).title) === a);
  return chosen;
}

function answerQuickPick(items: any[], options: unknown) {
  recorded.prompts.push({ kind: 'quickPick', items, options });
  if (!answers.quickPick.length) return undefined;
  const a = answers.quickPick.shift();
  if (a === undefined) return undefined;
  if (typeof a === 'function') return a(items, options);
  if (Array.isArray(a)) return items.filter((i) => a.includes(typeof i === 'string' ? i : i.label));
  const found = items.find((i) => (typeof i === 'string' ? i : i.label) === a);
  if (!found) throw new Error(`fake showQuickPick: no item "${a}" in [${items.map((i) => (typeof i === 'string' ? i : i.label)).join(', ')}]`);
  return found;
}

const progressCancellers: (() => void)[] = [];
/** Test helper: press "Cancel" on every running progress notification. */
export function cancelProgress(): void {
  for (const c of progressCancellers.splice(0)) c();
}

const settings = new Map<string, unknown>();
const configListeners = new EventEmitter<{ affectsConfiguration: (s: string) => boolean }>();
const registeredCommands = new Map<string, (...args: any[]) => unknown>();

/** Test helper: set a setting (e.g. `openviduHa.endpoint`) and fire the change event. */
export function setSetting(key: string, value: unknown): void {
  settings.set(key, value);
  configListeners.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
}
/** values of the folder's .vscode/settings.json: they win over `settings` (the user's), as in VS Code */
const workspaceSettings = new Map<string, unknown>();
const trustListeners = new EventEmitter<void>();
/** Test helper: set a workspace-folder value of a setting and fire the change event. */
export function setWorkspaceSetting(key: string, value: unknown): void {
  workspaceSettings.set(key, value);
  configListeners.fire({ affectsConfiguration: (s: string) => key === s || key.startsWith(`${s}.`) });
}
/** Test helper: the user trusts the workspace (fires workspace.onDidGrantWorkspaceTrust). */
export function grantWorkspaceTrust(): void {
  workspace.isTrusted = true;
  trustListeners.fire();
}
export function resetFake(): void {
  settings.clear();
  workspaceSettings.clear();
  workspace.isTrusted = true;
  recorded.commands.length = 0;
  recorded.notifications.length = 0;
  recorded.output.length = 0;
  recorded.clipboard = '';
  recorded.opened.length = 0;
  recorded.progress.length = 0;
  recorded.progressOptions.length = 0;
  recorded.prompts.length = 0;
  workspace.textDocuments.length = 0;
  recorded.edits.length = 0;
  recorded.statusBar.length = 0;
  recorded.languages.length = 0;
  recorded.terminals.length = 0;
  answers.quickPick.length = 0;
  answers.message.length = 0;
  answers.inputBox.length = 0;
}

export const workspace = {
  getConfiguration(section?: string) {
    return {
      get<T>(key: string, fallback?: T): T {
        const full = section ? `${section}.${key}` : key;
        if (workspaceSettings.has(full)) return workspaceSettings.get(full) as T;
        return (settings.has(full) ? settings.get(full) : fallback) as T;
      },
      inspect<T>(key: string): { key: string; defaultValue?: T; globalValue?: T; workspaceValue?: T } {
        const full = section ? `${section}.${key}` : key;
        return { key: full, globalValue: settings.get(full) as T | undefined, workspaceValue: workspaceSettings.get(full) as T | undefined };
      },
      async update(key: string, value: unknown) {
        setSetting(section ? `${section}.${key}` : key, value);
      },
    };
  },
  onDidChangeConfiguration: configListeners.event,
  /** Restricted Mode when false; tests change it with `workspace.isTrusted = false` / `grantWorkspaceTrust()` */
  isTrusted: true,
  onDidGrantWorkspaceTrust: trustListeners.event,
  /** set by tests: `fake.workspace.workspaceFolders = [{ uri: fake.Uri.file(dir), name: 'ws', index: 0 }]` */
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  /** open documents; tests add some with `openFakeDocument` */
  textDocuments: [] as FakeTextDocument[],
  /** a small glob (`**`, `*`, `{a,b}`) over the real files of the workspace folders */
  async findFiles(include: string, exclude?: string, maxResults = Infinity): Promise<Uri[]> {
    const { readdirSync, statSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const inc = globRegExp(include);
    const exc = exclude ? globRegExp(exclude) : undefined;
    const out: Uri[] = [];
    for (const f of workspace.workspaceFolders ?? []) {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const p = join(dir, name);
          const rel = relative(f.uri.fsPath, p).split('\\').join('/');
          if (exc?.test(rel) || exc?.test(`${rel}/`)) continue;
          if (statSync(p).isDirectory()) walk(p);
          else if (inc.test(rel) && out.length < maxResults) out.push(Uri.file(p));
        }
      };
      walk(f.uri.fsPath);
    }
    return out;
  },
  asRelativePath(uri: Uri | string): string {
    const p = typeof uri === 'string' ? uri : uri.fsPath;
    for (const f of workspace.workspaceFolders ?? []) if (p.startsWith(`${f.uri.fsPath}/`)) return p.slice(f.uri.fsPath.length + 1);
    return p;
  },
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    recorded.edits.push(edit);
    for (const e of edit.entries) {
      const doc = workspace.textDocuments.find((d) => d.uri.toString() === e.uri.toString());
      if (!doc) return false;
      const text = doc.getText();
      doc.setText(text.slice(0, doc.offsetAt(e.range.start)) + e.newText + text.slice(doc.offsetAt(e.range.end)));
      doc.isDirty = true;
    }
    return true;
  },
  fs: {
    async readFile(uri: Uri): Promise<Uint8Array> {
      const { readFile } = await import('node:fs/promises');
      return readFile(uri.fsPath);
    },
    async writeFile(uri: Uri, data: Uint8Array): Promise<void> {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(uri.fsPath, data);
    },
  },
  registerTextDocumentContentProvider(scheme: string, provider: ContentProvider) {
    contentProviders.set(scheme, provider);
    return { dispose: () => contentProviders.get(scheme) === provider && contentProviders.delete(scheme) };
  },
  onDidCloseTextDocument: closeDocEmitter.event,
  onDidChangeTextDocument: changeDocEmitter.event,
  async openTextDocument(uri: Uri) {
    recorded.opened.push(uri.toString());
    return { uri };
  },
};

function logger(prefix: string) {
  return (...parts: unknown[]) => recorded.output.push(`${prefix}${parts.map(String).join(' ')}`);
}

export const window = {
  createOutputChannel(_name: string) {
    return {
      info: logger('[info] '),
      warn: logger('[warn] '),
      error: logger('[error] '),
      debug: logger('[debug] '),
      trace: logger('[trace] '),
      appendLine: logger(''),
      append: logger(''),
      show() {},
      dispose() {},
    };
  },
  async showInformationMessage(message: string, ...rest: unknown[]) {
    return notify('info', message, rest);
  },
  async showWarningMessage(message: string, ...rest: unknown[]) {
    return notify('warning', message, rest);
  },
  async showErrorMessage(message: string, ...rest: unknown[]) {
    return notify('error', message, rest);
  },
  async withProgress<T>(
    o: unknown,
    task: (p: { report(v: unknown): void }, t: { isCancellationRequested: boolean; onCancellationRequested: (l: () => void) => { dispose(): void } }) => Promise<T>,
  ) {
    recorded.progressOptions.push(o as { title?: string; cancellable?: boolean });
    const token = {
      isCancellationRequested: false,
      onCancellationRequested: (l: () => void) => {
        progressCancellers.push(() => {
          token.isCancellationRequested = true;
          l();
        });
        return { dispose() {} };
      },
    };
    return task({ report: (v: unknown) => recorded.progress.push(v) }, token);
  },
  async showQuickPick(items: unknown, options?: unknown) {
    return answerQuickPick(await (items as Promise<unknown[]>), options);
  },
  async showInputBox(options?: { value?: string; validateInput?: (v: string) => unknown }) {
    recorded.prompts.push({ kind: 'input', options });
    if (!answers.inputBox.length) return undefined;
    const v = answers.inputBox.shift();
    if (v !== undefined && options?.validateInput) {
      const problem = await options.validateInput(v);
      if (problem) throw new Error(`fake showInputBox: answer rejected by validateInput: ${String(problem)}`);
    }
    return v;
  },
  async showWorkspaceFolderPick() {
    return workspace.workspaceFolders?.[0];
  },
  async showTextDocument() {
    return undefined;
  },
  createTerminal(options: { name: string; pty?: FakeTerminal['pty'] }): FakeTerminal {
    const t: FakeTerminal = {
      name: options.name,
      pty: options.pty,
      shown: false,
      disposed: false,
      show() {
        if (!t.shown) t.pty?.open({ columns: 80, rows: 24 });
        t.shown = true;
      },
      dispose() {
        if (!t.disposed) t.pty?.close();
        t.disposed = true;
      },
    };
    recorded.terminals.push(t);
    return t;
  },
  createStatusBarItem(): FakeStatusBarItem {
    const item: FakeStatusBarItem = {
      text: '',
      visible: false,
      disposed: false,
      show() {
        item.visible = true;
      },
      hide() {
        item.visible = false;
      },
      dispose() {
        item.disposed = true;
        item.visible = false;
      },
    };
    recorded.statusBar.push(item);
    return item;
  },
  visibleTextEditors: [] as unknown[],
};

export const languages = {
  async setTextDocumentLanguage<T extends { uri: Uri }>(doc: T, language: string): Promise<T> {
    recorded.languages.push({ uri: doc.uri.toString(), language });
    return doc;
  },
};

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  constructor(
    readonly start: Position,
    readonly end: Position,
  ) {}
}
export class WorkspaceEdit {
  readonly entries: { uri: Uri; range: Range; newText: string }[] = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.entries.push({ uri, range, newText });
  }
}

/** An open editor document: text, dirty flag, offset/position mapping. */
export class FakeTextDocument {
  constructor(
    readonly uri: Uri,
    private text: string,
    public isDirty = false,
  ) {}
  getText(): string {
    return this.text;
  }
  setText(t: string): void {
    this.text = t;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return new Position(line, offset - (before.lastIndexOf('\n') + 1));
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  }
}

/** Test helper: a document open in an editor (dirty = unsaved changes). */
export function openFakeDocument(uri: Uri, text: string, dirty = false): FakeTextDocument {
  const doc = new FakeTextDocument(uri, text, dirty);
  workspace.textDocuments.push(doc);
  return doc;
}

function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export const commands = {
  async executeCommand(command: string, ...args: unknown[]) {
    recorded.commands.push({ command, args });
    return registeredCommands.get(command)?.(...args);
  },
  registerCommand(command: string, fn: (...args: any[]) => unknown) {
    registeredCommands.set(command, fn);
    return { dispose: () => registeredCommands.delete(command) };
  },
};

export const env = {
  clipboard: {
    async writeText(s: string) {
      recorded.clipboard = s;
    },
    async readText() {
      return recorded.clipboard;
    },
  },
  async openExternal(uri: Uri) {
    recorded.opened.push(uri.toString());
    return true;
  },
};

// --- file system providers (the configuration feature) ---------------------------------------------------------
export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}
export enum FileChangeType {
  Changed = 1,
  Created = 2,
  Deleted = 3,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
export class Disposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
}
/** As vscode.FileSystemError: the factories set `code`; the message is the text passed (or the URI). */
export class FileSystemError extends Error {
  code = 'Unknown';
  constructor(messageOrUri?: string | Uri) {
    super(typeof messageOrUri === 'string' ? messageOrUri : String(messageOrUri ?? ''));
    this.name = 'FileSystemError';
  }
  private static make(code: string, m?: string | Uri): FileSystemError {
    const e = new FileSystemError(m);
    e.code = code;
    return e;
  }
  static FileNotFound(m?: string | Uri) {
    return FileSystemError.make('FileNotFound', m);
  }
  static FileExists(m?: string | Uri) {
    return FileSystemError.make('FileExists', m);
  }
  static NoPermissions(m?: string | Uri) {
    return FileSystemError.make('NoPermissions', m);
  }
  static Unavailable(m?: string | Uri) {
    return FileSystemError.make('Unavailable', m);
  }
}
