import type { AddressInfo } from 'node:net';
import { FakeConnector, personalMessage, actionInvoke, type TeamsUser } from '../support/fakeConnector';
import { composeForTest } from '../support/onboard';
import { InMemoryMembership } from '../support/fakes';
import { cardText } from '../support/teamsTurns';
import { verbs } from '../../src/teams/verbs';

const APPROVERS = '2b6c1d7e-5a3f-4c8b-9d2e-7f1a4b8c3e05';
const alex: TeamsUser = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const megan: TeamsUser = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const nestor: TeamsUser = { id: '29:nestor', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Nestor Wilke' };
const why = 'Contact centre go-live on 1 December, ticket INC-1234.';

type Action = { verb?: string; title: string; data?: Record<string, string>; type?: string };
type Post = { path: string; method: string; body: { text?: string; attachments?: { content: unknown }[] } };

/** Every Action.Execute on a card, wherever it sits (card actions and ActionSets in the body). */
function actionsOf(card: unknown): Action[] {
  const found: Action[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Action;
      if (n.type === 'Action.Execute' && n.verb) found.push(n);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

function harness(env: Record<string, string>, approvers: string[]) {
  const connector = new FakeConnector();
  const h = {
    connector,
    url: '',
    onboard: undefined as unknown as ReturnType<typeof composeForTest>,
    async start() {
      await connector.start();
      h.onboard = composeForTest({ APPROVERS_GROUP_ID: APPROVERS, ...env }, { membership: new InMemoryMembership({ [APPROVERS]: approvers }) });
      await new Promise<void>((r) => h.onboard.server.listen(0, '127.0.0.1', () => r()));
      h.url = `http://127.0.0.1:${(h.onboard.server.address() as AddressInfo).port}/api/messages`;
    },
    async stop() {
      await h.onboard.close();
      h.onboard.server.close();
      await connector.stop();
    },
    async post(activity: object) {
      const response = await fetch(h.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
      const text = await response.text();
      return text ? (JSON.parse(text) as { value: unknown }) : undefined;
    },
    /** Sends a message; returns every reply to it (the POST returns once the turn is over). */
    async say(user: TeamsUser, text: string): Promise<Post['body'][]> {
      const id = `m-${Math.random().toString(36).slice(2)}`;
      await h.post(personalMessage(connector.url, user, text, id));
      return (connector.posts as Post[]).filter((p) => p.method === 'POST' && p.path.endsWith(`/activities/${id}`)).map((p) => p.body);
    },
    async click(user: TeamsUser, verb: string, data: Record<string, unknown>, replyToId = `card-${Math.random()}`) {
      return (await h.post(actionInvoke(connector.url, user, verb, data, replyToId)))!.value;
    },
    /** Alex types a request and submits its preview with a justification; returns the reply card and what reached approvers. */
    async submit(text: string, extra: Record<string, string> = { 'input.justification': why }) {
      const [reply] = await h.say(alex, text);
      const preview = reply.attachments![0].content;
      const submit = actionsOf(preview).find((a) => a.verb === verbs.submit)!;
      const before = connector.posts.length;
      const previewId = `preview-${Math.random()}`;
      const card = await h.click(alex, verbs.submit, { ...submit.data, ...extra }, previewId);
      // The approval cards go out after the click is answered (the outbox): wait for that work, not for time.
      await h.onboard.inflight.idle(30_000);
      const updates = (connector.posts as Post[]).filter((p) => p.method === 'PUT' && p.path.endsWith(`/${previewId}`));
      const told = updates.length ? cardText(updates.at(-1)!.body.attachments![0].content) : '';
      return { preview, card, text: cardText(card), told, delivered: (connector.posts as Post[]).slice(before).filter((p) => p.method === 'POST'), requestId: /Submitted as (REQ-[A-Z0-9]+)/.exec(cardText(card))?.[1] ?? '' };
    },
  };
  return h;
}

describe('approval cards say who asks, why, and what Onboard read; approvers find their work', () => {
  const h = harness({}, [megan.aadObjectId, nestor.aadObjectId]);
  let first = '';
  beforeAll(async () => {
    await h.start();
    await h.say(megan, 'help');
  });
  afterAll(() => h.stop());

  it('shows the echo line, "Alex Wilber asks you to approve", the justification and "granted for everyone"; the requester reads who was notified', async () => {
    const { preview, text, told, delivered, requestId } = await h.submit('onboard cirrus connect mail delegated for contoso.cirrus.example');
    expect(cardText(preview)).toContain('Read as: Cirrus Connect · Outlook Mail: delegated · Cirrus domain: contoso.cirrus.example');
    expect(text).toContain(`Submitted as ${requestId}. Sending it to the approvers…`);
    // Nestor Wilke is an approver too, but has never messaged Onboard: the requester's card says so once the cards are out.
    expect(told).toContain('Sent to 1 approver (Megan Bowen). 1 other approver(s) could not be reached: they have never messaged Onboard.');
    const approval = cardText(delivered.find((p) => p.body.attachments)!.body.attachments![0].content);
    expect(approval).toContain('Alex Wilber asks you to approve Cirrus Connect (contoso.cirrus.example)');
    expect(approval).toContain(`Why\n${why}`);
    expect(approval).toContain('Read as: Cirrus Connect · Outlook Mail: delegated');
    expect(approval).toMatch(/Mail\.Send\.Shared\*\* · Delegated\n[^\n]+\nGranted for everyone in the tenant/);
    const audit = cardText((await h.say(megan, `audit ${requestId}`))[0].attachments![0].content);
    expect(audit).toContain(`Submitted for approval** by Alex Wilber\nWhy: ${why}`);
    first = requestId;
  });

  it('asks for a justification before anything reaches the approvers', async () => {
    const { card, delivered } = await h.submit('onboard cirrus insight email sync', {});
    expect(cardText(card)).toContain('Say in a few words why this app is needed');
    expect(actionsOf(card).map((a) => a.verb)).toContain(verbs.submit);
    expect(delivered).toEqual([]);
  });

  it('refuses a second identical pending request, and shows the first', async () => {
    const { card, delivered } = await h.submit('onboard cirrus connect mail delegated for contoso.cirrus.example');
    expect(cardText(card)).toContain(`The same registration already waits for approval as ${first}`);
    expect(cardText(card)).toContain(`Request\n${first}`);
    expect(delivered).toEqual([]);
  });

  it('offers an approver who messages Onboard for the first time what waits for them', async () => {
    const replies = await h.say(nestor, 'hello');
    const offered = replies.find((r) => r.text?.includes('wait for your decision'));
    expect(offered?.text).toContain('1 request(s) wait for your decision');
    expect(cardText(offered!.attachments![0].content)).toContain(first);
  });

  it('"pending" lists every request awaiting the approver; one opens with the buttons, and once approved it leaves the list', async () => {
    const second = (await h.submit('onboard miradore')).requestId;
    const list = (await h.say(megan, 'pending'))[0].attachments![0].content;
    expect(cardText(list)).toContain('Waiting for your decision');
    for (const id of [first, second]) expect(cardText(list)).toContain(id);
    const open = actionsOf(list).find((a) => a.title === `Open ${second}`)!;
    const opened = await h.click(megan, open.verb!, open.data!);
    expect(cardText(opened)).toContain('Alex Wilber asks you to approve Miradore');
    const approve = actionsOf(opened).find((a) => a.verb === verbs.approve)!;
    expect(cardText(await h.click(megan, verbs.approve, approve.data!))).toContain('Approved by Megan Bowen');
    const after = cardText((await h.say(megan, 'pending'))[0].attachments![0].content);
    expect(after).toContain(first);
    expect(after).not.toContain(second);
    const status = (await h.say(megan, 'status'))[0].attachments!.map((a) => cardText(a.content));
    expect(status[0]).toContain('Waiting for your decision');
    expect(status[0]).toContain(first);
  });

  it('after one of two approvals, that approver sees their decision instead of the buttons; the other still decides', async () => {
    const { requestId } = await h.submit('onboard cirrus connect mail application for fabrikam.cirrus.example');
    const list = (await h.say(megan, 'pending'))[0].attachments![0].content;
    const open = actionsOf(list).find((a) => a.title === `Open ${requestId}`)!;
    const approve = actionsOf(await h.click(megan, open.verb!, open.data!)).find((a) => a.verb === verbs.approve)!;
    const decided = await h.click(megan, verbs.approve, approve.data!);
    expect(cardText(decided)).toMatch(/You approved this at .+ UTC\. 1 more approval\(s\) needed\./);
    expect(actionsOf(decided).map((a) => a.verb)).not.toContain(verbs.approve);
    expect(actionsOf(await h.click(megan, verbs.refresh, approve.data!)).map((a) => a.verb)).not.toContain(verbs.approve);
    expect(actionsOf(await h.click(nestor, verbs.refresh, approve.data!)).map((a) => a.verb)).toContain(verbs.approve);
    expect(cardText((await h.say(megan, 'pending'))[0].attachments![0].content)).not.toContain(requestId);
  });

  it('answers "disable miradore" honestly (offboarding is what comes close) and "onboard zoom" with a custom app, never with a plan', async () => {
    const [disable] = await h.say(alex, 'disable miradore');
    expect(disable.text).toMatch(/^Onboard cannot disable apps or permissions directly\. Nothing was changed\..*Try: \*\*offboard miradore\*\* or \*\*check miradore\*\*/);
    expect(disable.attachments ?? []).toEqual([]);
    const [zoom] = await h.say(alex, 'onboard zoom');
    expect(zoom.text).toContain('Try: **onboard custom "Zoom" with User.Read delegated** or **vendors**');
    const [typo] = await h.say(alex, 'onbord miradore');
    expect(typo.text).toContain('Did you mean **onboard miradore**?');
    expect(typo.attachments ?? []).toEqual([]);
  });

  it('lists each vendor\'s words, types, options, defaults and unsupported features', async () => {
    const text = cardText((await h.say(alex, 'vendors'))[0].attachments![0].content);
    expect(text).toContain('**User Presence (Teams presence)**: delegated or application; say "presence", "teams presence"; option (delegated): users synced from on-premises Active Directory');
    expect(text).toContain('**Group filtering**: application only; say "group filtering", "groups", "group", "group filter"; on by default');
    expect(text).toContain('Not supported: Task Sync isn\'t supported by a service account');
    expect(text).toContain('onboard cirrus connect mail delegated');
  });
});

describe('self-approval (local profile): the requester is an approver of their own request', () => {
  const h = harness({ ONBOARD_ALLOW_SELF_APPROVAL: 'true' }, []);
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('lets someone outside the approvers group finish a request alone', async () => {
    const { card, text, told, requestId } = await h.submit('onboard miradore');
    expect(text).toContain('you can approve it yourself');
    expect(told).toContain('No approver could be reached yet');
    const approve = actionsOf(card).find((a) => a.verb === verbs.approve)!;
    expect(approve.data!.requestId).toBe(requestId);
    expect(cardText(await h.click(alex, verbs.approve, approve.data!))).toContain('Approved by Alex Wilber');
  });
});
