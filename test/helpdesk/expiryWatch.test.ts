import type { AddressInfo } from 'node:net';
import type { LocalCloud } from '../../src/localcloud';
import { rotateVerb } from '../../src/teams/views/helpdeskVerbs';
import { rawGraph, startTestCloud } from '../localcloud/helpers';
import { FakeConnector, personalMessage, TENANT_ID, type TeamsUser } from '../support/fakeConnector';
import { ManualClock } from '../support/fakes';
import { composeForTest } from '../support/onboard';
import { miradorePlan } from '../support/provisioningPlans';
import { approvedRequest, endpointsOf, newRequestId, provisioningStack } from '../support/provisioningStack';
import { cardText, type Card } from '../support/teamsTurns';

const DAY = 86_400_000;
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const isaiah: TeamsUser = { id: '29:isaiah', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Isaiah Langer' };
const channel = { id: '19:approvals@thread.tacv2', conversationType: 'channel', name: 'Approvals', tenantId: TENANT_ID };

type Execute = { type: string; title: string; verb?: string; data?: Record<string, string> };
/** Every Action.Execute on a card, wherever it sits (card actions or an ActionSet in the body). */
const executes = (card: Card): Execute[] => {
  const found: Execute[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if ((node as Execute).type === 'Action.Execute') found.push(node as Execute);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
};

describe('secrets of Onboard-made apps about to expire: asked in chat, and posted daily to the approvers channel', () => {
  const connector = new FakeConnector();
  const clock = new ManualClock(new Date());
  let cloud: LocalCloud;
  let stop: () => Promise<void>;
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;
  const apps: Record<string, { id: string; appId: string }> = {};
  let miradoreRequest = '';

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    await response.text();
  };
  const say = async (user: TeamsUser, text: string, conversation?: object) => {
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post({ ...personalMessage(connector.url, user, text, id), ...(conversation ? { conversation } : {}) });
    const reply = () => connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`));
    for (let i = 0; i < 250 && !reply(); i++) await new Promise((r) => setTimeout(r, 20));
    return reply()!.body;
  };
  const makeApp = async (name: string, tags: string[], secretEnds: Date) => {
    const created = await rawGraph(cloud, 'POST', '/applications', { displayName: name, tags });
    await rawGraph(cloud, 'POST', `/applications/${created.json.id}/addPassword`, { passwordCredential: { displayName: `secret of ${name}`, endDateTime: secretEnds.toISOString() } });
    apps[name] = { id: created.json.id, appId: created.json.appId };
  };

  beforeAll(async () => {
    await connector.start();
    ({ cloud, stop } = await startTestCloud());
    const { NODE_EXTRA_CA_CERTS: _trusted, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, { clock });
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
    // Miradore, provisioned by the saga into the bot's tables: its secret lives 180 days, so the bot's clock is set
    // to 10 days (and a little) before its end.
    const stack = provisioningStack(endpointsOf(cloud, onboard.config.tables));
    miradoreRequest = newRequestId();
    await approvedRequest(stack.requests, miradoreRequest, miradorePlan(miradoreRequest));
    const provisioned = await stack.provision.execute({ requestId: miradoreRequest });
    if (provisioned.kind !== 'provisioned') throw new Error(provisioned.kind);
    apps.Miradore = provisioned.request.provisioning!.steps.application!;
    const ends = Date.parse(provisioned.request.provisioning!.steps.password!.endDateTime);
    clock.advance(ends - 10 * DAY - 60_000 - clock.now().getTime());
    const now = clock.now().getTime();
    await makeApp('SecurEnds', ['onboard', 'onboard:vendor:securends', `onboard:request:${miradoreRequest}`], new Date(now + 200 * DAY));
    // Tagged as Onboard's, with a real request id, by someone who can register apps: not in Onboard's records.
    await makeApp('Lookalike', ['onboard', 'onboard:vendor:miradore', `onboard:request:${miradoreRequest}`], new Date(now + 3 * DAY));
    await makeApp('Someone else\'s app', ['Finance'], new Date(now + 5 * DAY));
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await stop();
  });

  it('in chat: the helpdesk sees the list; an approver also gets Rotate, for apps Onboard\'s records say it made only', async () => {
    const forHelpdesk = (await say(isaiah, 'secrets expiring in 30 days')).attachments![0].content as Card;
    const text = cardText(forHelpdesk);
    expect(text).toContain('Miradore');
    expect(text).toContain('in 10 days');
    expect(text).not.toContain('SecurEnds');
    expect(text).not.toContain('Lookalike');
    expect(text).not.toContain('Someone else');
    expect(executes(forHelpdesk)).toEqual([]);
    const forApprover = (await say(megan, 'which secrets expire within 30 days?')).attachments![0].content as Card;
    expect(executes(forApprover)).toEqual([expect.objectContaining({ title: 'Rotate secret', verb: rotateVerb, data: { appId: apps.Miradore.appId } })]);
  });

  it('posts the list to the approvers channel once a day, with Rotate buttons', async () => {
    expect(await onboard.expiryWatch!.runOnce()).toEqual({ kind: 'no-channel', count: 1 });
    expect((await say(megan, 'set approvals channel', channel)).text).toContain('approval cards will be posted in this channel');

    const inChannel = () => connector.posts.filter((p) => p.path.includes(encodeURIComponent(channel.id)) && p.body.attachments?.length);
    expect(await onboard.expiryWatch!.runOnce()).toEqual({ kind: 'posted', count: 1 });
    const [posted] = inChannel();
    const card = posted.body.attachments![0].content as Card;
    expect(cardText(card)).toContain('Daily check: a secret ends within 30 days');
    expect(cardText(card)).toContain(miradoreRequest);
    expect(cardText(card)).not.toContain('Lookalike');
    expect(executes(card)).toEqual([expect.objectContaining({ verb: rotateVerb, data: { appId: apps.Miradore.appId } })]);

    expect(await onboard.expiryWatch!.runOnce()).toEqual({ kind: 'already-ran-today' });
    clock.advance(DAY);
    expect(await onboard.expiryWatch!.runOnce()).toEqual({ kind: 'posted', count: 1 });
    expect(cardText(inChannel()[1].body.attachments![0].content)).toContain('in 9 days');
  });
});
