import type { ServiceModule } from '../server';

export const secretsmanager: ServiceModule = {
  service: 'secretsmanager',
  handlers: {},
};
