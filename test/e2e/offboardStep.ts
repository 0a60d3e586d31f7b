import type { People, Step } from './steps';

/**
 * Step 11: offboarding the Cirrus Connect app of steps 1–5. Two Cirrus Connect apps exist by now (steps 5 and 6), so
 * Onboard asks which one; Alex picks his, Megan approves a card that says approving disables it, and Alex's card
 * then shows sign-in disabled, with the removal date and how to undo it.
 */
export const offboardStep: Step = {
  n: 11,
  name: 'offboard Cirrus Connect: choose the app, the approver approves, sign-in is disabled',
  async run(people: People) {
    const { requester, approver, shot } = people;
    await requester.say('offboard Cirrus Connect');
    const choice = await requester.waitForCard(['apps match "Cirrus Connect"', 'Which one?']);
    await requester.click(requester.card('apps match "Cirrus Connect"'), 'Cirrus Connect (contoso.cirrus.example)');
    // The click's answer says "Offboarding requested as REQ-…"; the outbox then redraws the card with who has it.
    const requested = await requester.waitForCard(['Step 1, at once', 'Cirrus Connect (contoso.cirrus.example)', 'Cancel request']);
    const requestId = /\bRequest\s+(REQ-[A-Z0-9]+)/.exec(requested)?.[1];
    if (!requestId) throw new Error(`no request id on the offboard card: ${requested.slice(0, 300)}`);
    await requester.screenshot(shot(11, 'offboard-requested'), requester.card(requestId));

    const card = approver.card(requestId, 'Approve: disable the app');
    await card.waitFor({ state: 'visible', timeout: 60_000 });
    const approvalCard = await card.innerText();
    await approver.cardScreenshot(card, shot(11, 'offboard-approval-card'));
    await approver.click(card, 'Approve: disable the app');
    const approverSees = await approver.waitForCard([requestId], { without: 'Pending approval' });

    const text = await requester.waitForCard([requestId, 'Sign-in disabled; removal on']);
    await requester.screenshot(shot(11, 'offboard-disabled'), requester.card(requestId, 'Sign-in disabled; removal on'));
    return { choice, requested, requestId, approvalCard, approverSees, text };
  },
};
