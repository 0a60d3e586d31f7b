import type { CliCommand } from '../command';

/** Every sub-command, in the order `onboard --help` lists them. One file per command in this folder. */
export const commands: CliCommand[] = [];
