import type { LocalCloud } from '../../src/localcloud';
import { main } from '../../src/cli/main';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { testTables } from '../support/tables';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';

/** `onboard offboard` only plans: it prints what offboarding would do, and the tenant sees nothing but reads. */
describe('onboard offboard', () => {
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let env: Record<string, string>;
  let appId: string;
  let requestId: string;

  beforeAll(async () => {
    ({ cloud, stop } = await startTestCloud());
    const tables = testTables();
    const { NODE_EXTRA_CA_CERTS: _trusted, ...bot } = cloud.botEnvironment();
    env = { ...bot, TABLES_CONNECTION_STRING: tables.connectionString!, TABLES_PREFIX: tables.prefix };
    // An app Onboard's own saga made, recorded in the tables the command reads.
    const stack = provisioningStack(endpointsOf(cloud, tables));
    requestId = newRequestId();
    await approvedRequest(stack.requests, requestId, miradorePlan(requestId));
    const provisioned = await stack.provision.execute({ requestId });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    appId = provisioned.request.provisioning!.steps.application!.appId;
    expect(await new TableRequestStore(createTableClientFactory(tables)).findByApplication({ appId, objectId: provisioned.request.provisioning!.steps.application!.id })).toBeDefined();
  });
  afterAll(async () => stop());

  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(['offboard', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), env, cwd: process.cwd() });
    return { code, out, err };
  };
  const tenant = () => JSON.stringify({ ...cloud.state, vault: cloud.state.vault });
  // Graph's $batch travels as POST whatever it carries: the inventory batches its reads. The tenant snapshot covers what a batch could write.
  const writesByBot = () => cloud.requestsBy(cloud.bot.clientId).filter((r) => r.method !== 'GET' && !r.path.endsWith('/$batch'));

  it('prints both steps, every grant it would remove, and that nothing was changed; the tenant saw only reads', async () => {
    const before = tenant();
    const writes = writesByBot().length;
    const seen = cloud.requestsBy(cloud.bot.clientId).length;
    const { code, out, err } = await run(appId);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(`Made by Onboard          request ${requestId}`);
    expect(out).toContain('Step 1, at once: disable sign-in of the enterprise app');
    expect(out).toMatch(/Step 2, after 14 days: remove 2 permission grant\(s\), 1 client secret\(s\) and 0 certificate\(s\), then delete the app registration \(restorable from deleted items for 30 days\)/);
    expect(out).toMatch(/Group\.Read\.All\s+Application\s+medium/);
    expect(out).toMatch(/User\.Read\.All\s+Application\s+medium/);
    expect(out).toContain('Nothing was changed: this only plans.');
    expect(tenant()).toBe(before);
    expect(cloud.requestsBy(cloud.bot.clientId).length).toBeGreaterThan(seen);
    expect(writesByBot().slice(writes)).toEqual([]);
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    expect(sp.accountEnabled).not.toBe(false);
  });

  it('prints the plan the chat card shows as JSON, with its hash', async () => {
    const { code, out } = await run(appId, '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(out);
    expect(plan).toMatchObject({ kind: 'offboard', target: { appId }, ofRequestId: requestId, graceDays: 14, holds: { passwords: 1, certificates: 0 } });
    expect(plan.planHash).toMatch(/^[a-f0-9]{64}$/);
  });

  it('exits 2 for an app Onboard did not make, or one tagged to look like Onboard\'s, saying what an admin would do by hand', async () => {
    const foreign = await run('Payroll', 'Sync');
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain('Onboard can offboard only the apps it created itself');
    expect(foreign.err).toContain('An Entra admin can do it by hand');
    // Anyone who can register an app can write Onboard's tags on it, naming a real request.
    const lookalike = await rawGraph(cloud, 'POST', '/applications', { displayName: 'Lookalike Miradore', tags: ['Onboard', `onboard:request:${requestId}`] });
    expect(lookalike.status).toBe(201);
    await rawGraph(cloud, 'POST', '/servicePrincipals', { appId: lookalike.json.appId });
    const before = tenant();
    const tagged = await run(lookalike.json.appId);
    expect(tagged.code).toBe(2);
    expect(tagged.err).toContain('Its tags say Onboard made it, but tags can be written by anyone');
    expect(tagged.err).toContain('An Entra admin can do it by hand');
    expect(tenant()).toBe(before);
  });

  it('exits 2 with the choices when a name fits several apps, and for no name at all', async () => {
    const several = await run('Contoso');
    expect(several.code).toBe(2);
    expect(several.err).toMatch(/^3 apps match "Contoso":/);
    expect(several.err).toContain('Run again with the Application (client) ID.');
    expect((await run()).code).toBe(2);
  });
});
