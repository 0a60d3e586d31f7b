import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { verbs } from '../../src/teams/verbs';
import { createTableClientFactory } from '../../src/adapters/tables/tableClients';
import { TableRequestStore } from '../../src/adapters/tables/tableRequestStore';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, actionInvoke, personalMessage, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const adele: TeamsUser = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const isaiah: TeamsUser = { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };
const GROUP_READ_ALL = '5b567255-7703-4780-807c-7be8301ae99b';

type Execute = { type: string; title: string; verb?: string; data?: Record<string, string> };
const executes = (card: Card) => ((card.actions ?? []) as Execute[]).filter((a) => a.type === 'Action.Execute');

describe('Fix drift: a grant removed in the tenant comes back through an approval request', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let requests: TableRequestStore;
  let url: string;

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const say = async (user: TeamsUser, text: string) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post(personalMessage(connector.url, user, text, id));
    const reply = () => connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`));
    for (let i = 0; i < 250 && !reply(); i++) await new Promise((r) => setTimeout(r, 20));
    return reply()!.body;
  };

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, {}, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    requests = new TableRequestStore(createTableClientFactory(onboard.config.tables));
    await say(adele, 'help');
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await stop();
  });

  it('shows exactly the missing grant; Fix drift asks the approvers; approval restores it and the drift is gone', async () => {
    // Provisioned by the saga into the bot's own tables, so the bot compares the app with the approved plan.
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    const id = newRequestId();
    await approvedRequest(stack.requests, id, miradorePlan(id));
    const provisioned = await stack.provision.execute({ requestId: id });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    const appId = provisioned.request.provisioning!.steps.application!.appId;
    const sp = cloud.state.servicePrincipals.find((s) => s.appId === appId)!;
    const assignment = cloud.state.appRoleAssignments.find((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)!;
    expect((await rawGraph(cloud, 'DELETE', `/servicePrincipals/${sp.id}/appRoleAssignments/${assignment.id}`)).status).toBe(204);

    const forHelpdesk = (await say(isaiah, `check ${appId}`)).attachments![0].content as Card;
    expect(cardText(forHelpdesk)).toContain(`Drift from request ${id}, as approved`);
    expect(cardText(forHelpdesk)).toContain('Missing: Group.Read.All (Application, Microsoft Graph): requested, not granted');
    expect(executes(forHelpdesk)).toEqual([]);

    const forApprover = (await say(megan, `check ${appId}`)).attachments![0].content as Card;
    const fix = executes(forApprover).find((a) => a.title === 'Fix drift')!;
    expect(fix).toMatchObject({ verb: verbs.fixDrift, data: { appId } });
    expect(executes(forApprover).map((a) => a.title)).toContain('Rotate secret');

    const outsider = await post(actionInvoke(connector.url, isaiah, fix.verb!, fix.data!, 'inspect-1'));
    expect(JSON.stringify(outsider!.value)).toContain('Only members of the Onboard Approvers group');
    const before = connector.posts.length;
    const answered = await post(actionInvoke(connector.url, megan, fix.verb!, fix.data!, 'inspect-1'));
    const note = cardText(answered!.value);
    const requestId = /Fix requested as (REQ-[A-Z0-9]+)/.exec(note)![1];
    const again = await post(actionInvoke(connector.url, megan, fix.verb!, fix.data!, 'inspect-1'));
    expect(cardText(again!.value)).toContain(`This fix is already requested as ${requestId}`);

    const request = (await requests.get(requestId))!.value;
    expect(request).toMatchObject({ state: 'PendingApproval', title: 'Fix drift: Miradore', requester: { id: megan.aadObjectId } });
    expect((request.plan as { permissions: { name: string; type: string }[] }).permissions.map((p) => [p.name, p.type])).toEqual([['Group.Read.All', 'Application']]);
    expect((request.plan as { remove: unknown[] }).remove).toEqual([]);
    // The approvers were told, on the ordinary approval card.
    await connector.received(before + 1);
    const toAdele = connector.posts.slice(before).find((p) => p.path.includes(encodeURIComponent(`a:${adele.aadObjectId}`)) && p.body.attachments?.length);
    expect(cardText(toAdele!.body.attachments![0].content)).toContain('Grant Group.Read.All');

    const selfApproval = await post(actionInvoke(connector.url, megan, verbs.approve, { requestId, planHash: request.planHash }, 'approval-1'));
    expect(JSON.stringify(selfApproval!.value)).toContain('cannot approve your own request');
    const approved = await post(actionInvoke(connector.url, adele, verbs.approve, { requestId, planHash: request.planHash }, 'approval-2'));
    expect(cardText(approved!.value)).toContain('Approved by Adele Vance');
    await onboard.settled();

    expect((await requests.get(requestId))!.value.state).toBe('Provisioned');
    expect(cloud.state.appRoleAssignments.filter((a) => a.principalId === sp.id && a.appRoleId === GROUP_READ_ALL)).toHaveLength(1);
    const after = (await say(isaiah, `check ${appId}`)).attachments![0].content as Card;
    expect(cardText(after)).toContain('No drift: the app matches.');
    expect(cloud.state.applications.filter((a) => a.displayName === 'Miradore')).toHaveLength(1);
  });
});
