/**
 * A LiveKit- and OpenVidu-v2-compatible API for each simulated cluster, so the credentials check is tested
 * for real: `<endpoint>/_cluster/<region>/<stack>/` answers
 *   POST twirp/livekit.RoomService/ListRooms   with `Authorization: Bearer <JWT>`: the HS256 signature must be
 *        made with the stack secret's LIVEKIT_API_SECRET, `iss` must be LIVEKIT_API_KEY, not expired, grant roomList
 *   GET  openvidu/api/config                    with Basic auth OPENVIDUAPP:<LIVEKIT_API_SECRET>
 * A stack whose secret is not generated yet answers 503, as a cluster still installing would. Each cluster also
 * answers at an address of its own (cluster-servers.ts): the official LiveKit SDK needs the API at a root.
 */
import type { HttpRoute } from './server';
import { handleClusterApi } from './livekit';

const PREFIX = /^\/_cluster\/([a-z0-9-]+)\/([A-Za-z][-A-Za-z0-9]*)\/(.*)$/;

/** The same API as each cluster's own address (cluster-servers.ts, livekit.ts), under a path prefix. */
export const openviduApiRoute: HttpRoute = (req, res, url, body, emulator) => {
  const m = PREFIX.exec(url.pathname);
  if (!m) return false;
  const [, region, stack, path] = m;
  if (handleClusterApi(emulator.world, region, stack, req, res, path, body)) return true;
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: `unknown path ${path}` }));
  return true;
};
