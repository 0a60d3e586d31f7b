import type { PlaygroundPage } from '../support/playgroundPage';
import type { LocalCloudAccess } from './secretSignIn';

export interface People {
  requester: PlaygroundPage;
  approver: PlaygroundPage;
  shot(step: number, name: string): string;
  /** What one step learns for the next (request ids, app ids). */
  memory: Record<string, string>;
  cloud: LocalCloudAccess;
  /** The run's working folder: `onboard dev`'s data and every log. */
  runDir: string;
}

export interface Step {
  /** The step number; 0 is the set-up the issue takes for granted. */
  n: number;
  name: string;
  /** Plays the step and returns what the people saw, for the test to judge. */
  run(people: People): Promise<Record<string, unknown>>;
}

const requestIdIn = (text: string): string => {
  const id = /REQ-[A-Z0-9]+/.exec(text)?.[0];
  if (!id) throw new Error(`no request id on the card: ${text.slice(0, 300)}`);
  return id;
};

/** Submits the card that shows `needle`, and waits for the requester's status card that replaces it. */
async function submit({ requester }: People, needle: string): Promise<string> {
  const preview = requester.card(needle, 'Submit for approval');
  // The approvers read why it is needed; the card requires it.
  await requester.fill(preview, 'Why is it needed?', 'Contact centre go-live, ticket INC-1234');
  await requester.click(preview, 'Submit for approval');
  return requestIdIn(await requester.waitForCard([needle, 'Pending approval']));
}

/** The approver finds the approval card in their own chat and approves; returns what their card then says. */
async function approve({ approver }: People, requestId: string): Promise<string> {
  const card = approver.card(requestId, 'Approve');
  await card.waitFor({ state: 'visible', timeout: 60_000 });
  await approver.click(card, 'Approve');
  return approver.waitForCard([requestId], { without: 'Pending approval' });
}

export const steps: Step[] = [
  {
    n: 0,
    name: 'the approver says hello, so Onboard can reach them in their personal chat',
    async run({ approver, shot }) {
      await approver.sayAndWaitForReply('status');
      await approver.screenshot(shot(0, 'approver-hello'));
      return { replies: await approver.replyCount() };
    },
  },
  {
    n: 1,
    name: 'type onboard cirrus connect mail delegated',
    async run({ requester, shot }) {
      await requester.say('onboard cirrus connect mail delegated', () => requester.screenshot(shot(1, 'typed')));
      return {};
    },
  },
  {
    n: 2,
    name: 'the preview card shows the redirect URIs and the delegated mail permissions',
    async run({ requester, shot }) {
      const text = await requester.waitForCard(['Mail.ReadWrite.Shared', 'signin-oidc']);
      const card = requester.card('Mail.ReadWrite.Shared', 'signin-oidc');
      await requester.screenshot(shot(2, 'preview'), card);
      await requester.cardScreenshot(card, shot(2, 'preview-card'));
      return { text };
    },
  },
  {
    n: 3,
    name: 'fill the domain and submit',
    async run(people) {
      const { requester, shot } = people;
      const preview = requester.card('Mail.ReadWrite.Shared', 'Check and preview');
      await requester.fill(preview, 'Cirrus domain', 'contoso.cirrus.example');
      await requester.click(preview, 'Check and preview');
      const checked = await requester.waitForCard(['contoso.cirrus.example/webclient/signin-oidc', 'Submit for approval']);
      const requestId = await submit(people, 'contoso.cirrus.example/webclient');
      people.memory.mailRequest = requestId;
      await requester.screenshot(shot(3, 'submitted'), requester.card(requestId));
      return { checked, requestId, status: await requester.card(requestId).innerText() };
    },
  },
  {
    n: 4,
    name: 'the approver approves in their own chat',
    async run(people) {
      const { approver, shot, memory } = people;
      const after = await approve(people, memory.mailRequest);
      await approver.screenshot(shot(4, 'approved'), approver.card(memory.mailRequest));
      return { approverSees: after };
    },
  },
  {
    n: 5,
    name: 'the requester watches the status card reach done',
    async run({ requester, shot, memory }) {
      const text = await requester.waitForCard([memory.mailRequest, 'Registered and verified']);
      const card = requester.card(memory.mailRequest, 'Registered and verified');
      await requester.screenshot(shot(5, 'done'), card);
      await requester.cardScreenshot(card, shot(5, 'done-card'));
      return { text };
    },
  },
  {
    n: 6,
    name: 'provision Cirrus Connect ad, which has application permissions',
    async run(people) {
      const { requester, shot, memory } = people;
      await requester.say('onboard cirrus connect ad for fabrikam.cirrus.example');
      const preview = await requester.waitForCard(['fabrikam.cirrus.example/webclient', 'Group.Read.All', 'Submit for approval']);
      memory.adRequest = await submit(people, 'fabrikam.cirrus.example/webclient');
      await approve(people, memory.adRequest);
      const text = await requester.waitForCard([memory.adRequest, 'Registered and verified']);
      memory.adAppId = /Application \(client\) ID\s+([0-9a-f-]{36})/.exec(text)?.[1] ?? '';
      const card = requester.card(memory.adRequest, 'Registered and verified');
      await requester.screenshot(shot(6, 'application-done'), card);
      await requester.cardScreenshot(card, shot(6, 'application-done-card'));
      return { preview, text };
    },
  },
];
