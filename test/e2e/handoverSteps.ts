import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page, Response } from 'playwright-core';
import type { PlaygroundPage } from '../support/playgroundPage';
import { signInWithSecret } from './secretSignIn';
import type { Step } from './steps';

/** The requester's browser tab on the one-time link, shared by steps 7 and 8. */
const opened: { tab?: Page; url?: string; secret?: string } = {};

const mainText = (tab: Page) => tab.locator('main').innerText();

/** Every file of the run (logs, Azurite's tables, the local cloud's state) and both chats that hold `secret`. */
async function whereIs(secret: string, runDir: string, chats: PlaygroundPage[]): Promise<string[]> {
  const files = readdirSync(runDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  const found = files.filter((f) => statSync(f).size < 64 * 1024 * 1024 && readFileSync(f, 'latin1').includes(secret)).map((f) => relative(runDir, f));
  for (const chat of chats) if ((await chat.page.content()).includes(secret)) found.push(`${chat.who}'s chat`);
  return found;
}

/**
 * Another person's own browser: a fresh context (no cookies of Alex's), held to loopback like the Playground's.
 * The local cloud's dev CA is not in Chromium's store, so its certificate is accepted here, as a developer
 * accepts the warning (or imports .data/localcloud/ca/ca-cert.pem) in their own browser.
 */
async function freshBrowser(someone: PlaygroundPage): Promise<Page> {
  const context = await someone.page.context().browser()!.newContext({ viewport: { width: 1000, height: 800 }, ignoreHTTPSErrors: true });
  await context.route('**/*', (route) => (['127.0.0.1', 'localhost'].includes(new URL(route.request().url()).hostname) ? route.continue() : route.abort('internetdisconnected')));
  return context.newPage();
}

/** Steps 7–9: the one-time link (reveal once, then 410) and the helpdesk check of what was granted. */
export const handoverSteps: Step[] = [
  {
    n: 7,
    name: 'open the one-time link: Megan, in a fresh browser, signs in and is refused; Alex signs in and reveals',
    async run({ requester, shot, memory, cloud }) {
      const card = requester.card(memory.adRequest, 'Open the one-time link');
      const cardText = await requester.waitForCard([memory.adRequest, 'Open the one-time link']);
      await requester.cardScreenshot(card, shot(7, 'link-card'));
      const context = requester.page.context();
      const documents: { method: string; status: number }[] = [];
      context.on('response', (r: Response) => {
        if (r.request().resourceType() === 'document' && r.url().includes('/secrets/')) documents.push({ method: r.request().method(), status: r.status() });
      });
      // The card's Action.OpenUrl opens a new tab, as Teams opens the browser.
      const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 60_000 }), requester.click(card, 'Open the one-time link', 'link')]);
      opened.tab = tab;
      const signInLink = tab.getByRole('link', { name: 'Sign in to reveal' });
      await signInLink.waitFor({ timeout: 60_000 });
      opened.url = tab.url();
      const linkPage = await mainText(tab);
      const revealBeforeSignIn = await tab.getByRole('button', { name: 'Reveal' }).count();
      await tab.screenshot({ path: shot(7, 'sign-in-page') });

      // Megan has a copy of the URL (a forwarded chat, a screen share) and opens it in her own browser.
      const megan = await freshBrowser(requester);
      await megan.goto(opened.url, { timeout: 60_000 });
      await megan.getByRole('link', { name: 'Sign in to reveal' }).click({ timeout: 60_000 });
      await megan.getByRole('button', { name: /Megan Bowen/ }).click({ timeout: 60_000 });
      await megan.getByRole('heading', { name: 'This link is for Alex Wilber' }).waitFor({ timeout: 60_000 });
      const meganSees = await mainText(megan);
      const meganRevealButtons = await megan.getByRole('button', { name: 'Reveal' }).count();
      await megan.screenshot({ path: shot(7, 'megan-refused') });
      await megan.context().close();
      const toldAlex = await requester.waitForCard(['Someone else opened your secret link']);

      // Alex signs in on the local cloud's sign-in page, comes back to his link, and it still works.
      await signInLink.click();
      const alexButton = tab.getByRole('button', { name: /Alex Wilber/ });
      await alexButton.waitFor({ timeout: 60_000 });
      await tab.screenshot({ path: shot(7, 'localcloud-sign-in') });
      await alexButton.click();
      const reveal = tab.getByRole('button', { name: 'Reveal' });
      await reveal.waitFor({ timeout: 60_000 });
      const signedInPage = await mainText(tab);
      await tab.screenshot({ path: shot(7, 'link-page') });
      await reveal.click();
      const field = tab.getByLabel('Client secret value');
      await field.waitFor({ timeout: 60_000 });
      const value = await field.inputValue();
      opened.secret = value;
      // The value never leaves this process: masked in the picture, and only its use is reported.
      await tab.screenshot({ path: shot(7, 'revealed'), mask: [field] });
      const revealedPage = await mainText(tab);
      const signIn = await signInWithSecret(cloud, memory.adAppId, value);
      return { cardText, linkPage, revealBeforeSignIn, meganSees, meganRevealButtons, toldAlex, signedInPage, revealedPage, documents: [...documents], secretLength: value.length, signIn };
    },
  },
  {
    n: 8,
    name: 'reload the page, and open the link again: both 410',
    async run({ requester, approver, shot, memory, runDir }) {
      const { tab, url } = opened;
      if (!tab || !url) throw new Error('step 7 did not open the link');
      const reloaded = await tab.reload({ timeout: 60_000 });
      const reload = { status: reloaded?.status() ?? 0, text: await mainText(tab), secretFieldShown: await tab.getByLabel('Client secret value').count() };
      await tab.screenshot({ path: shot(8, 'reloaded') });
      const reopened = await tab.goto(url, { timeout: 60_000 });
      const reopen = { status: reopened?.status() ?? 0, text: await mainText(tab), revealButtonShown: await tab.getByRole('button', { name: 'Reveal' }).count() };
      await tab.screenshot({ path: shot(8, 'reopened') });
      await tab.close();
      // The status card in the chat keeps its last picture; asking for the request shows where it is now.
      await requester.say(`status ${memory.adRequest}`);
      const requesterCard = await requester.waitForCard([memory.adRequest, 'Done: secret delivered']);
      return { reload, reopen, requesterCard, secretFoundIn: await whereIs(opened.secret!, runDir, [requester, approver]) };
    },
  },
  {
    n: 9,
    name: 'check cirrus connect: every permission granted',
    async run({ approver, shot, memory }) {
      // Checking is for helpdesk and approvers; Megan is an approver. The tenant has two Cirrus Connect apps: the mail one by its name.
      await approver.say('check "Cirrus Connect (contoso.cirrus.example)"');
      const mail = await approver.waitForCard([memory.mailRequest, 'Credentials']);
      const mailCard = approver.card(memory.mailRequest, 'Credentials');
      await approver.screenshot(shot(9, 'check'), mailCard);
      await approver.cardScreenshot(mailCard, shot(9, 'check-card'));
      await approver.say(`check ${memory.adAppId}`);
      const application = await approver.waitForCard([memory.adRequest, 'Credentials']);
      await approver.cardScreenshot(approver.card(memory.adRequest, 'Credentials'), shot(9, 'check-application-card'));
      return { mail, application };
    },
  },
];
