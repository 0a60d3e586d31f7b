import type { CliCommand } from '../command';
import { devCommand } from './dev';
import { workerCommand } from './worker';
import { auditCommand } from './audit';
import { localcloudCommand } from './localcloud';
import { planCommand } from './plan';
import { vendorsCommand } from './vendors';
import { packageCommand } from './package';
import { inspectCommand } from './inspect';
import { offboardCommand } from './offboard';

/** Every sub-command, in the order `onboard --help` lists them. One file per command in this folder. */
export const commands: CliCommand[] = [devCommand, workerCommand, planCommand, vendorsCommand, inspectCommand, offboardCommand, auditCommand, localcloudCommand, packageCommand];
