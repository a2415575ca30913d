import type { ServiceModule } from '../server';

export const sts: ServiceModule = {
  service: 'sts',
  handlers: {
    GetCallerIdentity: ({ world, request }) => ({
      UserId: `AIDA${(request.accessKeyId ?? 'TEST').toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      Account: world.accountId,
      Arn: `arn:aws:iam::${world.accountId}:user/openvidu-operator`,
    }),
  },
};
