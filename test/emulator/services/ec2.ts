import type { ServiceModule } from '../server';

export const ec2: ServiceModule = {
  service: 'ec2',
  handlers: {},
};
