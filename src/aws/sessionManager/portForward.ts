/**
 * Port forwarding through Session Manager (`AWS-StartPortForwardingSession`), basic mode: a listener on
 * 127.0.0.1:<local port>; each accepted TCP connection gets its own session and data channel to the node's port
 * (the agent's basic port session carries one TCP connection; see CLIENT_VERSION in handshake.ts). Closing the
 * connection terminates its session; stop() closes the listener and terminates every session.
 */
import { createServer, Server, Socket } from 'node:net';
import type { AwsSession } from '../session';
import { safeMessage } from './dataChannel';
import { openSession, OpenedSession } from './session';

export interface PortForward {
  target: string;
  remotePort: number;
  localPort: number;
  /** live TCP connections (each with its session) */
  readonly connections: number;
  stop(): Promise<void>;
}

export function validatePort(value: number | string, field: string): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${field} must be a whole number from 1 to 65535 (got ${JSON.stringify(String(value))}).`);
  return n;
}

/** Binds 127.0.0.1:localPort (0 = a free port); refuses a port already in use before any AWS call. */
export async function listenLocal(localPort: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `Local port ${localPort} is already in use: choose another local port or leave it empty for a free one.` : `Could not listen on 127.0.0.1:${localPort}: ${e.message}`)),
    );
    server.listen(localPort, '127.0.0.1', () => resolve());
  });
  return server;
}

export async function startPortForward(
  aws: AwsSession,
  target: string,
  remotePort: number,
  opts: { localPort?: number; log?: (line: string) => void; onError?: (message: string) => void } = {},
): Promise<PortForward> {
  validatePort(remotePort, 'Remote port');
  if (opts.localPort !== undefined && opts.localPort !== 0) validatePort(opts.localPort, 'Local port');
  const server = await listenLocal(opts.localPort ?? 0);
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;
  const live = new Map<Socket, Promise<OpenedSession | undefined>>();
  let stopped = false;
  server.on('connection', (sock: Socket) => {
    sock.pause();
    const opening = (async () => {
      try {
        const s = await openSession(aws, target, { kind: 'port', remotePort }, {
          log: opts.log,
          onOutput: (d) => sock.write(d),
          onClosed: () => sock.end(),
        });
        sock.on('data', (d: Buffer) => s.channel.sendInput(d));
        sock.resume();
        return s;
      } catch (e) {
        const message = `port ${remotePort} on ${target}: could not open a session: ${safeMessage(e)}`;
        opts.log?.(message);
        opts.onError?.(message);
        sock.destroy();
        return undefined;
      }
    })();
    live.set(sock, opening);
    const done = () => {
      if (!live.has(sock)) return;
      live.delete(sock);
      void opening.then((s) => s?.terminate());
    };
    sock.on('close', done);
    sock.on('error', done);
  });
  opts.log?.(`forwarding 127.0.0.1:${localPort} → ${target}:${remotePort}`);
  return {
    target,
    remotePort,
    localPort,
    get connections() {
      return live.size;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const sessions = [...live.entries()];
      live.clear();
      for (const [sock] of sessions) sock.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await Promise.all(sessions.map(([, p]) => p.then((s) => s?.terminate())));
      opts.log?.(`stopped forwarding 127.0.0.1:${localPort} → ${target}:${remotePort}`);
    },
  };
}
