/**
 * The terminal of one shell session: a VS Code Pseudoterminal driven by the Session Manager data channel. Keys go
 * to the node as they are typed; output is decoded as a UTF-8 stream; the terminal's size is sent on open and on
 * every resize. Closing the terminal terminates the session; when the node ends it the terminal says so and
 * closes on the next key.
 */
import * as vscode from 'vscode';
import { StringDecoder } from 'node:string_decoder';
import type { AwsSession } from '../../aws/session';
import { openSession, type OpenedSession } from '../../aws/sessionManager/session';
import { safeMessage } from '../../aws/sessionManager/dataChannel';

export interface ShellTarget {
  instanceId: string;
  /** e.g. "Master 2", "Media i-0abc…" */
  label: string;
}

export class ShellPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private session?: OpenedSession;
  private opening?: Promise<void>;
  private ended = false;
  private size?: vscode.TerminalDimensions;
  private readonly decoder = new StringDecoder('utf8');
  /** resolves when the session is over and terminated (tests, deactivate) */
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor(
    private readonly aws: AwsSession,
    private readonly target: ShellTarget,
    private readonly log: (line: string) => void,
    private readonly onGone: (pty: ShellPty) => void,
  ) {
    this.finished = new Promise((r) => (this.finish = r));
  }

  get sessionId(): string | undefined {
    return this.session?.sessionId;
  }

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    this.size = initialDimensions;
    this.writeEmitter.fire(`\x1b[2mStarting a Session Manager shell on ${this.target.label} (${this.target.instanceId})…\x1b[0m\r\n`);
    this.opening = (async () => {
      try {
        // output that arrives while the session is opening (the prompt) is shown after the "started" line
        let early: string[] | undefined = [];
        const show = (text: string) => (early ? early.push(text) : this.writeEmitter.fire(text));
        this.session = await openSession(this.aws, this.target.instanceId, { kind: 'shell' }, {
          log: this.log,
          onOutput: (d) => show(this.decoder.write(d)),
          onClosed: (reason) => this.onSessionClosed(reason.byNode, reason.message),
        });
        this.writeEmitter.fire(`\x1b[2mSession ${this.session.sessionId} started.\x1b[0m\r\n${early.join('')}`);
        early = undefined;
        if (this.size) this.session.channel.sendSize(this.size.columns, this.size.rows);
        if (this.ended) await this.session.terminate();
      } catch (e) {
        this.ended = true;
        this.writeEmitter.fire(`\r\n\x1b[31mCould not open a shell on ${this.target.label}: ${safeMessage(e)}\x1b[0m\r\nPress any key to close this terminal.\r\n`);
        this.finish();
      }
    })();
  }

  private onSessionClosed(byNode: boolean, message: string): void {
    if (!byNode || this.ended) return;
    this.ended = true;
    this.writeEmitter.fire(`\r\n\r\n\x1b[33m[The session ended on ${this.target.label}${message && message !== 'The session was ended on the node.' ? `: ${message}` : ''}. Press any key to close this terminal.]\x1b[0m\r\n`);
    // the node ended it; TerminateSession anyway (no-op on an ended session) so nothing is left Active
    void this.session?.terminate().finally(() => this.finish());
  }

  handleInput(data: string): void {
    if (this.ended) {
      this.closeEmitter.fire();
      return;
    }
    this.session?.channel.sendInput(Buffer.from(data, 'utf8'));
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = dimensions;
    this.session?.channel.sendSize(dimensions.columns, dimensions.rows);
  }

  /** The terminal was closed (or the window reloads / the extension deactivates): terminate the session. */
  close(): void {
    void this.terminate();
  }

  async terminate(): Promise<void> {
    this.ended = true;
    await this.opening;
    await this.session?.terminate();
    this.finish();
    this.onGone(this);
  }

  dispose(): void {
    void this.terminate();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
