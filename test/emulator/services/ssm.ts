import type { ServiceModule } from '../server';

export const ssm: ServiceModule = {
  service: 'ssm',
  handlers: {},
};
