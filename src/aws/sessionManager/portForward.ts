/**
 * Port forwarding through Session Manager (`AWS-StartPortForwardingSession`): a listener on 127.0.0.1:<local port>
 * whose connections reach the node's port.
 *
 * - Multiplexed (agents after 3.0.196.0, every current one): one session for the forward, each TCP connection an
 *   smux stream in it (portMux.ts). The session opens when the forward starts, so a node that cannot be reached
 *   is reported then; stop() closes the listener and every connection and terminates the session.
 * - Basic (older agents): each accepted connection gets its own session and data channel (the agent's basic port
 *   session carries one TCP connection); closing the connection terminates its session.
 */
import { createServer, Server, Socket } from 'node:net';
import type { AwsSession } from '../session';
import { safeMessage } from './dataChannel';
import { MuxForwarder } from './portMux';
import { openSession, OpenedSession } from './session';

export interface PortForward {
  target: string;
  remotePort: number;
  localPort: number;
  /** 'mux': one session, a stream per connection; 'basic': a session per connection */
  readonly mode: 'mux' | 'basic';
  /** live TCP connections */
  readonly connections: number;
  stop(): Promise<void>;
}

export interface PortForwardOptions {
  localPort?: number;
  log?: (line: string) => void;
  onError?: (message: string) => void;
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

export async function startPortForward(aws: AwsSession, target: string, remotePort: number, opts: PortForwardOptions = {}): Promise<PortForward> {
  validatePort(remotePort, 'Remote port');
  if (opts.localPort !== undefined && opts.localPort !== 0) validatePort(opts.localPort, 'Local port');
  const server = await listenLocal(opts.localPort ?? 0);
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;
  // connections that arrive while the first session opens wait for it
  const early: Socket[] = [];
  const hold = (sock: Socket) => {
    sock.pause();
    early.push(sock);
  };
  server.on('connection', hold);
  const mux = new MuxForwarder(aws, target, remotePort, opts);
  let multiplexed: boolean;
  try {
    multiplexed = await mux.start();
  } catch (e) {
    for (const sock of early) sock.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    throw e;
  }
  const forward: Forwarding = multiplexed ? { accept: (sock) => mux.accept(sock), connections: () => mux.connections, stop: () => mux.stop() } : basicForward(aws, target, remotePort, opts);
  server.off('connection', hold);
  server.on('connection', (sock: Socket) => forward.accept(sock));
  for (const sock of early) if (!sock.destroyed) forward.accept(sock);
  opts.log?.(`forwarding 127.0.0.1:${localPort} → ${target}:${remotePort} (${multiplexed ? 'one multiplexed session' : 'a session per connection'})`);
  let stopped = false;
  return {
    target,
    remotePort,
    localPort,
    mode: multiplexed ? 'mux' : 'basic',
    get connections() {
      return forward.connections();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = new Promise<void>((r) => server.close(() => r()));
      await forward.stop();
      await closed;
      opts.log?.(`stopped forwarding 127.0.0.1:${localPort} → ${target}:${remotePort}`);
    },
  };
}

interface Forwarding {
  accept(sock: Socket): void;
  connections(): number;
  stop(): Promise<void>;
}

/** Basic mode: a session per accepted connection; the connection's end terminates it. */
function basicForward(aws: AwsSession, target: string, remotePort: number, opts: PortForwardOptions): Forwarding {
  const live = new Map<Socket, Promise<OpenedSession | undefined>>();
  return {
    accept(sock) {
      sock.pause();
      const opening = (async () => {
        try {
          const s = await openSession(aws, target, { kind: 'port', remotePort }, { log: opts.log, onOutput: (d) => sock.write(d), onClosed: () => sock.end() });
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
    },
    connections: () => live.size,
    async stop() {
      const sessions = [...live.entries()];
      live.clear();
      for (const [sock] of sessions) sock.destroy();
      await Promise.all(sessions.map(([, p]) => p.then((s) => s?.terminate())));
    },
  };
}
