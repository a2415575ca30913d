import type { ServiceModule } from '../server';

export const autoscaling: ServiceModule = {
  service: 'autoscaling',
  handlers: {},
};
