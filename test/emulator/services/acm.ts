import type { ServiceModule } from '../server';

export const acm: ServiceModule = {
  service: 'acm',
  handlers: {},
};
