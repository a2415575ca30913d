/**
 * A LiveKit- and OpenVidu-v2-compatible API for each simulated cluster, so the credentials check is tested
 * for real: `<endpoint>/_cluster/<region>/<stack>/` answers
 *   POST twirp/livekit.RoomService/ListRooms   with `Authorization: Bearer <JWT>`: the HS256 signature must be
 *        made with the stack secret's LIVEKIT_API_SECRET, `iss` must be LIVEKIT_API_KEY, not expired, grant roomList
 *   GET  openvidu/api/config                    with Basic auth OPENVIDUAPP:<LIVEKIT_API_SECRET>
 * A stack whose secret is not generated yet answers 503, as a cluster still installing would.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HttpRoute } from './server';
import type { World } from './world';

const PREFIX = /^\/_cluster\/([a-z0-9-]+)\/([A-Za-z][-A-Za-z0-9]*)\/(.*)$/;

function clusterKeys(world: World, region: string, stack: string): { key: string; secret: string } | 'none' | undefined {
  const secret = world.region(region).secrets.get(`openvidu-ha-${region}-${stack}`);
  if (!secret || secret.deletedAt !== undefined) return undefined;
  const values = JSON.parse(secret.secretString) as Record<string, string>;
  if (values.ALL_SECRETS_GENERATED !== 'true' || !values.LIVEKIT_API_KEY || values.LIVEKIT_API_KEY === 'none') return 'none';
  return { key: values.LIVEKIT_API_KEY, secret: values.LIVEKIT_API_SECRET };
}

function verifyJwt(token: string, key: string, secret: string): Record<string, unknown> | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    if (payload.iss !== key || typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

function json(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

export const openviduApiRoute: HttpRoute = (req, res, url, _body, emulator) => {
  const m = PREFIX.exec(url.pathname);
  if (!m) return false;
  const [, region, stack, path] = m;
  emulator.world.tick();
  const keys = clusterKeys(emulator.world, region, stack);
  if (!keys) return json(res, 404, { error: `no cluster ${stack} in ${region}` });
  if (keys === 'none') return json(res, 503, { error: 'OpenVidu is still installing' });
  if (req.method === 'POST' && path === 'twirp/livekit.RoomService/ListRooms') {
    const payload = verifyJwt(String(req.headers.authorization ?? '').replace(/^Bearer /, ''), keys.key, keys.secret);
    const grant = payload?.video as { roomList?: boolean } | undefined;
    if (!payload || !grant?.roomList) return json(res, 401, { code: 'unauthenticated', msg: 'invalid token' });
    return json(res, 200, { rooms: [] });
  }
  if (req.method === 'GET' && path === 'openvidu/api/config') {
    const expected = `Basic ${Buffer.from(`OPENVIDUAPP:${keys.secret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="OpenVidu"' });
      res.end();
      return true;
    }
    return json(res, 200, { VERSION: '3.8.0', DOMAIN_OR_PUBLIC_IP: stack });
  }
  return json(res, 404, { error: `unknown path ${path}` });
};
