/**
 * The SSM agent's multiplexed port session, for the emulator (written from AWS's and smux's sources, independently
 * of the extension's client code):
 *
 * - when: the port plugin picks it for a `LocalPortForwarding` session whose client announced 1.1.70 or later
 *   (amazon-ssm-agent agent/session/plugins/port/port.go GetSession, muxSupportedClientVersion "1.1.70"; the client
 *   version is the handshake response's, agent/session/datachannel/datachannel.go handleHandshakeResponse), on
 *   agents after 3.0.196.0 (session-manager-plugin src/config/config.go
 *   TCPMultiplexingSupportedAfterThisAgentVersion); otherwise the basic session (one TCP connection) runs;
 * - what (agent/session/plugins/port/port_mux.go): an smux server (`smux.Server(conn, nil)`, the default config:
 *   protocol version 1, frames of at most 32,768 bytes) over a local connection whose other end is the data
 *   channel: every input_stream_data payload is written to it, and what the server writes is read 1,024 bytes at a
 *   time (StreamDataPayloadSize) and sent as output_stream_data, so frames span messages and messages hold several
 *   frames; input is accepted as soon as the session is initialised (IsConnectionAvailable);
 * - each stream the client opens (SYN) is dialled to the port on the node; a dial that fails sends the flag
 *   ConnectToPortError (PayloadType 10, value 3) and closes the stream (FIN); otherwise bytes are copied both ways
 *   and when either copy stops both ends close (handleDataTransfer): a FIN from the client closes the TCP
 *   connection (what the port still sends is not forwarded: smux refuses writes after a FIN, stream.go "passive
 *   closing") and FIN goes back; the port closing its connection sends FIN;
 * - frames (github.com/xtaci/smux frame.go, session.go recvLoop): 8-byte header version(1) cmd(1) length(2, LE)
 *   stream id(4, LE); SYN 0, FIN 1, PSH 2, NOP 3, UPD 4; a version other than 1 or an unknown cmd is a protocol
 *   error that ends the smux session (recvLoop); the port plugin's handleServerConnections returns (AcceptStream
 *   fails) and the session ends once the smux connection closes (port_mux.go WritePump, errgroup): ending at once,
 *   as here, is the stricter reading;
 *   PSH/FIN for a stream that is not open are dropped; a SYN for an open stream is ignored;
 * - keepalive: the agent's port_mux.go calls smux.Server(conn, nil), smux's DefaultConfig (a NOP every 10 s, the
 *   session closed after 30 s without a frame); the plugin turns its own keepalive off for agents after 3.1.1511.0
 *   (config.go TCPMultiplexingWithSmuxKeepAliveDisabledAfterThisAgentVersion). Not modelled: no NOP is sent and an
 *   idle smux session is not closed (a simplification listed in docs/emulator.md); Session Manager's idle timeout
 *   applies.
 * - pacing: port_mux.go transferDataToMgs sleeps 1 ms after each read of at most 1,024 bytes; flush() below does
 *   not, so throughput through the emulator's mux is not AWS's (listed in docs/emulator.md).
 */
import { connect as tcpConnect, Socket } from 'node:net';

const VERSION = 1;
const SYN = 0;
const FIN = 1;
const PSH = 2;
const NOP = 3;
const UPD = 4;
const HEADER = 8;
const MAX_FRAME = 32768;
/** agent/session/config StreamDataPayloadSize: what one read of the smux connection returns at most */
const READ_SIZE = 1024;
/** contracts PayloadTypeFlag ConnectToPortError */
export const CONNECT_TO_PORT_ERROR = 3;

export interface MuxHost {
  /** the node's port (127.0.0.1 here) */
  tcpPort?: number;
  /** one read of the smux connection, sent as output (PayloadType 1) */
  send(bytes: Buffer): void;
  /** a flag message (PayloadType 10) */
  flag(flag: number): void;
  /** the smux session died (protocol error): the port plugin ends, and the session with it */
  onBroken(reason: string): void;
}

interface MuxStream {
  sid: number;
  tcp: Socket;
  connected: boolean;
  /** bytes that arrived before the connection to the port was up */
  pending: Buffer[];
  finReceived: boolean;
  closed: boolean;
}

/** smux version/port/ClientVersion comparisons as versionutil.Compare does them (dot-separated numbers). */
export function compareVersions(a: string, b: string): number | undefined {
  const pa = /^\d+(\.\d+)*$/.test(a) ? a.split('.').map(Number) : undefined;
  const pb = /^\d+(\.\d+)*$/.test(b) ? b.split('.').map(Number) : undefined;
  if (!pa || !pb) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** port.go GetSession + config.go: the multiplexed session for this client on this agent? */
export function usesMux(clientVersion: string | undefined, agentVersion: string): boolean {
  return (compareVersions(clientVersion ?? '', '1.1.70') ?? -1) >= 0 && (compareVersions(agentVersion, '3.0.196.0') ?? -1) > 0;
}

export class AgentMux {
  private inBuf: Buffer = Buffer.alloc(0);
  private outQueue: Buffer[] = [];
  private flushScheduled = false;
  private readonly streams = new Map<number, MuxStream>();
  broken = false;
  readonly stats = { streamsAccepted: 0, maxConcurrent: 0, finsReceived: 0, finsSent: 0, dialFailures: 0, dropped: 0, nops: 0 };

  constructor(private readonly host: MuxHost) {}

  get openStreams(): number {
    return this.streams.size;
  }

  /** An input_stream_data payload: more bytes of the client's side of the smux connection. */
  feed(bytes: Buffer): void {
    if (this.broken) return;
    this.inBuf = this.inBuf.length ? Buffer.concat([this.inBuf, bytes]) : bytes;
    let at = 0;
    while (this.inBuf.length - at >= HEADER) {
      const length = this.inBuf.readUInt16LE(at + 2);
      if (this.inBuf.length - at < HEADER + length) break;
      const version = this.inBuf[at];
      const cmd = this.inBuf[at + 1];
      const sid = this.inBuf.readUInt32LE(at + 4);
      const data = Buffer.from(this.inBuf.subarray(at + HEADER, at + HEADER + length));
      at += HEADER + length;
      if (version !== VERSION) return this.die(`smux frame version ${version}`);
      if (cmd === SYN) this.onSyn(sid);
      else if (cmd === FIN) this.onFin(sid);
      else if (cmd === PSH) this.onPsh(sid, data);
      else if (cmd === NOP) this.stats.nops++;
      else if (cmd === UPD) continue; // a version 2 window update: nothing at version 1
      else return this.die(`smux command ${cmd}`);
    }
    this.inBuf = at === this.inBuf.length ? Buffer.alloc(0) : Buffer.from(this.inBuf.subarray(at));
  }

  /** The port plugin stops (session ended): every connection to the port closes. */
  stop(): void {
    this.broken = true;
    for (const st of this.streams.values()) st.tcp.destroy();
    this.streams.clear();
  }

  private die(reason: string): void {
    this.stop();
    this.host.onBroken(reason);
  }

  private onSyn(sid: number): void {
    if (this.streams.has(sid)) return;
    this.stats.streamsAccepted++;
    const tcp = tcpConnect(this.host.tcpPort ?? 0, '127.0.0.1');
    const st: MuxStream = { sid, tcp, connected: false, pending: [], finReceived: false, closed: false };
    this.streams.set(sid, st);
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.streams.size);
    tcp.on('connect', () => {
      st.connected = true;
      for (const b of st.pending) tcp.write(b);
      st.pending = [];
      if (st.finReceived) tcp.end();
    });
    tcp.on('data', (d: Buffer) => {
      if (st.finReceived || st.closed) return; // writes after a FIN fail (passive closing)
      for (let i = 0; i < d.length; i += MAX_FRAME) this.write(this.frame(PSH, sid, d.subarray(i, i + MAX_FRAME)));
    });
    tcp.on('error', () => {
      if (!st.connected && !st.closed) {
        // port_mux.go handleServerConnections: the dial failed
        this.stats.dialFailures++;
        this.flush();
        this.host.flag(CONNECT_TO_PORT_ERROR);
      }
    });
    tcp.on('close', () => this.closeStream(st));
  }

  private onPsh(sid: number, data: Buffer): void {
    const st = this.streams.get(sid);
    if (!st || st.finReceived || !data.length) {
      this.stats.dropped++;
      return;
    }
    if (st.connected) st.tcp.write(data);
    else st.pending.push(data);
  }

  private onFin(sid: number): void {
    const st = this.streams.get(sid);
    if (!st) return;
    this.stats.finsReceived++;
    st.finReceived = true;
    // handleDataTransfer: the copy to the port ends, the connection closes (after what was written), FIN goes back
    if (st.connected) st.tcp.end(() => st.tcp.destroy());
  }

  /** Either end stopped: the stream closes (FIN to the client, once) and is forgotten. */
  private closeStream(st: MuxStream): void {
    if (st.closed) return;
    st.closed = true;
    st.tcp.destroy();
    if (this.streams.get(st.sid) === st) this.streams.delete(st.sid);
    if (this.broken) return;
    this.stats.finsSent++;
    this.write(this.frame(FIN, st.sid));
  }

  private frame(cmd: number, sid: number, data: Buffer = Buffer.alloc(0)): Buffer {
    const b = Buffer.alloc(HEADER + data.length);
    b[0] = VERSION;
    b[1] = cmd;
    b.writeUInt16LE(data.length, 2);
    b.writeUInt32LE(sid, 4);
    data.copy(b, HEADER);
    return b;
  }

  /** The smux server's writes; the agent's read loop picks them up in reads of at most 1,024 bytes. */
  private write(b: Buffer): void {
    this.outQueue.push(b);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.outQueue.length) return;
    const all = Buffer.concat(this.outQueue);
    this.outQueue = [];
    for (let i = 0; i < all.length; i += READ_SIZE) this.host.send(all.subarray(i, i + READ_SIZE));
  }
}
