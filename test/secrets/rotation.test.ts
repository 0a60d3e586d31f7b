import { cardText } from '../support/teamsTurns';
import { ManualClock } from '../support/fakes';
import { alex, megan, patti, HandoverStack } from './handoverStack';

const DAY = 86_400_000;

describe('rotate secret for <app>', () => {
  const clock = new ManualClock(new Date());
  const stack = new HandoverStack();
  beforeAll(() => stack.start({ overrides: { clock }, env: { ROTATION_GRACE_DAYS: '7' } }), 60_000);
  afterAll(() => stack.stop());

  let appId = '';
  let title = '';
  let first = '';
  const revealed: string[] = [];

  /** Asks for a rotation as Alex, Megan approves, Alex reveals: the new secret and the link card it came on. */
  async function rotate(target: string) {
    const before = stack.connector.posts.length;
    const reply = await stack.sayText(alex, `rotate secret for ${target}`);
    expect(reply).toMatch(/Rotation requested as REQ-/);
    const approve = await stack.waitForAction(before, 'approval.approve');
    await stack.approve(approve.data!);
    const link = stack.linkCards().at(-1)!;
    expect(link.conversation).toContain(`a:${alex.aadObjectId}`);
    expect(cardText(link.card)).toContain('new client secret');
    const secret = HandoverStack.secretOn(await stack.reveal(stack.localUrl(link.url)))!;
    return { secret, link, rotationId: approve.data!.requestId };
  }

  it('refuses apps Onboard did not create, and people who neither asked for the app nor approve', async () => {
    const request = await stack.approvedAndProvisioned('onboard miradore');
    appId = request.provisioning!.steps.application!.appId;
    title = request.title;
    first = HandoverStack.secretOn(await stack.reveal(stack.localUrl(stack.linkCards()[0].url)))!;
    revealed.push(first);
    expect(await stack.tokenWith(appId, first)).toBe(true);

    stack.cloud.addClientApp({ displayName: 'Legacy HR Portal' });
    expect(await stack.sayText(alex, 'rotate secret for Legacy HR Portal')).toContain('Onboard did not register an app called "Legacy HR Portal"');
    expect(await stack.sayText(patti, `rotate secret for ${request.id}`)).toContain('Only Alex Wilber');
  }, 90_000);

  it('issues a new secret through approval; the old one works through the grace period, then is removed', async () => {
    const { secret } = await rotate(title);
    revealed.push(secret);
    expect(secret).not.toBe(first);
    expect(await stack.tokenWith(appId, secret)).toBe(true);
    expect(await stack.tokenWith(appId, first)).toBe(true);

    clock.advance(6 * DAY);
    await stack.sweepSecrets();
    expect(await stack.tokenWith(appId, first)).toBe(true);

    const before = stack.connector.posts.length;
    clock.advance(2 * DAY);
    await stack.sweepSecrets();
    expect(await stack.tokenWith(appId, first)).toBe(false);
    expect(await stack.tokenWith(appId, secret)).toBe(true);
    const told = stack.connector.posts.slice(before).filter((p) => decodeURIComponent(p.path).includes(`a:${alex.aadObjectId}`));
    expect(told.map((p) => cardText(p.body.attachments?.[0]?.content))).toEqual([expect.stringContaining('Old secret removed')]);
    first = secret;
  }, 90_000);

  it('removes the old secret at once when the requester confirms, and only after the new one was revealed', async () => {
    const before = stack.connector.posts.length;
    await stack.sayText(alex, `rotate secret for ${appId}`);
    const approve = await stack.waitForAction(before, 'approval.approve');
    await stack.approve(approve.data!);
    const link = stack.linkCards().at(-1)!;
    const confirm = link.card.actions!.find((a) => a.verb === 'secret.rotation.confirm')!;
    expect(JSON.stringify(await stack.click(alex, confirm.verb!, confirm.data!))).toContain('Reveal the new secret');
    expect(JSON.stringify(await stack.click(megan, confirm.verb!, confirm.data!))).toContain('Only Alex Wilber');
    expect(await stack.tokenWith(appId, first)).toBe(true);

    const secret = HandoverStack.secretOn(await stack.reveal(stack.localUrl(link.url)))!;
    revealed.push(secret);
    expect(JSON.stringify(await stack.click(alex, confirm.verb!, confirm.data!))).toContain('old secret');
    // The bot only records the confirmation: the worker, woken by it, removes the password.
    await stack.worker.intake.runOnce();
    expect(await stack.tokenWith(appId, first)).toBe(false);
    expect(await stack.tokenWith(appId, secret)).toBe(true);
    expect(stack.passwordsOf(appId).filter((p) => p.displayName?.startsWith('Onboard handover'))).toHaveLength(1);
  }, 90_000);

  it('after three handovers, each value occurs only on its one reveal page', async () => {
    expect(new Set(revealed).size).toBe(3);
    for (const secret of revealed) expect(await stack.occurrences(secret)).toEqual({ logs: 0, rows: 0, cards: 0, botAnswers: 0, pages: 1 });
  });
});
