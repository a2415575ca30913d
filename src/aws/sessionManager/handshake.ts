/**
 * The client's side of the agent's handshake (aws/session-manager-plugin src/datachannel/streaming.go
 * ProcessHandshakeRequest): the session type is accepted when it is the one expected; every other action (KMS
 * encryption and anything newer) is refused by name, so the agent's error says which action failed.
 */
import type { HandshakeRequest, HandshakeResponse } from './message';

/**
 * The client version this channel announces (OpenDataChannelInput and the handshake response; the agent keeps the
 * latter, amazon-ssm-agent agent/session/datachannel/datachannel.go handleHandshakeResponse). The SSM agent
 * multiplexes port forwarding (smux) for clients at 1.1.70 or later (agent/session/plugins/port/port.go:
 * `versionutil.Compare(clientVersion, muxSupportedClientVersion) >= 0` with muxSupportedClientVersion "1.1.70"),
 * and this client speaks smux (smux.ts), so it announces exactly that version. For shells the version only
 * matters to documents with separate stdout/stderr: clients at or below 1.2.295 get a CustomerMessage asking to
 * update (datachannel.go buildHandshakeCompletePayload, clientVersionWithoutOutputSeparation), which the
 * default shell document does not use; nothing else about a shell depends on it.
 */
export const CLIENT_VERSION = '1.1.70';

/**
 * Agent versions the plugin compares with (aws/session-manager-plugin src/config/config.go): port forwarding is
 * multiplexed by agents after 3.0.196.0 (TCPMultiplexingSupportedAfterThisAgentVersion), and agents after
 * 3.1.1511.0 work with smux keepalive disabled (TCPMultiplexingWithSmuxKeepAliveDisabledAfterThisAgentVersion).
 */
export const MUX_AGENT_AFTER = '3.0.196.0';
export const MUX_NO_KEEPALIVE_AGENT_AFTER = '3.1.1511.0';

/**
 * `version` strictly after `than`, comparing dot-separated numbers (src/version/versionvalidator.go
 * isAgentVersionGreaterThanSupportedVersion: an unreadable version is not greater).
 */
export function versionAfter(version: string | undefined, than: string): boolean {
  const parse = (v: string) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined);
  const a = parse(version ?? '');
  const b = parse(than);
  if (!a || !b) return false;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return false;
}

/** The agent multiplexes port forwarding over one session (portsession.go DoesAgentSupportTCPMultiplexing). */
export function agentSupportsMux(agentVersion: string | undefined): boolean {
  return versionAfter(agentVersion, MUX_AGENT_AFTER);
}

/** The plugin keeps smux keepalive (NOP every 10 s) on for agents up to 3.1.1511.0 (muxportforwarding.go). */
export function agentNeedsSmuxKeepAlive(agentVersion: string | undefined): boolean {
  return !versionAfter(agentVersion, MUX_NO_KEEPALIVE_AGENT_AFTER);
}

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
