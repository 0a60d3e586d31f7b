import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import { projectRoot } from '../paths';

export const cardsFolder = join(projectRoot, 'cards');
const templates = new Map<string, Template>();

/** Expands `cards/<name>.card.json` with a view model. Templates hold bindings only; the view model holds the logic. */
export function renderCard(name: string, data: object): Record<string, unknown> {
  let template = templates.get(name);
  if (!template) {
    template = new Template(JSON.parse(readFileSync(join(cardsFolder, `${name}.card.json`), 'utf8')));
    templates.set(name, template);
  }
  return template.expand({ $root: data }) as Record<string, unknown>;
}

export function cardAttachment(name: string, data: object): Attachment {
  return CardFactory.adaptiveCard(renderCard(name, data));
}
