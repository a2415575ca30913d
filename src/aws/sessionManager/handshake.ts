/**
 * The client's side of the agent's handshake (aws/session-manager-plugin src/datachannel/streaming.go
 * ProcessHandshakeRequest): the session type is accepted when it is the one expected; every other action (KMS
 * encryption and anything newer) is refused by name, so the agent's error says which action failed.
 */
import type { HandshakeRequest, HandshakeResponse } from './message';

/**
 * The client version this channel announces. The SSM agent multiplexes port forwarding (smux) for clients at
 * 1.1.70 or later (amazon-ssm-agent agent/session/plugins/port/port.go: `versionutil.Compare(clientVersion,
 * muxSupportedClientVersion) >= 0` with muxSupportedClientVersion "1.1.70"); this client speaks the basic port
 * protocol (one TCP connection per data channel), so it announces the version just below.
 */
export const CLIENT_VERSION = '1.1.69';

/** The handshake response to a request, for a client that expects `sessionType` ("Standard_Stream", "Port"). */
export function answerHandshake(req: HandshakeRequest, sessionType: string): HandshakeResponse {
  const response: HandshakeResponse = { ClientVersion: CLIENT_VERSION, ProcessedClientActions: [], Errors: [] };
  for (const action of req.RequestedClientActions ?? []) {
    if (action.ActionType === 'SessionType') {
      const type = (action.ActionParameters as { SessionType?: string } | undefined)?.SessionType;
      if (type === sessionType) {
        response.ProcessedClientActions.push({ ActionType: action.ActionType, ActionStatus: 1 });
      } else {
        const error = `Unsupported session type ${type}: expected ${sessionType}`;
        response.ProcessedClientActions.push({ ActionType: action.ActionType, ActionStatus: 2, Error: error });
        response.Errors.push(error);
      }
    } else {
      const error = `Unsupported action ${action.ActionType}`;
      response.ProcessedClientActions.push({ ActionType: action.ActionType, ActionStatus: 3, Error: error });
      response.Errors.push(error);
    }
  }
  return response;
}
