import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { FakeConnector, personalMessage, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const patti: TeamsUser = { id: '29:patti', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Patti Fernandez' };

describe('approve → provisioned and verified, with Graph membership and the saga on the local cloud', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let onboard: ReturnType<typeof composeForTest>;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-flow-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trustedAlready, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env, {}, cloud.workerEnvironment());
    await new Promise<void>((r) => onboard.server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(onboard.server.address() as AddressInfo).port}/api/messages`;
  });
  afterAll(async () => {
    await onboard.close();
    onboard.server.close();
    await connector.stop();
    await cloud.close();
  });

  const post = async (activity: object) => {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    return text ? (JSON.parse(text) as { value: unknown }) : undefined;
  };
  const say = async (user: TeamsUser, text: string) => {
    const before = connector.posts.length;
    await post(personalMessage(connector.url, user, text, `m-${Math.random()}`));
    await connector.received(before + 1);
    return connector.posts[before].body.attachments?.[0]?.content as { actions: { verb?: string; data?: Record<string, string> }[] };
  };

  it('provisions Cirrus Connect mail (delegated) and tells the requester the app id', async () => {
    await say(megan, 'help');
    const preview = await say(alex, 'onboard cirrus connect mail delegated for contoso.cirrus.example');
    const submit = preview.actions.find((a) => a.verb === 'request.submit')!;
    const before = connector.posts.length;
    await post(actionInvoke(connector.url, alex, 'request.submit', { ...submit.data!, 'input.justification': 'Needed for the contact centre go-live.' }, 'preview-1'));
    const approvalCard = (await connector.received(before + 1))[before].body.attachments![0].content as { actions: { verb?: string; data?: Record<string, string> }[] };
    const approve = approvalCard.actions.find((a) => a.verb === 'approval.approve')!;

    const outsider = await post(actionInvoke(connector.url, patti, 'approval.approve', approve.data!, 'approval-1'));
    expect(JSON.stringify(outsider!.value)).toContain('Only members of the Onboard approvers group');

    const answered = await post(actionInvoke(connector.url, megan, 'approval.approve', approve.data!, 'approval-1'));
    expect(cardText(answered!.value)).toContain('Approved by Megan Bowen');
    await onboard.settled();

    const app = cloud.state.applications.find((a) => a.displayName === 'Cirrus Connect (contoso.cirrus.example)') as { appId: string; identifierUris: string[]; web: { redirectUris: string[] } } | undefined;
    expect(app).toBeDefined();
    expect(app!.identifierUris).toEqual([`api://${app!.appId}`]);
    expect(app!.web.redirectUris).toContain('https://contoso.cirrus.example/webclient/signin-oidc');
    const done = connector.posts.find((p) => p.body.text?.includes('is registered and verified'));
    expect(done?.body.text).toContain(app!.appId);
    const statusCard = [...connector.posts].reverse().find((p) => p.method === 'PUT' && p.path.endsWith('/preview-1'));
    expect(cardText(statusCard!.body.attachments![0].content)).toContain('Registered and verified');
    expect(cardText(statusCard!.body.attachments![0].content)).toContain(app!.appId);
    expect(cardText(statusCard!.body.attachments![0].content)).toContain(`api://${app!.appId} with Unexus.Access`);
    expect(cardText(statusCard!.body.attachments![0].content)).not.toContain('[Application ID]');
  });
});
