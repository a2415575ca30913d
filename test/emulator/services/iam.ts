import type { ServiceModule } from '../server';

export const iam: ServiceModule = {
  service: 'iam',
  handlers: {},
};
