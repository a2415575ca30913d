/**
 * The client side of smux (github.com/xtaci/smux), the stream multiplexer the SSM agent's port plugin runs over the
 * data channel for port forwarding (amazon-ssm-agent agent/session/plugins/port/port_mux.go: `smux.Server(conn,
 * nil)`; session-manager-plugin src/sessionmanagerplugin/session/portsession/muxportforwarding.go: `smux.Client`
 * with `smux.DefaultConfig()`). Written from smux's frame layout and session rules, protocol version 1 (the
 * default config's `Version: 1`, which both sides use):
 *
 * - a frame is an 8-byte header, then `length` bytes of data (frame.go):
 *     offset 0  1 byte   version (1)
 *     offset 1  1 byte   cmd: SYN 0 (stream open), FIN 1 (stream close), PSH 2 (data), NOP 3 (keepalive),
 *                        UPD 4 (window update, protocol version 2 only)
 *     offset 2  2 bytes  length, little-endian
 *     offset 4  4 bytes  stream id, little-endian
 * - a client's stream ids are odd: the session starts at 1 and adds 2 before each open, so the first is 3
 *   (session.go newSession / OpenStream); opening a stream is a SYN with no data;
 * - data goes in PSH frames of at most MaxFrameSize (32,768) bytes (stream.go Write splits; mux.go DefaultConfig);
 * - FIN closes a stream: the side that receives it reads what was buffered, then end of stream, and its writes
 *   fail ("passive closing", stream.go); the side that sends it forgets the stream (session.go streamClosed), so
 *   later frames for that id are dropped; the agent answers a FIN by closing its TCP connection and sending FIN;
 * - a frame whose version is not the session's, or an unknown cmd, is a protocol error that ends the session
 *   (session.go recvLoop: ErrInvalidProtocol); NOP is ignored; PSH or FIN for an unknown stream is dropped;
 * - keepalive: NOP every 10 s (KeepAliveInterval); the plugin disables it for agents after 3.1.1511.0
 *   (src/config/config.go TCPMultiplexingWithSmuxKeepAliveDisabledAfterThisAgentVersion; see handshake.ts).
 *
 * Frames are a byte stream: the data channel carries them in messages of any size, so a frame may span messages
 * and a message may hold several frames (the agent reads its smux connection 1,024 bytes at a time,
 * port_mux.go transferDataToMgs). Pure: `write` sends bytes on, `feed` takes bytes in.
 */

export const SMUX_VERSION = 1;
export const SmuxCmd = { syn: 0, fin: 1, psh: 2, nop: 3, upd: 4 } as const;
export const SMUX_HEADER_SIZE = 8;
/** mux.go DefaultConfig MaxFrameSize: the most data one PSH frame carries */
export const SMUX_MAX_FRAME_SIZE = 32768;
/** mux.go DefaultConfig KeepAliveInterval */
export const SMUX_KEEPALIVE_INTERVAL_MS = 10_000;

export interface SmuxFrame {
  version: number;
  cmd: number;
  streamId: number;
  data: Buffer;
}

/** One frame's bytes. */
export function encodeFrame(cmd: number, streamId: number, data: Buffer = Buffer.alloc(0), version = SMUX_VERSION): Buffer {
  if (data.length > 0xffff) throw new RangeError(`an smux frame carries at most 65535 bytes (got ${data.length})`);
  const b = Buffer.allocUnsafe(SMUX_HEADER_SIZE + data.length); // every byte is written below
  b.writeUInt8(version, 0);
  b.writeUInt8(cmd, 1);
  b.writeUInt16LE(data.length, 2);
  b.writeUInt32LE(streamId >>> 0, 4);
  data.copy(b, SMUX_HEADER_SIZE);
  return b;
}

/** Cuts a byte stream into frames, holding a partial frame until the rest arrives. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SmuxFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: SmuxFrame[] = [];
    let at = 0;
    while (this.pending.length - at >= SMUX_HEADER_SIZE) {
      const length = this.pending.readUInt16LE(at + 2);
      if (this.pending.length - at < SMUX_HEADER_SIZE + length) break;
      frames.push({
        version: this.pending.readUInt8(at),
        cmd: this.pending.readUInt8(at + 1),
        streamId: this.pending.readUInt32LE(at + 4),
        // a view, not a copy: `pending` is never written into (a push replaces it), so the caller may keep it
        data: this.pending.subarray(at + SMUX_HEADER_SIZE, at + SMUX_HEADER_SIZE + length),
      });
      at += SMUX_HEADER_SIZE + length;
    }
    this.pending = at === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(at);
    return frames;
  }

  /** bytes of a frame not complete yet */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Why a stream ended: the node sent FIN, this side closed it, or the whole session ended. */
export type StreamEnd = 'remote' | 'local' | 'session';

export interface SmuxStreamHandlers {
  onData?: (data: Buffer) => void;
  onClose?: (why: StreamEnd) => void;
}

export class SmuxStream {
  private closed = false;
  handlers: SmuxStreamHandlers = {};

  constructor(
    readonly id: number,
    private readonly session: SmuxClient,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends data in PSH frames of at most 32,768 bytes; nothing once the stream is closed (either side). */
  write(data: Buffer): void {
    if (this.closed) return;
    for (let i = 0; i < data.length; i += SMUX_MAX_FRAME_SIZE) {
      this.session.send(encodeFrame(SmuxCmd.psh, this.id, data.subarray(i, i + SMUX_MAX_FRAME_SIZE)));
    }
  }

  /** Closes the stream: FIN to the node (once), and the stream is forgotten. */
  close(): void {
    if (this.closed) return;
    this.session.send(encodeFrame(SmuxCmd.fin, this.id));
    this.end('local');
  }

  /** @internal the session's side of an ending */
  end(why: StreamEnd): void {
    if (this.closed) return;
    this.closed = true;
    this.session.forget(this.id);
    this.handlers.onClose?.(why);
  }
}

export interface SmuxClientOptions {
  /** sends bytes on to the node (the data channel) */
  write: (bytes: Buffer) => void;
  /** the session ended on a protocol error (the node's frames cannot be read any more) */
  onProtocolError?: (message: string) => void;
}

export class SmuxClient {
  private nextStreamId = 1;
  private readonly streams = new Map<number, SmuxStream>();
  private readonly reader = new FrameReader();
  private closed = false;
  /** counters for tests and the output channel */
  readonly stats = { opened: 0, framesIn: 0, framesOut: 0, dropped: 0 };

  constructor(private readonly opts: SmuxClientOptions) {}

  get isClosed(): boolean {
    return this.closed;
  }
  /** streams open now */
  get open(): number {
    return this.streams.size;
  }

  /** Opens a stream: a SYN with the next odd id (3, 5, 7…). */
  openStream(handlers: SmuxStreamHandlers = {}): SmuxStream {
    if (this.closed) throw new Error('The port forwarding session has ended.');
    this.nextStreamId += 2;
    if (this.nextStreamId > 0xffffffff) throw new Error('The port forwarding session has used every stream id.'); // session.go ErrGoAway
    const stream = new SmuxStream(this.nextStreamId, this);
    stream.handlers = handlers;
    this.streams.set(stream.id, stream);
    this.stats.opened++;
    this.send(encodeFrame(SmuxCmd.syn, stream.id));
    return stream;
  }

  /** A keepalive NOP (for agents that still expect one; see agentNeedsSmuxKeepAlive). */
  keepAlive(): void {
    if (!this.closed) this.send(encodeFrame(SmuxCmd.nop, 0));
  }

  /** Bytes from the node, in order. */
  feed(bytes: Buffer): void {
    if (this.closed) return;
    for (const f of this.reader.push(bytes)) {
      this.stats.framesIn++;
      if (f.version !== SMUX_VERSION) return this.protocolError(`frame version ${f.version}, expected ${SMUX_VERSION}`);
      switch (f.cmd) {
        case SmuxCmd.nop:
        case SmuxCmd.upd: // a version 2 window update: nothing to do at version 1
          break;
        case SmuxCmd.syn:
          // the agent never opens streams (port_mux.go only accepts them); one it opened would go unread
          this.stats.dropped++;
          break;
        case SmuxCmd.psh: {
          const s = this.streams.get(f.streamId);
          if (s && f.data.length) s.handlers.onData?.(f.data);
          else this.stats.dropped++;
          break;
        }
        case SmuxCmd.fin:
          this.streams.get(f.streamId)?.end('remote');
          break;
        default:
          return this.protocolError(`unknown command ${f.cmd}`);
      }
      if (this.closed) return;
    }
  }

  /** Ends the session locally: every stream ends (no frames: smux's Session.Close sends none). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.end('session');
    this.streams.clear();
  }

  /** @internal */
  send(frame: Buffer): void {
    if (this.closed) return;
    this.stats.framesOut++;
    this.opts.write(frame);
  }

  /** @internal */
  forget(id: number): void {
    this.streams.delete(id);
  }

  private protocolError(message: string): void {
    this.close();
    this.opts.onProtocolError?.(`smux protocol error: ${message}`);
  }
}
