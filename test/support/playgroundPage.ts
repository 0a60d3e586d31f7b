import type { Browser, Locator, Page } from 'playwright-core';

/** Only loopback may answer: the Playground's page asks for fonts and animations on Microsoft's CDN. */
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Top-level cards only: a card's ShowCard actions render nested `.ac-adaptiveCard`s. */
const cardSelector = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

/** The Playground's header, chat box and margins around the chat pane, in pixels. */
const chrome = 260;

/** Each bot message or card sits in one of these bubbles. */
const replySelector = '.fai-OutputCard';

/**
 * One person's view of the Agents Playground, driven as they would: typing in the chat box,
 * filling card inputs, clicking card buttons, and reading what the cards say.
 */
export class PlaygroundPage {
  private constructor(
    readonly page: Page,
    readonly who: string,
    private readonly waitMs: number,
  ) {}

  static async open(browser: Browser, url: string, who: string, waitMs: number): Promise<PlaygroundPage> {
    // The one-time link's sign-in goes through the local cloud, whose dev CA Chromium does not hold (see handoverSteps.ts).
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ignoreHTTPSErrors: true });
    // On the context, so tabs the page opens (the one-time link) are held to loopback too.
    await page.context().route('**/*', (route) => (loopback.has(new URL(route.request().url()).hostname) ? route.continue() : route.abort('internetdisconnected')));
    await page.goto(url, { timeout: waitMs });
    await page.locator('[data-lexical-editor=true]').waitFor({ timeout: waitMs });
    // The log panel takes a third of the width; people read the chat, so the screenshots show it.
    await page.getByTitle('Toggle Log Panel').click({ timeout: waitMs }).catch(() => undefined);
    return new PlaygroundPage(page, who, waitMs);
  }

  /** Types into the chat box (a Lexical editor, so keystrokes rather than fill) and sends; `typed` runs just before sending. */
  async say(text: string, typed?: () => Promise<void>): Promise<void> {
    const box = this.page.locator('[data-lexical-editor=true]');
    await box.click({ timeout: this.waitMs });
    await this.page.keyboard.type(text);
    await typed?.();
    await this.page.keyboard.press('Enter');
  }

  /** How many messages and cards the bot has posted in this chat. */
  replyCount(): Promise<number> {
    return this.page.locator(replySelector).count();
  }

  /** Sends `text` and waits until the bot has answered with something new. */
  async sayAndWaitForReply(text: string): Promise<void> {
    const before = await this.replyCount();
    await this.say(text);
    await this.page.waitForFunction(({ selector, before }) => document.querySelectorAll(selector).length > before, { selector: replySelector, before }, { timeout: this.waitMs, polling: 200 });
  }

  /** The newest top-level card whose text contains every needle. */
  card(...needles: string[]): Locator {
    return needles.reduce((found, needle) => found.filter({ hasText: needle }), this.page.locator(cardSelector)).last();
  }

  /** Waits until a card contains every needle (and not `without`, when given), and returns its text. */
  async waitForCard(needles: string[], options: { without?: string; waitMs?: number } = {}): Promise<string> {
    const card = options.without ? this.card(...needles).filter({ hasNotText: options.without }) : this.card(...needles);
    await card.waitFor({ state: 'visible', timeout: options.waitMs ?? this.waitMs });
    return card.innerText();
  }

  /** Waits for a plain chat message (not a card) matching `pattern`, and returns its text. */
  async waitForMessage(pattern: RegExp, waitMs = this.waitMs): Promise<string> {
    const message = this.page.locator(`${replySelector} p`).filter({ hasText: pattern }).last();
    await message.waitFor({ state: 'visible', timeout: waitMs });
    return message.innerText();
  }

  async fill(card: Locator, label: string, value: string): Promise<void> {
    await card.getByLabel(label, { exact: false }).first().fill(value, { timeout: this.waitMs });
  }

  /** Clicks a card action; the Playground renders Action.OpenUrl as a button with the role of a link. */
  async click(card: Locator, title: string, role: 'button' | 'link' = 'button'): Promise<void> {
    await card.getByRole(role, { name: title, exact: true }).click({ timeout: this.waitMs });
  }

  /** The whole window, with `card` in view: the window grows to the card's height, as a tall monitor would. */
  async screenshot(path: string, card?: Locator): Promise<void> {
    await this.withCardInView(card, () => this.page.screenshot({ path }));
  }

  /** The card alone, for the README. */
  async cardScreenshot(card: Locator, path: string): Promise<void> {
    await this.withCardInView(card, () => card.screenshot({ path, timeout: this.waitMs }));
  }

  /** The chat pane scrolls, and a card taller than it is cut off; so the window grows while `take` runs. */
  private async withCardInView(card: Locator | undefined, take: () => Promise<unknown>): Promise<void> {
    const normal = this.page.viewportSize()!;
    const height = card ? ((await card.boundingBox({ timeout: this.waitMs }))?.height ?? 0) : 0;
    if (height + chrome > normal.height) await this.page.setViewportSize({ width: normal.width, height: Math.ceil(height + chrome) });
    try {
      await card?.scrollIntoViewIfNeeded({ timeout: this.waitMs });
      await take();
    } finally {
      await this.page.setViewportSize(normal);
    }
  }
}
