import { main } from '../../src/cli/main';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { testTables } from '../support/tables';

describe('onboard audit export', () => {
  it('writes one JSON line per event since the given time, oldest first', async () => {
    const tables = testTables();
    const audit = new TableAuditLog(createTableClientFactory(tables));
    await audit.append({ at: '2026-11-01T08:00:00.000Z', action: 'submitted', outcome: 'ok', requestId: 'REQ-OLD1', correlationId: 'a' });
    await audit.append({ at: '2026-11-20T08:00:00.000Z', action: 'approved', outcome: 'ok', requestId: 'REQ-NEW1', correlationId: 'b', actor: { id: 'u1', name: 'Ann' } });
    await audit.append({ at: '2026-11-20T09:00:00.000Z', action: 'approve', outcome: 'refused', requestId: 'REQ-NEW1', correlationId: 'c', detail: 'self-approval' });
    let out = '';
    let err = '';
    const code = await main(['audit', 'export', '--since', '2026-11-10'], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix }, cwd: process.cwd() });
    expect(code).toBe(0);
    const events = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.requestId, e.action, e.outcome])).toEqual([['REQ-NEW1', 'approved', 'ok'], ['REQ-NEW1', 'approve', 'refused']]);
    expect(err).toContain('2 events exported');
  });

  it('explains a bad --since value', async () => {
    let err = '';
    const code = await main(['audit', 'export', '--since', 'last tuesday'], { stdout: () => undefined, stderr: (t) => (err += t), env: {}, cwd: process.cwd() });
    expect(code).toBe(2);
    expect(err).toContain('--since must be a date');
  });
});
