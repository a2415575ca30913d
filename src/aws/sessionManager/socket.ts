/**
 * The data channel's WebSocket, as far as the channel needs one: the interface, the default (`ws`) connection, and
 * error text made safe to show (the stream URL's query and the token never reach a message or a log line).
 */
import type { NetConnectOpts, Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

/** The few things the channel needs from a WebSocket (the `ws` WebSocket fits). */
export interface ChannelSocket {
  send(data: Buffer | string, cb?: (err?: Error) => void): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  /**
   * Holds writes until uncork() (net.Socket cork/uncork): the channel corks once per event-loop turn so the
   * acknowledgements of a whole batch of received messages leave in one write instead of one system call each.
   */
  cork?(): void;
  uncork?(): void;
}
type TcpConnectOptions = { host?: string; servername?: string; socketPath?: string } & Record<string, unknown>;

export type Connect = (streamUrl: string) => Promise<ChannelSocket>;

/** StartSession's / ResumeSession's answer: where the channel connects and the token it opens with. */
export interface StreamCredentials {
  streamUrl: string;
  tokenValue: string;
}

/** Error text without anything that looks like the stream URL's query or a token. */
export function safeMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/wss?:\/\/\S+/g, '<stream url>').slice(0, 300);
}

/** The default socket: the `ws` library (see docs: maintained, pure JavaScript, runs in the extension host). */
export const wsConnect: Connect = async (streamUrl) => {
  const { WebSocket } = await import('ws');
  const net = await import('node:net');
  const tls = await import('node:tls');
  return new Promise<ChannelSocket>((resolve, reject) => {
    // ws's documented `createConnection` hook, doing what its default does (net.connect for ws:, tls.connect with the
    // host as SNI server name for wss:), only to keep the TCP socket so the channel can cork it
    let tcp: Socket | undefined;
    const createConnection = (options: TcpConnectOptions): Socket => {
      if (streamUrl.startsWith('wss:')) {
        const servername = options.servername || options.servername === '' ? options.servername : net.isIP(options.host ?? '') ? '' : options.host;
        tcp = tls.connect({ ...options, path: undefined, servername } as ConnectionOptions);
      } else {
        tcp = net.connect({ ...options, path: options.socketPath } as NetConnectOpts);
      }
      return tcp;
    };
    const ws = new WebSocket(streamUrl, { perMessageDeflate: false, handshakeTimeout: 15000, createConnection: createConnection as never });
    ws.once('open', () => {
      const socket = ws as unknown as ChannelSocket;
      if (tcp) {
        const t = tcp;
        socket.cork = () => t.cork();
        socket.uncork = () => t.uncork();
      }
      resolve(socket);
    });
    ws.once('error', (e) => reject(e));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the service answered HTTP ${res.statusCode}`)));
  });
};
