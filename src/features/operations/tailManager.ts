/**
 * Live tails in read-only documents (scheme `openvidu-ha-tail`, language `log`): each session polls at an
 * interval (setting `openviduHa.tailIntervalSeconds`), keeps at most `openviduHa.tailMaxLines` lines, scrolls
 * only editors that were at the end, shows its line rate with a Stop action in the status bar, and stops when
 * its document is closed, when Stop is pressed (status bar, editor title, `openviduHa.stopTail`) or when its
 * source ends (every node terminated). Several tails can run at once.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { isThrottle } from '../../aws/errors';
import { PollBackoff } from '../../openvidu/pollBackoff';
import type { AppContext } from '../shared/appContext';
import { uriSegment } from './logDocuments';
import type { TailPoller } from './tailPollers';
import { LogChoices } from './logChoices';

export const TAIL_SCHEME = 'openvidu-ha-tail';
/** context key: uris of the running tails' documents (package.json menus: editor/title Stop) */
export const RUNNING_TAILS_KEY = 'openviduHa.runningTails';
const RATE_WINDOW_MS = 30_000;
const MAX_CONSECUTIVE_ERRORS = 5;
/** Longest wait between polls while AWS throttles them (a throttle is never counted as a failed poll). */
const MAX_THROTTLED_DELAY_MS = 120_000;

export interface TailStartOptions {
  /** path segments of the document, e.g. [stack, "Master 1", "caddy · Master 1 · live"] */
  segments: string[];
  /** "caddy on ov-demo · Master 1" */
  title: string;
  /** status bar text, short */
  short: string;
  poller: TailPoller;
  /** the filter the poller applies, as the header shows it (e.g. `/err/i`) */
  filter?: string;
  intervalMs: number;
  region?: string;
}

export class TailSession {
  readonly uri: vscode.Uri;
  readonly startedAt = Date.now();
  stopped?: string;
  private timer?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private inFlight?: Promise<void>;
  private readonly item: vscode.StatusBarItem;
  private readonly rate: { at: number; n: number }[] = [];
  private errors = 0;
  private readonly backoff = new PollBackoff(MAX_THROTTLED_DELAY_MS);
  polls = 0;

  constructor(
    private readonly manager: TailManager,
    readonly options: TailStartOptions,
    uri: vscode.Uri,
  ) {
    this.uri = uri;
    this.item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'OpenVidu HA live tail';
    this.item.command = { command: Commands.stopTail, title: 'Stop', arguments: [uri.toString()] };
    this.item.tooltip = `Following ${options.title}. Click to stop.`;
    this.updateItem();
    this.item.show();
  }

  get ring() {
    return this.options.poller.ring;
  }

  /** lines per second over the last 30 s */
  lineRate(): number {
    const now = Date.now();
    while (this.rate.length && this.rate[0].at < now - RATE_WINDOW_MS) this.rate.shift();
    const n = this.rate.reduce((s, r) => s + r.n, 0);
    const span = Math.min(RATE_WINDOW_MS, Math.max(1000, now - this.startedAt));
    return n / (span / 1000);
  }

  private updateItem(): void {
    this.item.text = this.backoff.waiting
      ? `$(debug-stop) ${this.options.short} · waiting: AWS is throttling, next poll in ${Math.round(this.delayMs() / 1000)} s`
      : `$(debug-stop) ${this.options.short} · ${this.lineRate().toFixed(1)} lines/s`;
  }

  /** ms until the next regular poll: the interval, longer while AWS throttles the polls. */
  delayMs(): number {
    return this.backoff.delayMs(this.options.intervalMs);
  }

  content(): string {
    const header = `# Following ${this.options.title}${this.options.filter ? ` · only lines matching ${this.options.filter} (filtered on the node)` : ''} · every ${this.options.intervalMs / 1000} s · newest ${this.ring.cap} lines kept${this.ring.dropped ? ` (${this.ring.dropped} older lines dropped)` : ''}${this.stopped ? ` · stopped: ${this.stopped}` : ''}`;
    const lines = this.ring.toArray();
    return `${header}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
  }

  /** Starts the interval polling (the first poll at once). */
  start(): void {
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.pollOnce().then((again) => this.schedule(again ? 0 : this.delayMs()));
    }, ms);
  }

  /** One poll round (tests call it directly); returns whether to poll again at once. */
  async pollOnce(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.inFlight) {
      await this.inFlight;
      return false;
    }
    let again = false;
    this.inFlight = (async () => {
      try {
        const round = await this.options.poller.poll(this.abort.signal);
        this.polls++;
        this.errors = 0;
        this.backoff.answered();
        if (round.appended) {
          this.rate.push({ at: Date.now(), n: round.appended });
          this.manager.changed(this);
        }
        this.updateItem();
        if (round.ended) {
          this.stop(round.ended);
          void vscode.window.showInformationMessage(`The live tail of ${this.options.title} ended: ${round.ended}.`);
        }
        again = round.again;
      } catch (e) {
        if (this.stopped || this.abort.signal.aborted) return;
        if (isThrottle(e)) {
          // Not a failure: keep the lines, wait longer, and say so in the status bar.
          this.backoff.throttled();
          this.manager.log(`tail ${this.options.short}: AWS throttled the poll; next one in ${this.delayMs()} ms`);
          this.updateItem();
          return;
        }
        this.errors++;
        this.manager.log(`tail ${this.options.short}: poll failed (${(e as Error).name})`);
        if (this.errors >= MAX_CONSECUTIVE_ERRORS) {
          const why = this.manager.describe(e, this.options.region);
          this.stop(`${MAX_CONSECUTIVE_ERRORS} polls in a row failed: ${why}`);
          void vscode.window.showErrorMessage(`The live tail of ${this.options.title} stopped: ${why}`);
        }
      }
    })();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = undefined;
    }
    return again;
  }

  stop(reason = 'stopped by the user'): void {
    if (this.stopped) return;
    this.stopped = reason;
    clearTimeout(this.timer);
    this.abort.abort();
    this.item.dispose();
    this.manager.ended(this);
  }
}

export class TailManager implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sessions = new Map<string, TailSession>();
  /** stopped sessions keep their text while the document is open */
  private readonly finished = new Map<string, TailSession>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly pendingReveal = new Map<string, vscode.TextEditor[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private counter = 0;
  /** the live tail's last filter, for the session */
  readonly choices = new LogChoices();

  constructor(
    private readonly app: AppContext,
    /** tests drive polls themselves */
    private readonly options: { manualPolling?: boolean } = {},
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme !== TAIL_SCHEME) return;
        this.sessions.get(doc.uri.path)?.stop('the document was closed');
        this.finished.delete(doc.uri.path);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const editors = this.pendingReveal.get(e.document.uri.toString());
        if (!editors) return;
        this.pendingReveal.delete(e.document.uri.toString());
        const last = Math.max(0, e.document.lineCount - 1);
        for (const ed of editors) ed.revealRange(new vscode.Range(new vscode.Position(last, 0), new vscode.Position(last, 0)), vscode.TextEditorRevealType.Default);
      }),
    );
    // closing the tab stops the tail at once (documents of closed tabs are disposed much later)
    const tabs = (vscode.window as { tabGroups?: typeof vscode.window.tabGroups }).tabGroups;
    if (tabs) {
      this.subscriptions.push(
        tabs.onDidChangeTabs((e) => {
          for (const t of e.closed) {
            const input = t.input as { uri?: vscode.Uri } | undefined;
            if (input?.uri?.scheme !== TAIL_SCHEME) continue;
            const open = tabs.all.some((g) => g.tabs.some((x) => (x.input as { uri?: vscode.Uri } | undefined)?.uri?.toString() === input.uri?.toString()));
            if (!open) this.sessions.get(input.uri.path)?.stop('the document was closed');
          }
        }),
      );
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (this.sessions.get(uri.path) ?? this.finished.get(uri.path))?.content() ?? '';
  }

  list(): TailSession[] {
    return [...this.sessions.values()];
  }

  find(uriOrPath: vscode.Uri | string): TailSession | undefined {
    const path = typeof uriOrPath === 'string' ? (uriOrPath.startsWith(`${TAIL_SCHEME}:`) ? uriOrPath.slice(TAIL_SCHEME.length + 1) : uriOrPath) : uriOrPath.path;
    return this.sessions.get(path) ?? this.sessions.get(decodeURIComponent(path));
  }

  async start(o: TailStartOptions): Promise<TailSession> {
    let path = `/${o.segments.map(uriSegment).join('/')}.log`;
    // another tail of the same thing gets its own document
    while (this.sessions.has(path)) path = `/${o.segments.map(uriSegment).join('/')} (${++this.counter}).log`;
    const uri = vscode.Uri.from({ scheme: TAIL_SCHEME, path });
    const session = new TailSession(this, o, uri);
    this.sessions.set(path, session);
    this.updateRunning();
    this.app.output.info(`tail started: ${o.short} (${path})`);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'log');
    await vscode.window.showTextDocument(doc, { preview: false });
    if (!this.options.manualPolling) session.start();
    return session;
  }

  stop(arg?: vscode.Uri | string): TailSession | undefined {
    const s = arg ? this.find(arg) : undefined;
    s?.stop();
    return s;
  }

  /** the session has new lines: refresh its document; editors that showed the end keep showing it */
  changed(s: TailSession): void {
    const key = s.uri.toString();
    const atEnd = vscode.window.visibleTextEditors.filter(
      (e) => e.document.uri.toString() === key && e.visibleRanges.some((r) => r.end.line >= e.document.lineCount - 2),
    );
    if (atEnd.length) this.pendingReveal.set(key, atEnd);
    this.emitter.fire(s.uri);
  }

  ended(s: TailSession): void {
    this.sessions.delete(s.uri.path);
    this.updateRunning();
    this.finished.set(s.uri.path, s);
    if (this.finished.size > 20) this.finished.delete(this.finished.keys().next().value as string);
    this.emitter.fire(s.uri);
    this.app.output.info(`tail stopped: ${s.options.short} (${s.stopped}); ${s.ring.total} lines received, ${s.polls} polls`);
  }

  /**
   * The context key behind the editor-title Stop button (`resource in openviduHa.runningTails`): the documents
   * of the tails still running, so a stopped tail's document keeps its text but loses the button.
   */
  private updateRunning(): void {
    void vscode.commands.executeCommand('setContext', RUNNING_TAILS_KEY, [...this.sessions.values()].map((x) => x.uri.toString()));
  }

  log(message: string): void {
    this.app.output.info(message);
  }

  describe(e: unknown, region?: string): string {
    return this.app.describeError(e, region);
  }

  dispose(): void {
    for (const s of [...this.sessions.values()]) s.stop('the extension was deactivated');
    for (const d of this.subscriptions) d.dispose();
    this.emitter.dispose();
  }
}
