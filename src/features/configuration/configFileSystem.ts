/**
 * The `openvidu-config:` file system: a master's /opt/openvidu/config as editor tabs, over SSM.
 *
 * Open = read in pages (binary and over-size files refused with the reason). Save = a reviewed change:
 *   1. local checks (YAML parses, .env lines are KEY=value) — refused with line and column before any SSM call;
 *   2. the master's current version is read: if it changed since the file was opened, a conflict (both versions in
 *      a diff, nothing written);
 *   3. the diff (master now ↔ yours) and a modal confirmation naming the master and the restart;
 *   4. the atomic write with a backup (remoteConfig.ts), then restart + checks + report in the background
 *      (applyChange.ts), so the editor's save ends as soon as the file is on the node.
 */
import * as vscode from 'vscode';
import { MAX_EDITABLE_BYTES, type ConfigFileEntry } from '../../openvidu/configLayout';
import { blockingProblems, diagnoseConfig, keysOfEnv, type KnownKeys } from '../../openvidu/configCheck';
import { secretValuesOf } from '../../openvidu/configReport';
import type { AppContext } from '../shared/appContext';
import { restartAndCheck, type ApplyOutcome } from './applyChange';
import type { ConfigDocuments } from './configDocuments';
import { ConfigError, RemoteConfig, sha256, type RemoteFile } from './remoteConfig';
import { configUri, parseConfigUri, type ConfigLocation } from './targets';

export const SAVE_AND_RESTART = 'Save and Restart OpenVidu';
export const SAVE_ONLY = 'Save Only';

interface Opened {
  file: RemoteFile;
  mtime: number;
}

export class ConfigFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly opened = new Map<string, Opened>();
  private readonly listings = new Map<string, ConfigFileEntry[]>();
  private readonly labels = new Map<string, string>();
  /** keys of openvidu.env / master_node.env per master, for the `${scope.KEY}` checks */
  private readonly known = new Map<string, KnownKeys>();
  /** the restart + checks started by the last save or restore (tests and the UI wait on it) */
  lastApply?: Promise<ApplyOutcome | undefined>;
  /** seconds the post-restart checks wait for the containers (tests shorten it) */
  checkWaitSeconds = 20;

  constructor(
    private readonly app: AppContext,
    private readonly docs: ConfigDocuments,
  ) {}

  /** Remembers how a master is called ("Master 2 (i-…)") for messages. */
  setLabel(instanceId: string, label: string): void {
    this.labels.set(instanceId, label);
  }

  remote(loc: ConfigLocation): RemoteConfig {
    return new RemoteConfig(this.app.session(loc.region), { instanceId: loc.instanceId, label: this.labels.get(loc.instanceId) ?? `master ${loc.instanceId}` });
  }

  private rootKey(loc: ConfigLocation): string {
    return `${loc.region}/${loc.stackName}/${loc.instanceId}`;
  }

  async listing(loc: ConfigLocation, reload = false): Promise<ConfigFileEntry[]> {
    const key = this.rootKey(loc);
    let l = this.listings.get(key);
    if (!l || reload) {
      l = await this.remote(loc).list();
      this.listings.set(key, l);
    }
    return l;
  }

  /** The version of a file as last opened or saved (undefined: not opened). */
  openedVersion(uri: vscode.Uri): RemoteFile | undefined {
    return this.opened.get(uri.toString())?.file;
  }

  knownKeys(loc: ConfigLocation): KnownKeys {
    return this.known.get(this.rootKey(loc)) ?? {};
  }

  /** Reads openvidu.env and master_node.env once per master, for reference checks (errors ignored: checks skip). */
  async loadKnownKeys(loc: ConfigLocation): Promise<KnownKeys> {
    const key = this.rootKey(loc);
    const have = this.known.get(key);
    if (have) return have;
    const k: KnownKeys = {};
    for (const [scope, rel] of [
      ['openvidu', 'cluster/openvidu.env'],
      ['master_node', 'node/master_node.env'],
    ] as const) {
      const cached = this.opened.get(configUri({ ...loc, rel }).toString())?.file.text;
      const text = cached ?? (await this.remote(loc).read(rel).then((f) => f.text, () => undefined));
      if (text !== undefined) k[scope] = keysOfEnv(text);
    }
    this.known.set(key, k);
    return k;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const loc = parseConfigUri(uri);
    const o = this.opened.get(uri.toString());
    if (o) return { type: vscode.FileType.File, ctime: 0, mtime: o.mtime, size: o.file.size, permissions: undefined };
    if (!loc.rel) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const l = await this.listing(loc).catch((e: unknown) => {
      throw vscode.FileSystemError.Unavailable(e instanceof ConfigError ? e.message : String(e));
    });
    const f = l.find((x) => x.path === loc.rel);
    if (f) return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: f.size };
    if (l.some((x) => x.path.startsWith(`${loc.rel}/`))) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const loc = parseConfigUri(uri);
    const prefix = loc.rel ? `${loc.rel}/` : '';
    const out = new Map<string, vscode.FileType>();
    for (const f of await this.listing(loc)) {
      if (!f.path.startsWith(prefix)) continue;
      const rest = f.path.slice(prefix.length).split('/');
      out.set(rest[0], rest.length > 1 ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...out];
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const loc = parseConfigUri(uri);
    try {
      const file = await this.remote(loc).read(loc.rel);
      this.opened.set(uri.toString(), { file, mtime: Date.now() });
      if (loc.rel === 'cluster/openvidu.env' || loc.rel === 'node/master_node.env') this.known.delete(this.rootKey(loc));
      this.app.output.info(`configuration: read ${loc.rel} from ${loc.instanceId} (${file.size} bytes)`);
      return file.bytes;
    } catch (e) {
      if (e instanceof ConfigError && e.reason === 'missing') throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(e instanceof ConfigError ? e.message : `Could not read ${loc.rel}: ${this.app.describeError(e, loc.region)}`);
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const loc = parseConfigUri(uri);
    await this.save(uri, loc, Buffer.from(content));
  }

  private async save(uri: vscode.Uri, loc: ConfigLocation, content: Buffer): Promise<void> {
    const text = content.toString('utf8');
    // 1. local checks, before any SSM call
    const diags = diagnoseConfig(loc.rel, text, this.knownKeys(loc));
    const blocking = blockingProblems(diags);
    if (content.length > MAX_EDITABLE_BYTES) {
      // the same bound as for opening: past it the write would be dozens of SendCommands for one file
      const msg = `${loc.rel} was not saved: it is ${content.length} bytes and files over ${MAX_EDITABLE_BYTES / 1024} KB are not written from the editor. Nothing was sent to the master.`;
      void vscode.window.showErrorMessage(msg);
      throw vscode.FileSystemError.NoPermissions(msg);
    }
    if (blocking.length) {
      const msg = `${loc.rel} was not saved: ${blocking[0].message}${blocking.length > 1 ? ` (and ${blocking.length - 1} more error(s))` : ''}. Nothing was sent to the master.`;
      void vscode.window.showErrorMessage(msg);
      throw vscode.FileSystemError.NoPermissions(msg);
    }
    const base = this.opened.get(uri.toString())?.file;
    const remote = this.remote(loc);
    // 2. what is on the master now: its hash first; the content is read again only when it changed
    let now: RemoteFile;
    try {
      const head = base ? await remote.head(loc.rel) : undefined;
      now = base && head?.sha256 === base.sha256 ? { ...base, mode: head.mode, owner: head.owner } : await remote.read(loc.rel);
    } catch (e) {
      const msg = `${loc.rel} was not saved: ${e instanceof ConfigError ? e.message : this.app.describeError(e, loc.region)} Nothing was changed on the node.`;
      void vscode.window.showErrorMessage(msg);
      throw vscode.FileSystemError.Unavailable(msg);
    }
    const remoteUri = this.docs.put('remote', `${loc.stackName}/${loc.instanceId}/${loc.rel}`, now.text);
    if (base && now.sha256 !== base.sha256) {
      await vscode.commands.executeCommand('vscode.diff', remoteUri, uri, `${loc.rel.split('/').pop()}: changed on ${remote.master.label} ↔ yours (conflict)`);
      const msg = `${loc.rel} changed on ${remote.master.label} since you opened it: nothing was written. The diff shows the master's version (left) and yours (right); revert the file to take the master's version, then make your change again.`;
      void vscode.window.showErrorMessage(msg);
      throw vscode.FileSystemError.Unavailable(msg);
    }
    if (now.sha256 === sha256(content)) {
      this.opened.set(uri.toString(), { file: now, mtime: Date.now() });
      return; // identical: nothing to write, nothing to restart
    }
    // 3. review: the diff, then a confirmation naming the master and the restart
    await vscode.commands.executeCommand('vscode.diff', remoteUri, uri, `${loc.rel.split('/').pop()}: ${remote.master.label} ↔ yours`);
    const warnings = diags.filter((d) => d.severity === 'warning');
    const detail = [
      `The file is written atomically (temporary file, then rename; owner ${now.owner}, mode ${now.mode} kept) and the current version is kept as a backup under /var/backups/openvidu-config.`,
      `"Save and Restart" then runs systemctl restart openvidu on ${remote.master.label}: OpenVidu's documented way to apply a change to all nodes. Services on that master restart; sessions may be interrupted.`,
      warnings.length ? `${warnings.length} warning(s): ${warnings.slice(0, 3).map((w) => w.message).join(' ')}` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    const choice = await vscode.window.showWarningMessage(`Write ${loc.rel} on ${remote.master.label} of ${loc.stackName}?`, { modal: true, detail }, SAVE_AND_RESTART, SAVE_ONLY);
    if (choice !== SAVE_AND_RESTART && choice !== SAVE_ONLY) {
      const msg = `Save of ${loc.rel} cancelled: nothing was written.`;
      throw vscode.FileSystemError.Unavailable(msg);
    }
    // 4. write (atomic, with backup)
    let written: { backup: string; errLines: number };
    try {
      written = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Writing ${loc.rel} on ${remote.master.label}` }, () => remote.write(loc.rel, content, now.sha256));
    } catch (e) {
      const msg = e instanceof ConfigError ? e.message : `${loc.rel} was not saved: ${this.app.describeError(e, loc.region)}`;
      void vscode.window.showErrorMessage(msg);
      throw vscode.FileSystemError.Unavailable(msg);
    }
    this.opened.set(uri.toString(), { file: { ...now, bytes: content, text, sha256: sha256(content), size: content.length }, mtime: Date.now() });
    this.listings.delete(this.rootKey(loc));
    if (loc.rel === 'cluster/openvidu.env' || loc.rel === 'node/master_node.env') this.known.delete(this.rootKey(loc));
    this.app.output.info(`configuration: wrote ${loc.rel} on ${loc.instanceId}, backup ${written.backup}`);
    const secrets = [...secretValuesOf(text), ...secretValuesOf(now.text)];
    if (choice === SAVE_ONLY) {
      void vscode.window.showInformationMessage(`${loc.rel} written on ${remote.master.label} (backup ${written.backup}). It takes effect after systemctl restart openvidu on that master.`);
      this.lastApply = Promise.resolve(undefined);
      return;
    }
    this.lastApply = restartAndCheck(this.app, this.docs, { loc, remote, backup: written.backup, errLines: written.errLines, secrets, action: 'saved', waitSeconds: this.checkWaitSeconds }, { restore: (l, r, b) => this.restore(l, r, b) });
  }

  /** Puts a backup back, tells the editor the file changed, then restarts and checks again. */
  async restore(loc: ConfigLocation, remote: RemoteConfig, backup: string): Promise<ApplyOutcome | undefined> {
    let restored: { sha256: string; errLines: number; keptAs: string };
    try {
      restored = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Restoring ${loc.rel} on ${remote.master.label}` }, () => remote.restore(loc.rel, backup));
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof ConfigError ? e.message : `Restoring ${loc.rel} failed: ${this.app.describeError(e, loc.region)}`);
      return undefined;
    }
    const uri = configUri(loc);
    this.opened.delete(uri.toString());
    this.listings.delete(this.rootKey(loc));
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    this.app.output.info(`configuration: restored ${loc.rel} on ${loc.instanceId} from ${backup} (sha256 ${restored.sha256.slice(0, 12)}…)`);
    this.lastApply = restartAndCheck(this.app, this.docs, { loc, remote, backup: restored.keptAs, errLines: restored.errLines, secrets: [], action: 'restored', waitSeconds: this.checkWaitSeconds }, { restore: (l, r, b) => this.restore(l, r, b) });
    return this.lastApply;
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('New folders are not created in /opt/openvidu/config from the editor.');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Configuration files are not deleted from the editor.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Configuration files are not renamed from the editor.');
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
