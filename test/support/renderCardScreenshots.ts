/**
 * Writes docs/cards/<name>.png for the README: every card in its states, with sample data.
 * Run after a build: `node dist/test/support/renderCardScreenshots.js`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { launchChromium, renderCardPngs } from './cardRenderer';
import { cardSamples } from './cardSamples';

async function main() {
  const out = join(projectRoot, 'docs', 'cards');
  mkdirSync(out, { recursive: true });
  const browser = await launchChromium();
  try {
    const pngs = await renderCardPngs(browser, cardSamples());
    for (const [name, png] of pngs) writeFileSync(join(out, `${name}.png`), png);
    console.log(`wrote ${pngs.size} screenshots to ${out}`);
  } finally {
    await browser.close();
  }
}

void main();
