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
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

/** Everything the code under test did, for assertions. */
export const recorded = {
  commands: [] as { command: string; args: unknown[] }[],
  notifications: [] as { level: 'info' | 'warning' | 'error'; message: string }[],
  output: [] as string[],
  clipboard: '',
  opened: [] as string[],
  progress: [] as unknown[],
};

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
export function resetFake(): void {
  settings.clear();
  recorded.commands.length = 0;
  recorded.notifications.length = 0;
  recorded.output.length = 0;
  recorded.clipboard = '';
  recorded.opened.length = 0;
  recorded.progress.length = 0;
}

export const workspace = {
  getConfiguration(section?: string) {
    return {
      get<T>(key: string, fallback?: T): T {
        const full = section ? `${section}.${key}` : key;
        return (settings.has(full) ? settings.get(full) : fallback) as T;
      },
      async update(key: string, value: unknown) {
        setSetting(section ? `${section}.${key}` : key, value);
      },
    };
  },
  onDidChangeConfiguration: configListeners.event,
  registerTextDocumentContentProvider: () => ({ dispose() {} }),
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
  async showInformationMessage(message: string) {
    recorded.notifications.push({ level: 'info', message });
    return undefined;
  },
  async showWarningMessage(message: string) {
    recorded.notifications.push({ level: 'warning', message });
    return undefined;
  },
  async showErrorMessage(message: string) {
    recorded.notifications.push({ level: 'error', message });
    return undefined;
  },
  async withProgress<T>(
    _o: unknown,
    task: (p: { report(v: unknown): void }, t: { isCancellationRequested: boolean; onCancellationRequested: (l: () => void) => { dispose(): void } }) => Promise<T>,
  ) {
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
  async showQuickPick() {
    return undefined;
  },
  async showTextDocument() {
    return undefined;
  },
};

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
