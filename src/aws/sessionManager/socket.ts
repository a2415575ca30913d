/**
 * The data channel's WebSocket, as far as the channel needs one: the interface, the default (`ws`) connection, and
 * error text made safe to show (the stream URL's query and the token never reach a message or a log line).
 */

/** The few things the channel needs from a WebSocket (the `ws` WebSocket fits). */
export interface ChannelSocket {
  send(data: Buffer | string, cb?: (err?: Error) => void): void;
  close(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}
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
  return new Promise<ChannelSocket>((resolve, reject) => {
    const ws = new WebSocket(streamUrl, { perMessageDeflate: false, handshakeTimeout: 15000 });
    ws.once('open', () => resolve(ws as unknown as ChannelSocket));
    ws.once('error', (e) => reject(e));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the service answered HTTP ${res.statusCode}`)));
  });
};
