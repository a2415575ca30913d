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
import * as crypto from 'node:crypto';
import { createHash, randomFillSync, randomUUID } from 'node:crypto';
import { connect as tcpConnect, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
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

// Every message is built in one buffer: the first 40 bytes (header length 116, space-padded type, schema version 1)
// copied from a per-type template, the message id from a pool of random bytes, the SHA-256 with the one-shot
// crypto.hash. The bytes are the same as field-by-field writing; only the cost per 1,024-byte output message drops.
const templates = new Map<string, Buffer>();
function template(type: string): Buffer {
  let t = templates.get(type);
  if (!t) {
    t = Buffer.alloc(40);
    t.writeUInt32BE(116, 0);
    t.write(type.padEnd(32, ' '), 4, 32, 'utf8');
    t.writeUInt32BE(1, 36);
    templates.set(type, t);
  }
  return t;
}
// the digest as a 32-character latin1 string: written into the message or compared without a Buffer (an ArrayBuffer
// per digest is most of a small message's garbage)
const hashOnce = typeof crypto.hash === 'function' ? crypto.hash : undefined;
function sha256(b: Buffer): string {
  return hashOnce ? hashOnce('sha256', b, 'binary') : createHash('sha256').update(b).digest('binary');
}
const idPool = Buffer.alloc(4096);
let idAt = idPool.length;

// Messages are carved from 256 KiB slabs: a 1,144-byte output message from Buffer's 8 KiB pool costs a new pool
// (an ArrayBuffer) every seven messages, a measurable share of a large output's time.
let slab = Buffer.allocUnsafeSlow(0);
let slabAt = 0;
function carve(n: number): Buffer {
  if (slabAt + n > slab.length) {
    slab = Buffer.allocUnsafeSlow(Math.max(256 * 1024, n));
    slabAt = 0;
  }
  const b = slab.subarray(slabAt, slabAt + n);
  slabAt += (n + 7) & ~7;
  return b;
}

export function buildMessage(type: string, seq: number, flags: number, payloadType: number, payload: Buffer): Buffer {
  const b = carve(120 + payload.length);
  b.set(template(type), 0); // Uint8Array.set and byte loops: Buffer.copy builds a view per call (Node 20)
  const now = Date.now();
  b.writeUInt32BE(Math.floor(now / 0x1_0000_0000), 40);
  b.writeUInt32BE(now >>> 0, 44);
  b.writeUInt32BE(0, 48); // sequence numbers here are small and non-negative
  b.writeUInt32BE(seq, 52);
  b.writeUInt32BE(0, 56);
  b.writeUInt32BE(flags, 60);
  if (idAt === idPool.length) {
    randomFillSync(idPool);
    idAt = 0;
  }
  for (let i = 0; i < 16; i++) b[64 + i] = idPool[idAt + i];
  idAt += 16;
  // a version-4 UUID (uuid.NewV4), low 8 bytes first: the variant sits in the first byte, the version at 64 + 14
  b[64] = (b[64] & 0x3f) | 0x80;
  b[78] = (b[78] & 0x0f) | 0x40;
  b.set(payload, 120);
  b.write(sha256(payload), 80, 'latin1');
  b.writeUInt32BE(payloadType, 112);
  b.writeUInt32BE(payload.length, 116);
  return b;
}

const KNOWN_TYPES = ['acknowledge', 'input_stream_data', 'output_stream_data', 'channel_closed'].map((t) => [t, Buffer.from(t.padEnd(32, ' '))] as const);

function typeOf(b: Buffer): string {
  for (const [t, padded] of KNOWN_TYPES) if (b.compare(padded, 0, 32, 4, 36) === 0) return t;
  return b.toString('utf8', 4, 36).replace(/[\0 ]+$/g, '');
}

/** A received message read in place; its id string is made only when asked for (an acknowledgement names it). */
class ReceivedMessage implements AgentMessage {
  readonly type: string;
  readonly seq: number;
  readonly flags: number;
  readonly payloadType: number;
  readonly digestOk: boolean;
  constructor(
    private readonly b: Buffer,
    readonly payload: Buffer,
  ) {
    this.type = typeOf(b);
    this.seq = b.readInt32BE(48) * 0x1_0000_0000 + b.readUInt32BE(52);
    this.flags = b.readUInt32BE(56) * 0x1_0000_0000 + b.readUInt32BE(60);
    this.payloadType = b.readUInt32BE(112);
    this.digestOk = payload.length === 0 || sha256(payload) === b.toString('latin1', 80, 112);
  }
  get id(): string {
    const hi = this.b.toString('hex', 72, 80);
    const lo = this.b.toString('hex', 64, 72);
    return `${hi.slice(0, 8)}-${hi.slice(8, 12)}-${hi.slice(12)}-${lo.slice(0, 4)}-${lo.slice(4)}`;
  }
}

export function parseMessage(b: Buffer): AgentMessage | undefined {
  if (b.length < 120) return undefined;
  const hl = b.readUInt32BE(0);
  if (hl + 4 > b.length) return undefined;
  return new ReceivedMessage(b, b.subarray(hl + 4));
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

// amazon-ssm-agent agent/session/config/config.go: ResendSleepInterval, DefaultRoundTripTime,
// DefaultRoundTripTimeVariation, DefaultTransmissionTimeout, ClockGranularity, MaxTransmissionTimeout, RTTConstant,
// RTTVConstant, OutgoingMessageBufferCapacity, StreamDataPayloadSize
const RESEND_INTERVAL_MS = 100;
const DEFAULT_RTT_MS = 100;
const DEFAULT_RTO_MS = 200;
const CLOCK_GRANULARITY_MS = 10;
const MAX_RTO_MS = 1000;
const RTT_CONSTANT = 1 / 8;
const RTTV_CONSTANT = 1 / 4;
const OUTGOING_BUFFER_CAPACITY = 100_000;
const CHUNK = 1024;
const PROMPT = '$ ';

export class AgentChannel {
  private ws?: WebSocket;
  private outSeq = 0;
  private expected = 0;
  /**
   * The agent's OutgoingMessageBuffer (a list in sending order; a Map keeps that order and finds an acknowledged
   * sequence number without walking the list).
   */
  private readonly outgoing = new Map<number, { raw: Buffer; sentAt: number }>();
  private rtt = DEFAULT_RTT_MS;
  private rttVar = 0;
  private rto = DEFAULT_RTO_MS;
  /** the TCP socket under the WebSocket, corked for the rest of an event-loop turn once something is written */
  private tcp4ws?: Duplex;
  private corked = false;
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
  attach(ws: WebSocket, socket?: Duplex): void {
    this.ws?.terminate();
    this.ws = ws;
    this.tcp4ws = socket;
    this.corked = false;
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

  /** the retransmission timeout the agent currently waits before resending (datachannel.go RetransmissionTimeout) */
  get retransmissionTimeoutMs(): number {
    return this.rto;
  }

  /** stream messages sent and not yet acknowledged */
  get unacknowledged(): number {
    return this.outgoing.size;
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
    const socket = this.tcp4ws;
    if (this.ws && socket && !this.corked) {
      // everything written in this turn (a whole command's output, the acknowledgements of a batch of input)
      // leaves in one write; frames and their order are unchanged
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        if (this.tcp4ws === socket) this.corked = false;
        socket.uncork();
      });
    }
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
    // datachannel.go AddDataToOutgoingMessageBuffer: a full buffer keeps nothing more (the message is still sent)
    if (this.outgoing.size < OUTGOING_BUFFER_CAPACITY) this.outgoing.set(seq, { raw, sentAt: Date.now() });
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

  /**
   * A command's output as the shell's pty gives it to the agent: LF → CRLF (a CR already there stays single), then
   * read in ≤ 1,024-byte pieces, one message each (StreamDataPayloadSize). One pass over the encoded bytes: lines are
   * copied into a 1,024-byte piece with the CR inserted, no converted copy of the whole text is made first.
   */
  private outputLines(...parts: string[]): void {
    const piece = Buffer.allocUnsafe(CHUNK);
    let n = 0;
    let prev = -1;
    const put = (src: Buffer, from: number, to: number): void => {
      while (from < to) {
        const k = Math.min(to - from, CHUNK - n);
        piece.set(src.subarray(from, from + k), n);
        n += k;
        from += k;
        if (n === CHUNK) {
          this.sendStream(1, piece);
          n = 0;
        }
      }
    };
    const putAscii = (text: string, from: number, to: number): void => {
      while (from < to) {
        const k = Math.min(to - from, CHUNK - n);
        piece.write(k === text.length ? text : text.slice(from, from + k), n, k, 'latin1');
        n += k;
        from += k;
        if (n === CHUNK) {
          this.sendStream(1, piece);
          n = 0;
        }
      }
    };
    const putByte = (byte: number): void => {
      piece[n++] = byte;
      if (n === CHUNK) {
        this.sendStream(1, piece);
        n = 0;
      }
    };
    for (const part of parts) {
      // ASCII text (the usual case) is written from the string into the piece, line by line: no encoded copy of the
      // whole output first
      const ascii = Buffer.byteLength(part) === part.length;
      const src = ascii ? undefined : Buffer.from(part, 'utf8');
      const length = src ? src.length : part.length;
      let pos = 0;
      while (pos < length) {
        const nl = src ? src.indexOf(10, pos) : part.indexOf('\n', pos);
        const end = nl === -1 ? length : nl;
        if (src) put(src, pos, end);
        else putAscii(part, pos, end);
        if (end > pos) prev = src ? src[end - 1] : part.charCodeAt(end - 1);
        if (nl === -1) break;
        if (prev !== 13) putByte(13);
        putByte(10);
        prev = 10;
        pos = nl + 1;
      }
    }
    if (n) this.sendStream(1, piece.subarray(0, n));
  }

  private output(text: string | Buffer): void {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let i = 0; i < b.length; i += CHUNK) this.sendStream(1, b.subarray(i, i + CHUNK));
  }

  /**
   * datachannel.go ResendStreamDataMessageScheduler: every 100 ms, the FIRST message of the outgoing buffer (the
   * oldest unacknowledged one) is resent when it was last sent longer ago than the retransmission timeout; the
   * messages behind it wait their turn.
   */
  private resend(): void {
    const first = this.outgoing.values().next();
    if (first.done) return;
    const m = first.value;
    const now = Date.now();
    if (now - m.sentAt <= this.rto) return;
    m.sentAt = now;
    this.stats.resent++;
    this.raw(m.raw);
  }

  /**
   * datachannel.go ProcessAcknowledgedMessage → calculateRetransmissionTimeout, from the time since the message was
   * last sent: RTTVAR ← 3/4 RTTVAR + 1/4 |RTT − sample| (with the previous RTT), RTT ← 7/8 RTT + 1/8 sample,
   * RTO = RTT + max(10 ms, 4 RTTVAR), at most 1 s.
   */
  private acknowledged(seq: number): void {
    const m = this.outgoing.get(seq);
    if (!m) return;
    const sample = Date.now() - m.sentAt;
    this.rttVar = (1 - RTTV_CONSTANT) * this.rttVar + RTTV_CONSTANT * Math.abs(this.rtt - sample);
    this.rtt = (1 - RTT_CONSTANT) * this.rtt + RTT_CONSTANT * sample;
    this.rto = Math.min(MAX_RTO_MS, this.rtt + Math.max(CLOCK_GRANULARITY_MS, 4 * this.rttVar));
    this.outgoing.delete(seq);
  }

  private onFrame(b: Buffer): void {
    const m = parseMessage(b);
    if (!m || !m.digestOk) return;
    if (m.type === 'acknowledge') {
      this.stats.acksReceived++;
      const ack = JSON.parse(m.payload.toString('utf8')) as { AcknowledgedMessageSequenceNumber: number };
      this.acknowledged(ack.AcknowledgedMessageSequenceNumber);
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
      // datachannel.go handleStreamDataMessage: "Discarding already processed message", with no acknowledgement
      this.stats.duplicates++;
      return;
    }
    if (m.seq > this.expected) {
      // datachannel.go handleStreamDataMessage: an early message is acknowledged and kept while the incoming buffer
      // has room (config.go IncomingMessageBufferCapacity, 100000; far above what a test sends, so not counted here)
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
    // datachannel.go handleStreamDataMessage: processStreamDataMessage (a write to the pty or the smux connection),
    // then SendAcknowledgeMessage; the output is read back separately (shell writePump, port_mux transferDataToMgs),
    // so the acknowledgement leaves before the output the message causes: it is flushed now
    if (this.corked && this.tcp4ws) {
      this.tcp4ws.uncork();
      this.tcp4ws.cork();
    }
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
    this.outputLines(out, PROMPT);
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
