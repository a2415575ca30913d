/**
 * A Session Manager session end to end: StartSession → the data channel on its StreamUrl with its token →
 * ResumeSession when the socket drops → TerminateSession when the client ends it. Only metadata (session id,
 * target, events) reaches `log`; the token and the stream URL never do.
 */
import type { AwsSession } from '../session';
import { PORT_FORWARD_DOCUMENT, resumeSession, SHELL_DOCUMENT, startSession, terminateSession } from '../ssmSessions';
import { ClosedReason, Connect, DataChannel, safeMessage } from './dataChannel';
import { PayloadFlag } from './message';

export interface SessionHandlers {
  onOutput?: (data: Buffer) => void;
  onClosed?: (reason: ClosedReason) => void;
  /** a flag from the agent (ConnectToPortError) */
  onFlag?: (flag: number) => void;
  log?: (line: string) => void;
  connect?: Connect;
}

export interface OpenedSession {
  sessionId: string;
  channel: DataChannel;
  /** ends the session: a TerminateSession flag on the channel, the channel closed, then TerminateSession */
  terminate(): Promise<void>;
}

export type SessionKind = { kind: 'shell'; documentName?: string } | { kind: 'port'; remotePort: number };

export async function openSession(aws: AwsSession, target: string, what: SessionKind, h: SessionHandlers = {}): Promise<OpenedSession> {
  const started = await startSession(aws, target, {
    documentName: what.kind === 'shell' ? what.documentName ?? SHELL_DOCUMENT : PORT_FORWARD_DOCUMENT,
    parameters: what.kind === 'port' ? { portNumber: [String(what.remotePort)] } : undefined,
    reason: what.kind === 'shell' ? 'OpenVidu HA for VS Code: shell' : `OpenVidu HA for VS Code: port ${what.remotePort}`,
  });
  const sessionId = started.sessionId;
  h.log?.(`session ${sessionId} started on ${target} (${what.kind === 'shell' ? 'shell' : `port ${what.remotePort}`})`);
  let terminated: Promise<void> | undefined;
  const terminate = (): Promise<void> => {
    terminated ??= (async () => {
      if (!channel.isClosed) {
        channel.sendFlag(PayloadFlag.terminateSession);
        channel.close('Session closed.');
      }
      try {
        await terminateSession(aws, sessionId);
        h.log?.(`session ${sessionId} terminated`);
      } catch (e) {
        h.log?.(`session ${sessionId}: TerminateSession failed: ${safeMessage(e)}`);
      }
    })();
    return terminated;
  };
  const channel = new DataChannel({
    sessionId,
    sessionType: what.kind === 'shell' ? 'Standard_Stream' : 'Port',
    streamUrl: started.streamUrl,
    tokenValue: started.tokenValue,
    connect: h.connect,
    resume: async () => {
      const creds = await resumeSession(aws, sessionId);
      h.log?.(`session ${sessionId} resumed`);
      return creds;
    },
    onOutput: (d) => h.onOutput?.(d),
    onFlag: (f) => h.onFlag?.(f),
    onEvent: (e) => h.log?.(`session ${sessionId}: ${e}`),
    onClosed: (reason) => {
      h.log?.(`session ${sessionId} ended${reason.byNode ? ' by the node' : ''}`);
      h.onClosed?.(reason);
    },
  });
  try {
    await channel.open();
  } catch (e) {
    await terminate();
    throw e;
  }
  return { sessionId, channel, terminate };
}
