import type { AddressInfo } from 'node:net';
import { TableClient } from '@azure/data-tables';
import type { LocalCloud } from '../../src/localcloud';
import { verbs } from '../../src/teams/verbs';
import { permissionCatalog } from '../../src/domain/catalog/permissions';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { graphClient, credentialFor, rawGraph, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };

type Execute = { type: string; title: string; verb?: string; data?: Record<string, string> };
const titles = (card: Card) => ((card.actions ?? []) as Execute[]).filter((a) => a.type === 'Action.Execute').map((a) => a.title);

/**
 * Issue #13, drift: the reference that Fix drift grants from must come from Onboard's own records. Each test is an
 * attack by someone who can register an app in the tenant (any user, by default), and fails on the code that read
 * tags and display names.
 */
describe('drift authority: tags and names are hints, Onboard\'s records decide', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let requests: TableRequestStore;
  let url: string;
  let provisioned: { id: string; appId: string; servicePrincipalId: string };

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const check = async (user: TeamsUser, target: string): Promise<Card> => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    const before = connector.posts.length;
    await post(personalMessage(connector.url, user, `check ${target}`, id));
    for (let seen = before + 1; ; seen++) {
      await connector.received(seen);
      const reply = connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`) && p.body.attachments?.length);
      if (reply) return reply.body.attachments![0].content as Card;
    }
  };

  /** Someone outside Onboard registers an app with its own Graph rights, as any user can in a default tenant. */
  async function registerOutsideOnboard(body: { displayName: string; tags?: string[]; requiredResourceAccess?: unknown[] }) {
    const attacker = cloud.addClientApp({ displayName: 'Someone\'s automation', graphRoles: ['Application.ReadWrite.All'] });
    const graph = graphClient(cloud, credentialFor(cloud, attacker));
    const app = await graph.api('/applications').post(body) as { id: string; appId: string };
    const sp = await graph.api('/servicePrincipals').post({ appId: app.appId }) as { id: string };
    return { ...app, servicePrincipalId: sp.id };
  }

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env);
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    // A real Miradore request, provisioned by the saga into the bot's own tables: the id the attacker will name.
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    if (outcome.kind !== 'provisioned') throw new Error(outcome.kind);
    const steps = outcome.request.provisioning!.steps;
    provisioned = { id, appId: steps.application!.appId, servicePrincipalId: steps.servicePrincipal!.id };
    await post(personalMessage(connector.url, adele, 'help', 'hello-adele'));
    await connector.received(1);
  }, 60_000);
  afterAll(async () => {
    await onboard?.close();
    onboard?.server.close();
    await connector.stop();
    await stop();
  });

  it('an app registered outside Onboard and tagged onboard:request:<a real request id> shows no Onboard reference and no Fix drift', async () => {
    const forged = await registerOutsideOnboard({ displayName: 'Miradore', tags: ['onboard', `onboard:request:${provisioned.id}`, 'onboard:vendor:miradore'] });

    const card = await check(megan, forged.appId);
    const text = cardText(card);
    expect(text).not.toContain(`Drift from request ${provisioned.id}`);
    expect(text).toContain(`no: tagged onboard:request:${provisioned.id}, but Onboard's records show no such app`);
    expect(text).toContain('No drift check');
    expect(titles(card)).not.toContain('Fix drift');
    expect(titles(card)).not.toContain('Rotate secret');

    // The button sent by hand (a card from before, or a crafted invoke) is refused by the server, and grants nothing.
    const answer = await post(actionInvoke(connector.url, megan, verbs.fixDrift, { appId: forged.appId }, 'inspect-1'));
    expect(JSON.stringify(answer!.value)).toContain('has nothing to compare with');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === forged.servicePrincipalId)).toEqual([]);
    // The real app is still recognised, by its recorded ids.
    expect(cardText(await check(megan, provisioned.appId))).toContain(`Drift from request ${provisioned.id}, as approved`);
  });

  it('an app named like a vendor is not compared with that vendor\'s recipe, and gets no Fix drift', async () => {
    const lookalike = await registerOutsideOnboard({ displayName: 'SecurEnds Connector' });
    const card = await check(megan, lookalike.appId);
    const text = cardText(card);
    expect(text).not.toContain('Drift from the SecurEnds recipe');
    expect(text).toContain('SecurEnds, by its name or tags only: not compared with that recipe');
    expect(titles(card)).not.toContain('Fix drift');
    const answer = await post(actionInvoke(connector.url, megan, verbs.fixDrift, { appId: lookalike.appId }, 'inspect-2'));
    expect(JSON.stringify(answer!.value)).toContain('has nothing to compare with');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === lookalike.servicePrincipalId)).toEqual([]);
  });

  it('a fix that only removes a high-risk grant needs the high-risk approvals', async () => {
    const directoryRead = permissionCatalog.find('Directory.Read.All', 'Application')!;
    const graphSp = cloud.state.servicePrincipals.find((s) => s.appId === '00000003-0000-0000-c000-000000000000')!;
    const added = await rawGraph(cloud, 'POST', `/servicePrincipals/${provisioned.servicePrincipalId}/appRoleAssignments`, { principalId: provisioned.servicePrincipalId, resourceId: graphSp.id, appRoleId: directoryRead.id });
    expect(added.status).toBe(201);

    const fix = ((await check(megan, provisioned.appId)).actions as Execute[]).find((a) => a.title === 'Fix drift')!;
    const answered = await post(actionInvoke(connector.url, megan, fix.verb!, fix.data!, 'inspect-3'));
    const requestId = /Fix requested as (REQ-[A-Z0-9]+)/.exec(cardText(answered!.value))![1];
    const request = (await requests.get(requestId))!.value;
    expect((request.plan as { permissions: unknown[] }).permissions).toEqual([]);
    expect((request.plan as { remove: { name: string }[] }).remove.map((p) => p.name)).toEqual(['Directory.Read.All']);
    expect(request).toMatchObject({ risk: 'high', requiredApprovals: 2 });

    // One approver is not enough: the grant stays until a second one agrees.
    await post(actionInvoke(connector.url, adele, verbs.approve, { requestId, planHash: request.planHash }, 'approval-1'));
    await onboard.inflight.idle(30_000);
    expect((await requests.get(requestId))!.value.state).toBe('PendingApproval');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === provisioned.servicePrincipalId && a.appRoleId === directoryRead.id)).toHaveLength(1);
  });

  it('an app Onboard provisioned before the store indexed created apps is found through its tag, and holds only by its record', async () => {
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const outcome = await stack.provision.execute({ requestId: id });
    if (outcome.kind !== 'provisioned') throw new Error(outcome.kind);
    const app = outcome.request.provisioning!.steps.application!;
    // The row as an earlier version saved it: no createdAppId column.
    const table = TableClient.fromConnectionString(onboard.config.tables.connectionString!, `${onboard.config.tables.prefix}requests`, { allowInsecureConnection: true });
    const { createdAppId: _indexed, ...legacy } = await table.getEntity<Record<string, unknown>>('request', id);
    await table.updateEntity(legacy as { partitionKey: string; rowKey: string }, 'Replace');
    expect(await requests.findByApplication({ appId: app.appId, objectId: app.id })).toBeUndefined();

    const text = cardText(await check(megan, app.appId));
    expect(text).toContain(`yes, request ${id}`);
    expect(text).toContain(`Drift from request ${id}, as approved`);
  });
});
