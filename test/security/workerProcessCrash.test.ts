import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { startChild, type Child } from '../../src/cli/dev/childProcess';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { TableAuditLog } from '../../src/adapters/tables/tableAuditLog';
import type { RegistrationPlan } from '../../src/domain/plan';
import { FakeConnector, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { distFile } from '../support/dist';
import { startHttpBot } from '../support/httpBot';
import { credentialFor, graphClient } from '../localcloud/helpers';
import { expectTenantMatchesPlan, graphServicePrincipalId } from '../support/provisioningChecks';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
/** The whole file's budget; each wait takes what is left of it. */
const BUDGET_MS = 120_000;
/** Short, so the restarted worker takes the dead one's saga over soon; production keeps the default minute. */
const LEASE_SECONDS = '3';

/**
 * Issue #16: the real `onboard worker` process, killed with SIGKILL in the middle of a saga (its app, service principal
 * and secret made, a grant on the wire), then started again: the restart takes the saga over once the dead process's
 * lease has run out, and the tenant ends with exactly one app, one service principal, one live secret and every grant.
 */
describe('the worker process killed (SIGKILL) mid-saga, then restarted', () => {
  const connector = new FakeConnector();
  const deadline = Date.now() + BUDGET_MS;
  const left = () => Math.max(1_000, deadline - Date.now());
  let cloud: LocalCloud;
  let bot: Awaited<ReturnType<typeof startHttpBot>>;
  const workers: Child[] = [];
  /** What the workers printed, for the message of a failed wait. */
  let said = '';

  beforeAll(async () => {
    await connector.start();
    cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-worker-crash-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    bot = await startHttpBot(connector, env, left);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await bot?.close();
    await connector.stop();
    await cloud?.close();
  });

  const startWorker = () => {
    const { NODE_EXTRA_CA_CERTS: ca, ...workerEnv } = cloud.workerEnvironment();
    const worker = startChild(`worker ${workers.length + 1}`, process.execPath, [distFile('src', 'main.js'), 'worker'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, ...workerEnv, TABLES_CONNECTION_STRING: bot.onboard.config.tables.connectionString!, TABLES_PREFIX: bot.onboard.config.tables.prefix, WORKER_LEASE_SECONDS: LEASE_SECONDS, LOG_LEVEL: 'warn', LOG_FILE: '' },
    });
    worker.process.stdout?.on('data', (c) => (said += String(c)));
    worker.process.stderr?.on('data', (c) => (said += String(c)));
    workers.push(worker);
    return worker;
  };
  /** Resolves once `happened` holds, checking as the local cloud serves requests; fails when the budget is spent. */
  const until = async (what: string, happened: () => boolean) => {
    while (!happened()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}; the workers said: ${said.slice(-3_000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('ends with exactly one app, one service principal, one live secret and every grant', async () => {
    await bot.say(megan, 'help');
    const preview = await bot.say(alex, 'onboard miradore');
    const submit = preview.actions.find((a) => a.verb === 'request.submit')!;
    const before = connector.posts.length;
    await bot.post(actionInvoke(connector.url, alex, 'request.submit', { ...submit.data!, 'input.justification': 'Needed for the contact centre go-live.' }, 'preview-1'));
    const approvalCard = (await connector.received(before + 1, left()))[before].body.attachments![0].content as typeof preview;
    const approve = approvalCard.actions.find((a) => a.verb === 'approval.approve')!;
    const requestId = approve.data!.requestId;

    // The first grant hangs on the wire, so the kill lands with the app, the service principal and the secret made.
    const hung = ['POST /v1.0/oauth2PermissionGrants', 'POST /v1.0/servicePrincipals/*/appRoleAssignedTo'];
    cloud.faults.set(hung.map((route, i) => ({ id: `hung-grant-${i}`, route, latencyMs: 8_000 })));
    const first = startWorker();
    const afterApproval = connector.posts.length;
    await bot.post(actionInvoke(connector.url, megan, 'approval.approve', approve.data!, 'approval-1'));
    await until('the first worker reaches the grants', () => hung.some((_, i) => (cloud.faults.counts().byRule[`hung-grant-${i}`]?.latency ?? 0) > 0));
    await first.stop('SIGKILL');
    expect(await first.exited).toBeNull();

    const requests = new TableRequestStore(createTableClientFactory(bot.onboard.config.tables));
    const killed = (await requests.get(requestId))!.value;
    expect(killed.state).toBe('Provisioning');
    expect(Object.keys(killed.provisioning?.steps ?? {})).toEqual(expect.arrayContaining(['application', 'servicePrincipal']));

    cloud.faults.clear();
    startWorker();
    const done = await bot.told(afterApproval, (t) => t.includes('is registered and verified') || t.includes('could not be provisioned'));
    expect(done).toContain('is registered and verified');

    const stored = (await requests.get(requestId))!.value;
    expect(stored.state).toBe('Provisioned');
    expect(stored.history.filter((h) => h.to === 'Provisioning')).toHaveLength(1);
    const actions = (await new TableAuditLog(createTableClientFactory(bot.onboard.config.tables)).forRequest(requestId)).map((e) => e.action);
    expect(actions.filter((a) => a === 'provisioned')).toHaveLength(1);
    expect(actions).toContain('provisioning.resumed');

    // The hung grant may still land on the server after the kill, as on Graph: the restart's grant or read-back counts it.
    const auditor = graphClient(cloud, credentialFor(cloud, cloud.addClientApp({ displayName: 'Test auditor', graphRoles: ['Application.Read.All', 'DelegatedPermissionGrant.Read.All'] })));
    await expectTenantMatchesPlan({ auditor, graphSpId: await graphServicePrincipalId(auditor), requestId, plan: stored.plan as RegistrationPlan });
  }, BUDGET_MS);
});
