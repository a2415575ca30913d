import type { ServiceModule } from '../server';

export const cloudformation: ServiceModule = {
  service: 'cloudformation',
  handlers: {},
};
