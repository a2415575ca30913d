import type { ServiceModule } from '../server';
import { cloudformation } from './cloudformation';
import { ec2 } from './ec2';
import { autoscaling } from './autoscaling';
import { sts } from './sts';
import { iam } from './iam';
import { ssm } from './ssm';
import { secretsmanager } from './secretsmanager';
import { acm } from './acm';
import { logs } from './logs';
import { ssmSessions } from './ssmSessions';
import { cloudwatch } from './cloudwatch';

/** Every service the emulator speaks; each module owns its handlers and tick hooks. */
export const SERVICE_MODULES: ServiceModule[] = [cloudformation, ec2, autoscaling, sts, iam, ssm, secretsmanager, acm, logs, ssmSessions, cloudwatch];
