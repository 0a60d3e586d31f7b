import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../src/paths';

/** Flags that keep Debian's Chromium quiet on a machine with no outside network. */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs, headless: true });
}

/** A host config close to Teams' light theme, so screenshots look like what people see. */
const hostConfig = {
  fontFamily: 'Segoe UI, Helvetica Neue, DejaVu Sans, sans-serif',
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, attention: { default: '#C4314B' }, good: { default: '#237B4B' }, warning: { default: '#835C00' }, accent: { default: '#5B5FC7' } } },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: { default: { default: '#242424', subtle: '#616161' }, attention: { default: '#C4314B' }, good: { default: '#237B4B' }, warning: { default: '#835C00' }, accent: { default: '#5B5FC7' } } },
    good: { backgroundColor: '#E7F2DA' }, attention: { backgroundColor: '#FCF4F6' }, warning: { backgroundColor: '#FBF6D9' }, accent: { backgroundColor: '#E8EBFA' },
  },
  actions: { maxActions: 6, buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
};

/** Renders Adaptive Cards with the adaptivecards HTML renderer in headless Chromium and returns PNGs. */
export async function renderCardPngs(browser: Browser, cards: { name: string; card: object }[]): Promise<Map<string, Buffer>> {
  const page = await browser.newPage({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 2 });
  await page.setContent(`<!doctype html><html><head><style>${readFileSync(join(projectRoot, 'node_modules/adaptivecards/dist/adaptivecards.css'), 'utf8')}
    body{margin:0;background:#EBEBEB;font-family:'DejaVu Sans',sans-serif} #host{width:520px;margin:16px;border-radius:8px;overflow:hidden;box-shadow:0 1px 4px rgba(0,0,0,.2);background:#fff}
    .ac-pushButton{border:1px solid #D1D1D1;border-radius:4px;background:#fff;padding:6px 12px;font-weight:600;color:#242424}
    .ac-input,.ac-textInput,.ac-multichoiceInput{border:1px solid #D1D1D1;border-radius:4px;padding:4px}</style></head><body><div id="host"></div></body></html>`);
  await page.addScriptTag({ path: join(projectRoot, 'node_modules/adaptivecards/dist/adaptivecards.js') });
  const pngs = new Map<string, Buffer>();
  for (const { name, card } of cards) {
    await page.evaluate(
      ({ card, hostConfig }) => {
        type Markdown = { outputHtml?: string; didProcess?: boolean };
        const AC = (window as unknown as { AdaptiveCards: { AdaptiveCard: { new (): { hostConfig: unknown; parse(c: unknown): void; render(): HTMLElement }; onProcessMarkdown?: (text: string, result: Markdown) => void }; HostConfig: new (c: unknown) => unknown } }).AdaptiveCards;
        // Teams renders a small Markdown subset (bold, italics, code, line breaks); so does this preview.
        AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
          const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
          result.outputHtml = escaped.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>').replace(/_(.+?)_/g, '<i>$1</i>').replace(/`(.+?)`/g, '<code>$1</code>').replace(/ {2}\n|\n/g, '<br>');
          result.didProcess = true;
        };
        const adaptive = new AC.AdaptiveCard();
        adaptive.hostConfig = new AC.HostConfig(hostConfig);
        adaptive.parse(card);
        const host = document.getElementById('host')!;
        host.innerHTML = '';
        host.appendChild(adaptive.render());
      },
      { card, hostConfig },
    );
    pngs.set(name, await page.locator('#host').screenshot());
  }
  await page.close();
  return pngs;
}
