/**
 * Session Manager's control-plane calls (SSM API reference: StartSession, ResumeSession, TerminateSession,
 * DescribeSessions). StartSession / ResumeSession answer a SessionId, a StreamUrl
 * (`wss://ssmmessages.<region>.amazonaws.com/v1/data-channel/<session-id>?stream=(input|output)`) and a TokenValue
 * ("valid only long enough to ensure the connection is successful. Never share your session's token."): both stay
 * inside this module and the data channel; errors and logs carry the session id only.
 */
import type { Session } from '@aws-sdk/client-ssm';
import { sdk } from './sdk';
import type { AwsSession } from './session';
import type { StreamCredentials } from './sessionManager/dataChannel';

/** the shell document; StartSession without DocumentName uses the account's default (also this one by default) */
export const SHELL_DOCUMENT = 'SSM-SessionManagerRunShell';
export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSession';

export interface StartedSession extends StreamCredentials {
  sessionId: string;
}

export async function startSession(
  session: AwsSession,
  target: string,
  opts: { documentName?: string; parameters?: Record<string, string[]>; reason?: string } = {},
): Promise<StartedSession> {
  const ssm = await session.ssm();
  const out = await ssm.send(
    new (await sdk.ssm()).StartSessionCommand({
      Target: target,
      ...(opts.documentName ? { DocumentName: opts.documentName } : {}),
      ...(opts.parameters ? { Parameters: opts.parameters } : {}),
      // Reason: 1-256 characters of [^<>] (API reference)
      ...(opts.reason ? { Reason: opts.reason.replace(/[<>]/g, '').slice(0, 256) } : {}),
    }),
  );
  if (!out.SessionId || !out.StreamUrl || !out.TokenValue) throw new Error('StartSession answered without a session id, stream URL or token.');
  return { sessionId: out.SessionId, streamUrl: out.StreamUrl, tokenValue: out.TokenValue };
}

export async function resumeSession(session: AwsSession, sessionId: string): Promise<StreamCredentials> {
  const ssm = await session.ssm();
  const out = await ssm.send(new (await sdk.ssm()).ResumeSessionCommand({ SessionId: sessionId }));
  if (!out.StreamUrl || !out.TokenValue) throw new Error(`ResumeSession answered without a stream URL or token for session ${sessionId}.`);
  return { streamUrl: out.StreamUrl, tokenValue: out.TokenValue };
}

export async function terminateSession(session: AwsSession, sessionId: string): Promise<void> {
  const ssm = await session.ssm();
  await ssm.send(new (await sdk.ssm()).TerminateSessionCommand({ SessionId: sessionId }));
}

/** Sessions in one state (Active or History), optionally of one target; follows NextToken. */
export async function describeSessions(session: AwsSession, state: 'Active' | 'History', target?: string): Promise<Session[]> {
  const ssm = await session.ssm();
  const out: Session[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(
      new (await sdk.ssm()).DescribeSessionsCommand({ State: state, NextToken, ...(target ? { Filters: [{ key: 'Target', value: target }] } : {}) }),
    );
    out.push(...(page.Sessions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
