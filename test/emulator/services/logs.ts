import type { ServiceModule } from '../server';

export const logs: ServiceModule = {
  service: 'logs',
  handlers: {},
};
