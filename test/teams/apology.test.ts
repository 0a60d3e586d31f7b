import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { composeOnboard } from '../../src/compose';
import { azuriteConnectionString } from '../../src/adapters/tables/tableClients';
import { findFreePort } from '../../src/cli/dev/ports';
import { Conversation } from '../support/teamsTurns';

describe('an unexpected failure in a turn', () => {
  it('gives the user a short apology with a reference, and logs the error under that reference', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'onboard-log-')), 'bot.jsonl');
    const deadStorage = `http://127.0.0.1:${await findFreePort()}`;
    const logger = createLogger({ level: 'info', file: logFile });
    const onboard = composeOnboard(loadConfig({ TABLES_CONNECTION_STRING: azuriteConnectionString(deadStorage) }), logger);
    const replies = await new Conversation(onboard.app).say('status');
    const text = String(replies.at(-1)?.text);
    expect(text).toMatch(/^Sorry, something went wrong on my side\. If it happens again, give your admin this reference: [0-9a-f-]{36}$/);
    expect(text).not.toMatch(/ECONNREFUSED|at .*\.js/);
    const reference = /reference: ([0-9a-f-]{36})/.exec(text)![1];
    logger.flush();
    await new Promise((r) => setTimeout(r, 300));
    const entry = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.correlationId === reference);
    expect(entry).toMatchObject({ level: 50, msg: 'turn failed', err: expect.objectContaining({ message: expect.any(String) }) });
  }, 60_000);
});
