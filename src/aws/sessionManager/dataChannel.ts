/**
 * One Session Manager data channel: the WebSocket to the StreamUrl and the reliable, ordered message stream on it,
 * as aws/session-manager-plugin runs it (src/datachannel/streaming.go, constants from src/config/config.go):
 *
 * - open: the first frame is a TEXT frame carrying the session token (OpenDataChannelInput); every later frame is a
 *   binary ClientMessage (message.ts);
 * - each stream message (input_stream_data / output_stream_data) has a sequence number per direction; the receiver
 *   acknowledges each one (an `acknowledge` message naming its type, id and sequence number), delivers them in
 *   order, holds ones that arrive early (up to 10,000) and drops duplicates (acknowledging them again so a sender
 *   whose acknowledgement was lost stops resending);
 * - the sender keeps each message until it is acknowledged and resends it when it is older than the retransmission
 *   timeout, estimated from round trips (RTT ← 7/8 RTT + 1/8 sample, RTTVAR ← 3/4 RTTVAR + 1/4 |RTT − sample|,
 *   RTO = RTT + max(10 ms, 4 RTTVAR), at most 1 s), checked every 100 ms, given up after 3,000 attempts;
 * - the agent's handshake request (PayloadType 5) is answered with the session type accepted and every other action
 *   (KMS encryption) refused as unsupported; the handshake complete (7) makes the channel ready;
 * - `channel_closed` ends the session (the node ended it); a socket that drops otherwise is reopened with
 *   ResumeSession's new StreamUrl and token (the `resume` callback), and the unacknowledged messages are resent.
 *
 * Pure except for the socket, which `connect` provides (the `ws` library by default; tests may pass their own).
 * The token and the stream URL are never put in an error message or a log line. The socket (socket.ts), the
 * reliability settings and timeout (reliability.ts) and the handshake answer (handshake.ts) live beside it.
 */
import { randomUUID } from 'node:crypto';
import {
  ChannelClosed,
  ClientMessage,
  decodeMessage,
  encodeAcknowledge,
  encodeInput,
  flagPayload,
  HandshakeComplete,
  HandshakeRequest,
  MessageType,
  OpenDataChannelInput,
  parseJsonPayload,
  PayloadType,
  sizePayload,
  validateMessage,
  type AcknowledgeContent,
} from './message';
import { answerHandshake, CLIENT_VERSION } from './handshake';
import { INCOMING_BUFFER_CAPACITY, OUTGOING_BUFFER_CAPACITY, RESEND_INTERVAL_MS, RESEND_MAX_ATTEMPTS, RetransmissionTimeout } from './reliability';
import { safeMessage, wsConnect, type ChannelSocket, type Connect, type StreamCredentials } from './socket';

// What the channel's users import from here (session.ts, portForward.ts, ssmSessions.ts, the shell, the tests).
export { safeMessage, wsConnect, type ChannelSocket, type Connect, type StreamCredentials } from './socket';

export interface DataChannelOptions extends StreamCredentials {
  sessionId: string;
  /** the session type the client expects from the agent's handshake ("Standard_Stream", "Port") */
  sessionType: string;
  connect?: Connect;
  /** ResumeSession: fresh credentials after the socket dropped; absent = a drop ends the session */
  resume?: () => Promise<StreamCredentials>;
  /** stream output (PayloadType output / stdErr) in order */
  onOutput?: (data: Buffer, payloadType: number) => void;
  /** the session ended: by the node (`byNode`), by close(), or by an error */
  onClosed?: (reason: ClosedReason) => void;
  /** metadata-only events for the output channel (never the token or URL) */
  onEvent?: (event: string) => void;
  /** handshake complete's CustomerMessage (shown to the user) */
  onCustomerMessage?: (text: string) => void;
  /** a flag message from the agent (PayloadType 10: ConnectToPortError on a multiplexed port session) */
  onFlag?: (flag: number) => void;
  now?: () => number;
  resendIntervalMs?: number;
}

export interface ClosedReason {
  byNode: boolean;
  message: string;
}

interface Outgoing {
  seq: number;
  raw: Buffer;
  lastSent: number;
  attempts: number;
}

export class DataChannel {
  private socket?: ChannelSocket;
  /** the socket corked in this event-loop turn */
  private corked?: ChannelSocket;
  private nextSeq = 0;
  private expectedSeq = 0;
  private readonly outgoing = new Map<number, Outgoing>();
  private readonly incoming = new Map<number, ClientMessage>();
  private readonly rto = new RetransmissionTimeout();
  private timer?: ReturnType<typeof setInterval>;
  private closed = false;
  private resuming?: Promise<void>;
  private readyResolve!: () => void;
  private readyReject!: (e: Error) => void;
  /** resolves when the agent's handshake is complete */
  readonly ready: Promise<void>;
  agentVersion?: string;
  /** counters for tests and the output channel */
  readonly stats = { sent: 0, resent: 0, received: 0, duplicates: 0, outOfOrder: 0, resumes: 0, invalid: 0 };
  private readonly now: () => number;
  private creds: StreamCredentials;

  constructor(private readonly opts: DataChannelOptions) {
    this.now = opts.now ?? Date.now;
    this.creds = { streamUrl: opts.streamUrl, tokenValue: opts.tokenValue };
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => undefined);
  }

  get isClosed(): boolean {
    return this.closed;
  }
  /** messages sent and not yet acknowledged */
  get unacknowledged(): number {
    return this.outgoing.size;
  }
  get retransmissionTimeoutMs(): number {
    return this.rto.ms;
  }

  /** Opens the socket, sends the token and waits for the agent's handshake to complete. */
  async open(): Promise<void> {
    await this.connectSocket();
    this.timer = setInterval(() => this.resendDue(), this.opts.resendIntervalMs ?? RESEND_INTERVAL_MS);
    this.timer.unref?.();
    await this.ready;
  }

  private async connectSocket(): Promise<void> {
    const connect = this.opts.connect ?? wsConnect;
    let socket: ChannelSocket;
    try {
      socket = await connect(this.creds.streamUrl);
    } catch (e) {
      throw new Error(`Could not open the session's data channel: ${safeMessage(e)}`);
    }
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (this.socket !== socket) return;
      if (!isBinary) return; // the service sends binary ClientMessages only
      this.onFrame(Buffer.isBuffer(data) ? data : Buffer.from(data));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.onSocketLost();
    });
    socket.on('error', () => undefined); // a 'close' follows
    const open: OpenDataChannelInput = {
      MessageSchemaVersion: '1.0',
      RequestId: randomUUID(),
      TokenValue: this.creds.tokenValue,
      ClientId: randomUUID(),
      ClientVersion: CLIENT_VERSION,
    };
    socket.send(JSON.stringify(open));
  }

  /** Sends stream input (keystrokes, port data), split in chunks the agent reads whole. */
  sendInput(data: Buffer, payloadType: number = PayloadType.output): void {
    const CHUNK = 64 * 1024;
    for (let i = 0; i < data.length; i += CHUNK) this.sendStream(payloadType, data.subarray(i, i + CHUNK));
  }

  /** A terminal size update (shell sessions). */
  sendSize(cols: number, rows: number): void {
    this.sendStream(PayloadType.size, sizePayload(cols, rows));
  }

  sendFlag(flag: number): void {
    this.sendStream(PayloadType.flag, flagPayload(flag));
  }

  private sendStream(payloadType: number, payload: Buffer): void {
    if (this.closed) return;
    if (this.outgoing.size >= OUTGOING_BUFFER_CAPACITY) {
      // streaming.go AddDataToOutgoingMessageBuffer: a full buffer forgets its oldest message (the Map keeps the
      // order messages were added in, which is their sequence order: the first key is the oldest)
      const oldest = this.outgoing.keys().next().value;
      if (oldest !== undefined) this.outgoing.delete(oldest);
    }
    const seq = this.nextSeq++;
    const now = this.now();
    const raw = encodeInput(seq, payloadType, payload, now);
    this.outgoing.set(seq, { seq, raw, lastSent: now, attempts: 0 });
    this.write(raw);
    this.stats.sent++;
  }

  private write(raw: Buffer): void {
    const socket = this.socket;
    if (!socket || this.resuming) return; // resent after the socket is back
    if (socket.cork && socket !== this.corked) {
      // one write per event-loop turn: a batch of received messages is acknowledged in one system call (uncorked
      // once the frames that arrived together are handled)
      this.corked = socket;
      socket.cork();
      process.nextTick(() => {
        this.corked = undefined;
        socket.uncork?.();
      });
    }
    try {
      socket.send(raw); // no callback: a callback per write is a closure and a completion call per message
    } catch {
      // the close handler resumes
    }
  }

  /** Resends every unacknowledged message older than the retransmission timeout. */
  resendDue(): void {
    if (this.closed || this.resuming) return;
    const now = this.now();
    for (const m of this.outgoing.values()) {
      if (now - m.lastSent <= this.rto.ms) continue;
      if (m.attempts >= RESEND_MAX_ATTEMPTS) {
        this.finish({ byNode: false, message: `The node stopped acknowledging messages (message ${m.seq} resent ${m.attempts} times).` });
        return;
      }
      m.attempts++;
      m.lastSent = now;
      this.write(m.raw);
      this.stats.resent++;
    }
  }

  /** Handles one binary frame from the service. Public for unit tests. */
  onFrame(frame: Buffer): void {
    let m: ClientMessage;
    try {
      m = decodeMessage(frame);
    } catch {
      this.stats.invalid++;
      return;
    }
    if (validateMessage(m)) {
      this.stats.invalid++;
      return;
    }
    switch (m.messageType) {
      case MessageType.acknowledge:
        this.onAcknowledge(parseJsonPayload<AcknowledgeContent>(m, 'acknowledge'));
        return;
      case MessageType.output:
        this.onStreamMessage(m);
        return;
      case MessageType.channelClosed: {
        let c: ChannelClosed = {};
        try {
          c = parseJsonPayload<ChannelClosed>(m, 'channel_closed');
        } catch {
          // an unreadable payload still closes the channel
        }
        this.finish({ byNode: true, message: c.Output || 'The session was ended on the node.' });
        return;
      }
      default:
        return; // start_publication / pause_publication and unknown types are ignored (streaming.go)
    }
  }

  private onAcknowledge(ack: AcknowledgeContent): void {
    const m = this.outgoing.get(ack.AcknowledgedMessageSequenceNumber);
    if (!m) return;
    // streaming.go CalculateRetransmissionTimeout (only from messages not resent: their round trip is ambiguous)
    if (m.attempts === 0) this.rto.sample(this.now() - m.lastSent);
    this.outgoing.delete(m.seq);
  }

  private ack(m: ClientMessage): void {
    this.write(encodeAcknowledge(m, this.now()));
  }

  private onStreamMessage(m: ClientMessage): void {
    this.stats.received++;
    if (m.sequenceNumber < this.expectedSeq) {
      this.stats.duplicates++;
      this.ack(m);
      return;
    }
    if (m.sequenceNumber > this.expectedSeq) {
      this.stats.outOfOrder++;
      if (this.incoming.size < INCOMING_BUFFER_CAPACITY) {
        this.ack(m);
        this.incoming.set(m.sequenceNumber, m);
      }
      return;
    }
    this.ack(m);
    this.deliver(m);
    this.expectedSeq++;
    for (let next = this.incoming.get(this.expectedSeq); next; next = this.incoming.get(this.expectedSeq)) {
      this.incoming.delete(this.expectedSeq);
      this.deliver(next);
      this.expectedSeq++;
    }
  }

  private deliver(m: ClientMessage): void {
    if (this.closed) return;
    switch (m.payloadType) {
      case PayloadType.handshakeRequest:
        this.onHandshakeRequest(parseJsonPayload<HandshakeRequest>(m, 'handshake request'));
        return;
      case PayloadType.handshakeComplete: {
        const c = parseJsonPayload<HandshakeComplete>(m, 'handshake complete');
        this.opts.onEvent?.(`handshake complete (agent ${this.agentVersion ?? 'unknown'})`);
        if (c.CustomerMessage) this.opts.onCustomerMessage?.(c.CustomerMessage);
        this.readyResolve();
        return;
      }
      case PayloadType.output:
      case PayloadType.stdErr:
        this.opts.onOutput?.(m.payload, m.payloadType);
        return;
      case PayloadType.flag:
        if (m.payload.length >= 4) this.opts.onFlag?.(m.payload.readUInt32BE(0));
        return;
      default:
        return;
    }
  }

  private onHandshakeRequest(req: HandshakeRequest): void {
    this.agentVersion = req.AgentVersion;
    this.sendStream(PayloadType.handshakeResponse, Buffer.from(JSON.stringify(answerHandshake(req, this.opts.sessionType))));
  }

  private onSocketLost(): void {
    this.socket = undefined;
    if (this.closed) return;
    if (!this.opts.resume) {
      this.finish({ byNode: false, message: 'The connection to the session was lost.' });
      return;
    }
    const resume = this.opts.resume;
    this.resuming = (async () => {
      for (let attempt = 0; attempt < 5 && !this.closed; attempt++) {
        try {
          this.opts.onEvent?.(`data channel dropped: resuming (attempt ${attempt + 1})`);
          this.creds = await resume();
          this.resuming = undefined;
          await this.connectSocket();
          this.stats.resumes++;
          // everything not acknowledged goes again on the new socket
          for (const m of [...this.outgoing.values()].sort((a, b) => a.seq - b.seq)) {
            m.lastSent = this.now();
            this.write(m.raw);
          }
          return;
        } catch (e) {
          this.opts.onEvent?.(`resume failed: ${safeMessage(e)}`);
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        }
      }
      this.resuming = undefined;
      this.finish({ byNode: false, message: 'The connection to the session was lost and could not be resumed.' });
    })();
  }

  /** Ends the channel locally (the caller terminates the session with TerminateSession). */
  close(message = 'Session closed.'): void {
    this.finish({ byNode: false, message });
  }

  private finish(reason: ClosedReason): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const s = this.socket;
    this.socket = undefined;
    try {
      s?.close();
    } catch {
      // already closed
    }
    this.readyReject(new Error(reason.message));
    this.opts.onClosed?.(reason);
  }
}
