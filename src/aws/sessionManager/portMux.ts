/**
 * Multiplexed port forwarding: one Session Manager session for every TCP connection of a forward, each connection an
 * smux stream (smux.ts), as session-manager-plugin does with agents after 3.0.196.0
 * (src/sessionmanagerplugin/session/portsession/muxportforwarding.go handleClientConnections / handleDataTransfer):
 *
 * - an accepted connection opens a stream; bytes go both ways until one side ends;
 * - the local connection ends (or half-closes): FIN to the node, which closes its TCP connection to the port
 *   (the agent's handleDataTransfer closes both ends when either copy stops), so the local socket is closed too;
 * - the node sends FIN (its TCP connection to the port ended, or it could not connect: port_mux.go sends the
 *   ConnectToPortError flag and closes the stream): the local connection gets what was sent, then its end;
 * - the session ends (the node ended it, TerminateSession elsewhere, the idle timeout): every connection of it is
 *   closed; the next accepted connection opens a new session, as starting the plugin again would;
 * - a dropped socket is resumed by the data channel (ResumeSession), which resends what was not acknowledged, so the
 *   streams carry on where they were.
 */
import type { Socket } from 'node:net';
import type { AwsSession } from '../session';
import { safeMessage } from './dataChannel';
import { agentNeedsSmuxKeepAlive, agentSupportsMux } from './handshake';
import { PayloadFlag } from './message';
import { openSession, type OpenedSession } from './session';
import { SMUX_KEEPALIVE_INTERVAL_MS, SmuxClient, type SmuxStream } from './smux';

export interface MuxForwardOptions {
  log?: (line: string) => void;
  onError?: (message: string) => void;
}

interface MuxSession {
  opened: OpenedSession;
  smux: SmuxClient;
  ended: boolean;
  keepAlive?: ReturnType<typeof setInterval>;
}

export class MuxForwarder {
  private state?: MuxSession;
  private opening?: Promise<MuxSession>;
  private stopped = false;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly aws: AwsSession,
    private readonly target: string,
    private readonly remotePort: number,
    private readonly opts: MuxForwardOptions = {},
  ) {}

  /** live TCP connections */
  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Opens the first session. False when the agent does not multiplex (3.0.196.0 or older): that session is
   * terminated and the caller forwards in basic mode.
   */
  async start(): Promise<boolean> {
    const s = await this.ensure();
    if (agentSupportsMux(s.opened.channel.agentVersion)) return true;
    this.opts.log?.(`agent ${s.opened.channel.agentVersion ?? 'unknown'} on ${this.target} does not multiplex port forwarding: one session per connection`);
    this.state = undefined;
    await this.end(s);
    return false;
  }

  /** A connection accepted on the local port. */
  accept(sock: Socket): void {
    sock.pause();
    this.sockets.add(sock);
    let stream: SmuxStream | undefined;
    let gone = false;
    sock.on('error', () => undefined); // 'close' follows
    sock.on('close', () => {
      gone = true;
      this.sockets.delete(sock);
      stream?.close();
    });
    // a half-close ends the stream: the agent then closes its connection to the port, so nothing more comes back
    sock.on('end', () => {
      stream?.close();
      sock.destroy();
    });
    this.ensure().then(
      (s) => {
        if (gone || this.stopped || s.smux.isClosed) return void sock.destroy();
        stream = s.smux.openStream({
          onData: (d) => sock.write(d),
          onClose: (why) => {
            // the node's FIN: what it sent is flushed, then the connection closes (the plugin's conn.Close())
            if (why === 'remote') sock.end(() => sock.destroy());
            else if (why === 'session') sock.destroy();
          },
        });
        sock.on('data', (d: Buffer) => stream?.write(d));
        sock.resume();
      },
      (e) => {
        if (this.stopped) return void sock.destroy();
        const message = `port ${this.remotePort} on ${this.target}: could not open a session: ${safeMessage(e)}`;
        this.opts.log?.(message);
        this.opts.onError?.(message);
        sock.destroy();
      },
    );
  }

  /** Closes every connection and terminates the session. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    const s = this.state ?? (await this.opening?.catch(() => undefined));
    this.state = undefined;
    if (s) await this.end(s);
  }

  /** The live session, opened when there is none (the first, or after the last one ended). */
  private ensure(): Promise<MuxSession> {
    if (this.stopped) return Promise.reject(new Error('The forward was stopped.'));
    if (this.state && !this.state.ended) return Promise.resolve(this.state);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async open(): Promise<MuxSession> {
    const ref: { s?: MuxSession; ended: boolean; portErrors: number } = { ended: false, portErrors: 0 };
    const smux = new SmuxClient({
      write: (b) => ref.s?.opened.channel.sendInput(b),
      onProtocolError: (message) => {
        this.opts.log?.(`port ${this.remotePort} on ${this.target}: ${message}; ending the session`);
        if (ref.s) void this.end(ref.s);
      },
    });
    const opened = await openSession(this.aws, this.target, { kind: 'port', remotePort: this.remotePort }, {
      log: this.opts.log,
      onOutput: (d) => smux.feed(d),
      // port_mux.go: the node could not connect to the port for a stream (which it then closes with FIN)
      onFlag: (flag) => {
        if (flag !== PayloadFlag.connectToPortError) return;
        const message = `port ${this.remotePort} on ${this.target}: the node could not connect to the port (is anything listening there?)`;
        this.opts.log?.(message);
        // the user is told once per session (a browser retrying would otherwise raise one error per connection)
        if (ref.portErrors++ === 0) this.opts.onError?.(message);
      },
      onClosed: () => {
        ref.ended = true;
        if (ref.s) this.ended(ref.s);
        else smux.close();
      },
    });
    const s: MuxSession = { opened, smux, ended: ref.ended };
    ref.s = s;
    if (s.ended) {
      smux.close();
      await opened.terminate();
      throw new Error('The session ended as it opened.');
    }
    if (agentNeedsSmuxKeepAlive(opened.channel.agentVersion)) {
      s.keepAlive = setInterval(() => smux.keepAlive(), SMUX_KEEPALIVE_INTERVAL_MS);
      s.keepAlive.unref?.();
    }
    if (this.stopped) {
      await this.end(s);
      throw new Error('The forward was stopped.');
    }
    this.state = s;
    return s;
  }

  /** The session is over (by the node or by us): its streams end and their connections close. */
  private ended(s: MuxSession): void {
    if (s.ended && s.smux.isClosed) return;
    s.ended = true;
    if (s.keepAlive) clearInterval(s.keepAlive);
    s.smux.close();
    if (this.state === s) this.state = undefined;
  }

  private async end(s: MuxSession): Promise<void> {
    this.ended(s);
    await s.opened.terminate();
  }
}
