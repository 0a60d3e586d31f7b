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

/** Why each request is needed, as the requester types it on the preview; the approvers read it. */
export const justification = 'Contact centre go-live on 1 December, ticket INC-1234.';

/**
 * Submits the card that shows `needle` (saying why, and confirming a second app of a vendor the tenant
 * already has when the card asks), and waits for the requester's status card that replaces it.
 */
async function submit({ requester }: People, needle: string, options: { secondApp?: boolean } = {}): Promise<string> {
  const preview = requester.card(needle, 'Submit for approval');
  await requester.fill(preview, 'Why is it needed', justification);
  if (options.secondApp) await preview.getByRole('checkbox', { name: /register a second/ }).check({ timeout: 60_000 });
  await requester.click(preview, 'Submit for approval');
  return requestIdIn(await requester.waitForCard([needle, 'Pending approval']));
}

/** The approver finds the approval card in their own chat and approves; returns what the card said before, and after. */
async function approve({ approver }: People, requestId: string): Promise<{ before: string; after: string }> {
  const card = approver.card(requestId, 'Approve');
  await card.waitFor({ state: 'visible', timeout: 60_000 });
  const before = await card.innerText();
  await approver.click(card, 'Approve');
  return { before, after: await approver.waitForCard([requestId], { without: 'Pending approval' }) };
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
      // Required on the card: the client will not send any of its actions without it.
      await requester.fill(preview, 'Why is it needed', justification);
      await requester.click(preview, 'Check and preview');
      const checked = await requester.waitForCard(['contoso.cirrus.example/webclient/signin-oidc', 'Submit for approval']);
      const requestId = await submit(people, 'contoso.cirrus.example/webclient');
      people.memory.mailRequest = requestId;
      await requester.screenshot(shot(3, 'submitted'), requester.card(requestId));
      // The click answers "Sending it to the approvers…"; the outbox then updates the card with who has it.
      const status = await requester.waitForCard([requestId, 'Sent to 1 approver (Megan Bowen)']);
      return { checked, requestId, status };
    },
  },
  {
    n: 4,
    name: 'the approver approves in their own chat',
    async run(people) {
      const { approver, shot, memory } = people;
      const { before, after } = await approve(people, memory.mailRequest);
      await approver.screenshot(shot(4, 'approved'), approver.card(memory.mailRequest));
      return { approvalCard: before, approverSees: after };
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
      // The tenant has a Cirrus Connect app since step 5: the card lists it, and the second one is confirmed.
      const duplicate = await requester.card('fabrikam.cirrus.example/webclient', 'Submit for approval').innerText();
      memory.adRequest = await submit(people, 'fabrikam.cirrus.example/webclient', { secondApp: true });
      await approve(people, memory.adRequest);
      const text = await requester.waitForCard([memory.adRequest, 'Registered and verified']);
      memory.adAppId = /Application \(client\) ID\s+([0-9a-f-]{36})/.exec(text)?.[1] ?? '';
      const card = requester.card(memory.adRequest, 'Registered and verified');
      await requester.screenshot(shot(6, 'application-done'), card);
      await requester.cardScreenshot(card, shot(6, 'application-done-card'));
      return { preview, duplicate, text };
    },
  },
];

/** Step 10, after the handover: with self-approval on (local profile), the default Playground user finishes a request alone. */
export const selfApprovalStep: Step = {
  n: 10,
  name: 'self-approval: Alex Wilber, no approver, submits and approves Miradore alone',
  async run(people) {
    const { requester, shot } = people;
    await requester.say('onboard miradore');
    await requester.waitForCard(['Read as: Miradore', 'Submit for approval']);
    const requestId = await submit(people, 'Read as: Miradore');
    const own = requester.card(requestId, 'Approve');
    const before = await own.innerText();
    await requester.click(own, 'Approve');
    const approved = await requester.waitForMessage(new RegExp(`${requestId} \\(Miradore\\) was approved by`));
    const text = await requester.waitForCard([requestId, 'Registered and verified']);
    await requester.screenshot(shot(10, 'self-approved'), requester.card(requestId, 'Registered and verified'));
    return { requestId, before, approved, text };
  },
};
