import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Onboard } from '../../src/compose';
import { startLocalCloud, type LocalCloud } from '../../src/localcloud';
import { FakeConnector, personalMessage, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { cardText } from '../support/teamsTurns';
import { verbs } from '../../src/teams/verbs';

const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };

type Card = { actions?: { verb?: string; data?: Record<string, string> }[] };

describe('a vendor that already has an app in the tenant (the local cloud)', () => {
  const connector = new FakeConnector();
  let cloud: LocalCloud;
  let onboard: Onboard;
  let url: string;

  beforeAll(async () => {
    await connector.start();
    cloud = await startLocalCloud({ dataDir: mkdtempSync(join(tmpdir(), 'onboard-dup-')), env: {} });
    const { NODE_EXTRA_CA_CERTS: _trustedAlready, ...env } = cloud.botEnvironment();
    onboard = composeForTest(env);
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
    const id = `m-${Math.random().toString(36).slice(2)}`;
    await post(personalMessage(connector.url, user, text, id));
    return connector.posts.find((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`))!.body.attachments?.[0]?.content as Card;
  };

  it('shows the existing app with a check command, and asks before a second Miradore is submitted', async () => {
    await say(megan, 'help');
    // Registered by hand in the Entra admin center, not by Onboard.
    const existing = cloud.addClientApp({ displayName: 'Miradore' });
    const preview = await say(alex, 'onboard miradore');
    expect(cardText(preview)).toContain('Miradore already exists in this tenant (1):');
    expect(cardText(preview)).toContain(`• Miradore · App ID ${existing.clientId}`);
    expect(cardText(preview)).toContain(`check ${existing.clientId}`);
    expect(cardText(preview)).toContain('Yes, register a second Miradore app');

    const submit = preview.actions!.find((a) => a.verb === verbs.submit)!;
    const before = connector.posts.length;
    const unconfirmed = (await post(actionInvoke(connector.url, alex, verbs.submit, { ...submit.data, 'input.justification': 'Device management for the field staff.' }, 'preview-1')))!.value;
    expect(cardText(unconfirmed)).toContain(`Miradore already exists in this tenant: Miradore (${existing.clientId}). Register a second one?`);
    expect(cardText(unconfirmed)).not.toContain('Submitted as');
    expect(connector.posts.length).toBe(before);

    const confirmed = (await post(actionInvoke(connector.url, alex, verbs.submit, { ...submit.data, 'input.justification': 'Device management for the field staff.', 'input.secondApp': 'yes' }, 'preview-1')))!.value;
    expect(cardText(confirmed)).toMatch(/Submitted as REQ-[A-Z0-9]+\. Sending it to the approvers…/);
    // The seed tenant's approvers group (read through Graph): Megan got the card, the other three have never messaged Onboard.
    const others = cloud.users.filter((u) => u.roles.includes('approver') && u.name !== 'Megan Bowen').length;
    expect(others).toBe(3);
    await onboard.inflight.idle(30_000);
    const told = connector.posts.filter((p) => p.method === 'PUT' && p.path.endsWith('/preview-1')).at(-1);
    expect(cardText(told?.body.attachments?.[0].content)).toContain('Sent to 1 approver (Megan Bowen). 3 other approver(s) could not be reached: they have never messaged Onboard.');
  });

  it('says nothing about duplicates for a vendor the tenant does not have yet', async () => {
    expect(cardText(await say(alex, 'onboard securends'))).not.toContain('already exists');
  });
});
