import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { FakeConnector, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { startHttpBot } from '../support/httpBot';
import { distFile } from '../support/dist';
import { startChild, type Child } from '../../src/cli/dev/childProcess';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
/** The whole file's budget; each wait below takes what is left of it, never a guess of how slow the machine is. */
const BUDGET_MS = 150_000;
const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Issue #16: the process that talks to people holds no Graph write role. The bot runs here with the worker
 * stopped; the approval is recorded and nothing is written to Graph. Then the real `onboard worker` starts as its
 * own process and identity, provisions it, and the bot tells the requester, through Table Storage only.
 */
describe('the bot holds no Graph write role; the worker provisions', () => {
  const connector = new FakeConnector();
  const deadline = Date.now() + BUDGET_MS;
  const left = () => Math.max(1_000, deadline - Date.now());
  let cloud: LocalCloud;
  let bot: Awaited<ReturnType<typeof startHttpBot>>;
  let worker: Child | undefined;

  beforeAll(async () => {
    await connector.start();
    cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-split-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    bot = await startHttpBot(connector, env, left);
  });
  afterAll(async () => {
    await worker?.stop();
    await bot?.close();
    await connector.stop();
    await cloud.close();
  });

  // POSTs Graph defines as reads (membership checks) are not writes.
  const READ_POSTS = /\/(checkMemberGroups|checkMemberObjects|getMemberGroups|getMemberObjects)$/;
  // $batch is counted once, not by its sub-requests: the bot batches reads. A write inside one would need a write
  // role, which the bot's token lacks (test/localcloud/authorization.test.ts), and the tenant checks below would see it.
  const graphWrites = (clientId: string) => cloud.requestsBy(clientId).filter((r) => r.path.startsWith('/v1.0/') && WRITES.has(r.method) && !READ_POSTS.test(r.path) && r.path !== '/v1.0/$batch');

  it('approving with the worker stopped records the approval and writes nothing to Graph; starting the worker provisions it and the requester is told', async () => {
    const { onboard, post, say, told } = bot;
    await say(megan, 'help');
    const preview = await say(alex, 'onboard cirrus connect mail delegated for contoso.cirrus.example');
    const submit = preview.actions.find((a) => a.verb === 'request.submit')!;
    const before = connector.posts.length;
    await post(actionInvoke(connector.url, alex, 'request.submit', { ...submit.data!, 'input.justification': 'Needed for the contact centre go-live.' }, 'preview-1'));
    const approvalCard = (await connector.received(before + 1, left()))[before].body.attachments![0].content as { actions: { verb?: string; data?: Record<string, string> }[] };
    const approve = approvalCard.actions.find((a) => a.verb === 'approval.approve')!;
    await post(actionInvoke(connector.url, megan, 'approval.approve', approve.data!, 'approval-1'));
    await onboard.inflight.idle(left());

    const requestId = approve.data!.requestId;
    const requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    expect((await requests.get(requestId))?.value.state).toBe('Approved');
    expect(cloud.state.applications.filter((a) => String(a.displayName).startsWith('Cirrus Connect'))).toEqual([]);
    expect(cloud.requestsBy(cloud.bot.clientId).length).toBeGreaterThan(0);
    expect(graphWrites(cloud.bot.clientId)).toEqual([]);

    const afterApproval = connector.posts.length;
    const { NODE_EXTRA_CA_CERTS: ca, ...workerEnv } = cloud.workerEnvironment();
    worker = startChild('worker', process.execPath, [distFile('src', 'main.js'), 'worker'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, ...workerEnv, TABLES_CONNECTION_STRING: onboard.config.tables.connectionString!, TABLES_PREFIX: onboard.config.tables.prefix, LOG_LEVEL: 'warn', LOG_FILE: '' },
    });
    let workerSaid = '';
    worker.process.stderr?.on('data', (c) => (workerSaid += String(c)));
    worker.process.stdout?.on('data', (c) => (workerSaid += String(c)));
    const done = await told(afterApproval, (t) => t.includes('is registered and verified') || t.includes('could not be provisioned')).catch(async (error) => {
      throw new Error(`${(error as Error).message}; the request is ${JSON.stringify((await requests.get(requestId))?.value.state)}; the worker said: ${workerSaid.slice(-2000)}`);
    });
    expect(done).toContain('is registered and verified');
    const app = cloud.state.applications.find((a) => a.displayName === 'Cirrus Connect (contoso.cirrus.example)');
    expect(done).toContain(String(app?.appId));
    expect(graphWrites(cloud.worker.clientId).length).toBeGreaterThan(0);
    expect(graphWrites(cloud.bot.clientId)).toEqual([]);
  }, BUDGET_MS);
});
