/**
 * P1: text command → card reply, through botbuilder's TestAdapter in-process (the whole bot as compose wires
 * it, drafts and requests in Azurite), over a mix of commands; and the bot's RSS once the load is done (P5).
 * The turns run in a child process that holds nothing but the bot, so its RSS is the bot's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/logging';
import { composeOnboard } from '../src/compose';
import { projectRoot } from '../src/paths';
import { Conversation } from '../test/support/teamsTurns';
import { percentile } from './parsePlan';

/** What people type most: plans, help, status, the vendor list, a typo and a request id nobody has. */
export const mixedCommands = [
  'onboard cirrus connect mail delegated',
  'help',
  'onboard miradore with group filtering',
  'status',
  'vendors',
  'onboard securends',
  'hlep',
  'status REQ-NOPE0001',
  'qwzx plorb',
  'register cirrus insight email sync',
];

export interface TurnFigures {
  turns: number;
  p50: number;
  p99: number;
  cardReplies: number;
  rssMb: number;
}

export const TURNS_CHILD_ENV = 'ONBOARD_BENCH_TURNS';

async function measureTurns(turns: number, tables: { connectionString: string; prefix: string }): Promise<TurnFigures> {
  const onboard = composeOnboard(loadConfig({ TABLES_CONNECTION_STRING: tables.connectionString, TABLES_PREFIX: tables.prefix, LOG_LEVEL: 'silent' }), silentLogger());
  const conversation = new Conversation(onboard.app);
  // The first turn of each command warms caches and table creation; a running bot has done that long ago.
  for (const text of mixedCommands) await conversation.say(text);
  const times: number[] = [];
  let cardReplies = 0;
  for (let i = 0; i < turns; i++) {
    const started = performance.now();
    const replies = await conversation.say(mixedCommands[i % mixedCommands.length]);
    times.push(performance.now() - started);
    if (replies.some((r) => (r.attachments ?? []).length > 0)) cardReplies++;
  }
  times.sort((a, b) => a - b);
  // Settle what the turns allocated, so the figure is what the bot keeps, not garbage not yet collected.
  (globalThis as { gc?: () => void }).gc?.();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await onboard.close();
  return { turns, p50: percentile(times, 50), p99: percentile(times, 99), cardReplies, rssMb };
}

/** Runs the turns in a fresh `node` with only the bot loaded, and reads its one JSON line. */
export function measureTurnsInChild(turns: number, tables: { connectionString: string; prefix: string }): Promise<TurnFigures> {
  const child = spawn(process.execPath, ['--expose-gc', join(projectRoot, 'dist', 'bench', 'commandTurns.js')], {
    env: { ...process.env, [TURNS_CHILD_ENV]: JSON.stringify({ turns, tables }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as TurnFigures);
      else reject(new Error(`turns child exited ${code}: ${(err || out).trim().slice(-300)}`));
    });
  });
}

if (require.main === module && process.env[TURNS_CHILD_ENV]) {
  const { turns, tables } = JSON.parse(process.env[TURNS_CHILD_ENV]) as { turns: number; tables: { connectionString: string; prefix: string } };
  measureTurns(turns, tables).then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      process.exit(0);
    },
    (error: Error) => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
