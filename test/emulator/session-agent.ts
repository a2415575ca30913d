/**
 * The node's side of a Session Manager data channel (what the SSM agent and the ssmmessages service do together),
 * for the emulator. Written from AWS's sources, independently of the extension's client code:
 * - message layout: aws/session-manager-plugin src/message/clientmessage.go + messageparser.go (116-byte header
 *   length, space-padded 32-byte type, big-endian integers, UUID low half first, SHA-256 payload digest);
 * - the stream: amazon-ssm-agent agent/session/datachannel/datachannel.go and the plugin's
 *   src/datachannel/streaming.go (per-direction sequence numbers, an `acknowledge` per stream message, in-order
 *   delivery with a buffer for early messages, resend of unacknowledged messages every 100 ms after a 200 ms
 *   retransmission timeout, `channel_closed` when the session ends);
 * - the handshake: agent/session/contracts (HandshakeRequest PayloadType 5 with a `SessionType` action,
 *   HandshakeResponse 6, HandshakeComplete 7);
 * - the shell plugin (agent/session/shell): output in chunks of at most 1,024 bytes (StreamDataPayloadSize),
 *   terminal size from PayloadType 3 `{"cols","rows"}`;
 * - the port plugin (agent/session/plugins/port, basic session for clients below 1.1.70): one TCP connection to
 *   the port, input rejected (not acknowledged, so the client resends) until that connection is up; clients at
 *   1.1.70 or later get the multiplexed session (session-mux.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { connect as tcpConnect, Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { AgentMux, usesMux } from './session-mux';

// ---------------------------------------------------------------------------------------------------------------
// codec (emulator's own)

export interface AgentMessage {
  type: string;
  seq: number;
  flags: number;
  id: string;
  payloadType: number;
  payload: Buffer;
  digestOk: boolean;
}

export function buildMessage(type: string, seq: number, flags: number, payloadType: number, payload: Buffer): Buffer {
  const b = Buffer.alloc(120 + payload.length);
  b.writeUInt32BE(116, 0);
  b.write(type.padEnd(32, ' '), 4, 32, 'utf8');
  b.writeUInt32BE(1, 36);
  b.writeBigUInt64BE(BigInt(Date.now()), 40);
  b.writeBigInt64BE(BigInt(seq), 48);
  b.writeBigUInt64BE(BigInt(flags), 56);
  const hex = randomUUID().replace(/-/g, '');
  Buffer.from(hex.slice(16) + hex.slice(0, 16), 'hex').copy(b, 64);
  createHash('sha256').update(payload).digest().copy(b, 80);
  b.writeUInt32BE(payloadType, 112);
  b.writeUInt32BE(payload.length, 116);
  payload.copy(b, 120);
  return b;
}

export function parseMessage(b: Buffer): AgentMessage | undefined {
  if (b.length < 120) return undefined;
  const hl = b.readUInt32BE(0);
  if (hl + 4 > b.length) return undefined;
  const idHex = Buffer.concat([b.subarray(72, 80), b.subarray(64, 72)]).toString('hex');
  const payload = b.subarray(hl + 4);
  return {
    type: b.subarray(4, 36).toString('utf8').replace(/[\0 ]+$/g, ''),
    seq: Number(b.readBigInt64BE(48)),
    flags: Number(b.readBigUInt64BE(56)),
    id: `${idHex.slice(0, 8)}-${idHex.slice(8, 12)}-${idHex.slice(12, 16)}-${idHex.slice(16, 20)}-${idHex.slice(20)}`,
    payloadType: b.readUInt32BE(112),
    payload,
    digestOk: payload.length === 0 || createHash('sha256').update(payload).digest().equals(b.subarray(80, 112)),
  };
}

// ---------------------------------------------------------------------------------------------------------------

export interface ChannelFaults {
  /** drop every Nth stream message the agent sends (first send only; the resend gets through) */
  loseEveryNth?: number;
  /** drop every Nth stream message received from the client (not acknowledged: the client resends) */
  loseIncomingEveryNth?: number;
  /** send stream messages in swapped pairs */
  reorder?: boolean;
}

export interface AgentHost {
  sessionType: 'Standard_Stream' | 'Port';
  agentVersion: string;
  /** shell: run one command line in a directory; returns its output (LF line ends) */
  runLine?(line: string, cwd: string): string;
  /** shell: the directory a session starts in (the agent starts the shell in /usr/bin) */
  startDir?: string;
  /** port: the TCP port to connect to on 127.0.0.1 */
  tcpPort?: number;
  faults(): ChannelFaults;
  /** the session ended from the node's side (exit, TCP closed): mark it terminated */
  onEnded(reason: string): void;
  onActivity(): void;
}

const RESEND_INTERVAL_MS = 100;
const RTO_MS = 200;
const CHUNK = 1024;
const PROMPT = '$ ';

export class AgentChannel {
  private ws?: WebSocket;
  private outSeq = 0;
  private expected = 0;
  private readonly outgoing = new Map<number, { raw: Buffer; sentAt: number }>();
  private readonly early = new Map<number, AgentMessage>();
  private handshakeSent = false;
  private handshakeDone = false;
  private timer?: ReturnType<typeof setInterval>;
  private sentCount = 0;
  private receivedCount = 0;
  private held?: Buffer;
  private line = '';
  private cwd = '';
  private tcp?: Socket;
  private tcpReady = false;
  /** the multiplexed port session (clients at 1.1.70 or later), once the handshake chose it */
  mux?: AgentMux;
  /** the handshake response's ClientVersion */
  clientVersion?: string;
  ended = false;
  readonly size = { cols: 80, rows: 24 };
  readonly stats = { acksReceived: 0, resent: 0, dropped: 0, duplicates: 0, sizeUpdates: 0 };

  constructor(private readonly host: AgentHost) {}

  /** A (re)connected socket whose token was accepted. */
  attach(ws: WebSocket): void {
    this.ws?.terminate();
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.ws !== ws || !isBinary) return;
      this.onFrame(Buffer.isBuffer(data) ? data : Buffer.from(data as unknown as ArrayBuffer));
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = undefined;
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.resend(), RESEND_INTERVAL_MS);
      this.timer.unref();
    }
    if (!this.handshakeSent) {
      this.handshakeSent = true;
      const request = {
        AgentVersion: this.host.agentVersion,
        RequestedClientActions: [
          {
            ActionType: 'SessionType',
            ActionParameters: { SessionType: this.host.sessionType, Properties: this.host.sessionType === 'Port' ? { portNumber: String(this.host.tcpPort ?? ''), type: 'LocalPortForwarding' } : null },
          },
        ],
      };
      this.sendStream(5, Buffer.from(JSON.stringify(request)));
    } else {
      // resumed: everything not acknowledged goes again
      for (const m of [...this.outgoing.entries()].sort((a, b) => a[0] - b[0])) {
        m[1].sentAt = Date.now();
        this.raw(m[1].raw);
      }
    }
  }

  get connected(): boolean {
    return !!this.ws;
  }

  /** The service drops the socket (fault switch): the session stays, the client resumes. */
  dropSocket(): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
  }

  /** Ends the session from the node: `channel_closed`, then the socket closes. */
  close(output: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.tcp?.destroy();
    this.mux?.stop();
    const payload = Buffer.from(JSON.stringify({ MessageType: 'channel_closed', MessageId: randomUUID(), CreatedDate: new Date().toISOString(), SchemaVersion: 1, Output: output }));
    const ws = this.ws;
    if (ws) {
      ws.send(buildMessage('channel_closed', 0, 3, 0, payload), () => ws.close());
    }
    this.ws = undefined;
  }

  private raw(b: Buffer): void {
    try {
      this.ws?.send(b);
    } catch {
      // socket gone: resent after resume
    }
  }

  private sendStream(payloadType: number, payload: Buffer): void {
    if (this.ended) return;
    const seq = this.outSeq++;
    const raw = buildMessage('output_stream_data', seq, seq === 0 ? 1 : 0, payloadType, payload);
    this.outgoing.set(seq, { raw, sentAt: Date.now() });
    const f = this.host.faults();
    this.sentCount++;
    if (f.loseEveryNth && this.sentCount % f.loseEveryNth === 0) {
      this.stats.dropped++;
      return;
    }
    if (f.reorder) {
      if (this.held) {
        const first = this.held;
        this.held = undefined;
        this.raw(raw);
        this.raw(first);
      } else {
        this.held = raw;
        setTimeout(() => {
          if (this.held === raw) {
            this.held = undefined;
            this.raw(raw);
          }
        }, 20).unref();
      }
      return;
    }
    this.raw(raw);
  }

  private output(text: string | Buffer): void {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let i = 0; i < b.length; i += CHUNK) this.sendStream(1, b.subarray(i, i + CHUNK));
  }

  private resend(): void {
    const now = Date.now();
    for (const m of this.outgoing.values()) {
      if (now - m.sentAt < RTO_MS) continue;
      m.sentAt = now;
      this.stats.resent++;
      this.raw(m.raw);
    }
  }

  private onFrame(b: Buffer): void {
    const m = parseMessage(b);
    if (!m || !m.digestOk) return;
    if (m.type === 'acknowledge') {
      this.stats.acksReceived++;
      const ack = JSON.parse(m.payload.toString('utf8')) as { AcknowledgedMessageSequenceNumber: number };
      this.outgoing.delete(ack.AcknowledgedMessageSequenceNumber);
      return;
    }
    if (m.type !== 'input_stream_data') return;
    const f = this.host.faults();
    this.receivedCount++;
    if (f.loseIncomingEveryNth && this.receivedCount % f.loseIncomingEveryNth === 0) {
      this.stats.dropped++;
      return;
    }
    if (m.seq < this.expected) {
      this.stats.duplicates++;
      this.ack(m);
      return;
    }
    if (m.seq > this.expected) {
      this.ack(m);
      this.early.set(m.seq, m);
      return;
    }
    // the port plugin refuses input until its TCP connection is up (ErrHandlerNotReady): no ack, the client resends
    if (m.payloadType === 1 && this.host.sessionType === 'Port' && !this.tcpReady) return;
    this.ack(m);
    this.process(m);
    this.expected++;
    for (let next = this.early.get(this.expected); next; next = this.early.get(this.expected)) {
      this.early.delete(this.expected);
      this.process(next);
      this.expected++;
    }
  }

  private ack(m: AgentMessage): void {
    const content = { AcknowledgedMessageType: m.type, AcknowledgedMessageId: m.id, AcknowledgedMessageSequenceNumber: m.seq, IsSequentialMessage: true };
    this.raw(buildMessage('acknowledge', 0, 3, 0, Buffer.from(JSON.stringify(content))));
  }

  private process(m: AgentMessage): void {
    if (this.ended) return;
    this.host.onActivity();
    switch (m.payloadType) {
      case 6: {
        const res = JSON.parse(m.payload.toString('utf8')) as { ClientVersion?: string; ProcessedClientActions?: { ActionType: string; ActionStatus: number }[] };
        this.clientVersion = res.ClientVersion;
        const ok = res.ProcessedClientActions?.some((a) => a.ActionType === 'SessionType' && a.ActionStatus === 1);
        if (!ok) {
          this.close('The client did not accept the session type.');
          this.host.onEnded('handshake failed');
          return;
        }
        this.handshakeDone = true;
        this.sendStream(7, Buffer.from(JSON.stringify({ HandshakeTimeToComplete: 1000000, CustomerMessage: '' })));
        if (this.host.sessionType === 'Standard_Stream') this.output(PROMPT);
        else if (usesMux(this.clientVersion, this.host.agentVersion)) this.openMux();
        else this.openTcp();
        return;
      }
      case 3: {
        const s = JSON.parse(m.payload.toString('utf8')) as { cols: number; rows: number };
        this.size.cols = s.cols;
        this.size.rows = s.rows;
        this.stats.sizeUpdates++;
        return;
      }
      case 10: {
        const flag = m.payload.length >= 4 ? m.payload.readUInt32BE(0) : 0;
        if (flag === 2) this.endFromNode('');
        else if (flag === 1) this.tcp?.end();
        return;
      }
      case 1:
        if (!this.handshakeDone) return;
        if (this.mux) this.mux.feed(m.payload);
        else if (this.host.sessionType === 'Port') this.tcp?.write(m.payload);
        else this.keystrokes(m.payload.toString('utf8'));
        return;
      default:
        return;
    }
  }

  private endFromNode(output: string): void {
    this.close(output);
    this.host.onEnded(output || 'ended on the node');
  }

  /** A line discipline like a pty's: echo, backspace, ^C, ^D, Enter runs the line. */
  private keystrokes(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' || c === '\n') {
        this.output('\r\n');
        const line = this.line;
        this.line = '';
        this.runLine(line);
        if (this.ended) return;
      } else if (c === '\x7f' || c === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.output('\b \b');
        }
      } else if (c === '\x03') {
        this.line = '';
        this.output(`^C\r\n${PROMPT}`);
      } else if (c === '\x04') {
        if (!this.line) {
          this.endFromNode('');
          return;
        }
      } else if (c === '\x1b') {
        // an escape sequence (arrow keys…): skipped
        // eslint-disable-next-line no-control-regex
        const m = /^\x1b\[[0-9;]*[A-Za-z~]|^\x1b./.exec(text.slice(i));
        i += (m?.[0].length ?? 1) - 1;
      } else if (c >= ' ') {
        this.line += c;
        this.output(c);
      }
    }
  }

  private runLine(line: string): void {
    const trimmed = line.trim();
    if (/^exit(\s+\d+)?$/.test(trimmed)) {
      this.endFromNode('');
      return;
    }
    let out = '';
    const cd = /^cd(?:\s+(\S+))?$/.exec(trimmed);
    this.cwd ||= this.host.startDir ?? '/usr/bin';
    if (cd) {
      const to = cd[1] ?? '/home/ssm-user';
      this.cwd = to.startsWith('/') ? to : `${this.cwd.replace(/\/$/, '')}/${to}`;
    } else if (trimmed === 'pwd') out = `${this.cwd}\n`;
    else if (trimmed === 'stty size') out = `${this.size.rows} ${this.size.cols}\n`;
    else if (trimmed) out = this.host.runLine?.(trimmed, this.cwd) ?? '';
    this.output(`${out.replace(/\r?\n/g, '\r\n')}${PROMPT}`);
  }

  /** port_mux.go: the smux server is up as soon as the session is initialised (IsConnectionAvailable) */
  private openMux(): void {
    this.mux = new AgentMux({
      tcpPort: this.host.tcpPort,
      send: (b) => this.sendStream(1, b),
      flag: (flag) => {
        const b = Buffer.alloc(4);
        b.writeUInt32BE(flag);
        this.sendStream(10, b);
      },
      onBroken: (reason) => this.endFromNode(`Port forwarding stopped: ${reason}.`),
    });
    this.tcpReady = true;
  }

  private openTcp(): void {
    const port = this.host.tcpPort;
    if (!port) {
      this.endFromNode('Unable to connect to the port: no service listens there.');
      return;
    }
    const tcp = tcpConnect(port, '127.0.0.1');
    this.tcp = tcp;
    tcp.on('connect', () => {
      this.tcpReady = true;
    });
    tcp.on('data', (d: Buffer) => this.output(d));
    tcp.on('error', () => undefined);
    tcp.on('close', () => {
      if (!this.ended) this.endFromNode('');
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.tcp?.destroy();
    this.mux?.stop();
    this.ws?.terminate();
  }
}
