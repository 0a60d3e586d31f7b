import type { TurnContext } from 'botbuilder';
import { recipes } from '../../domain/catalog/recipes';
import { cardAttachment } from '../cards';

/** `vendors`: what Onboard knows, with the words to ask for each feature. */
export async function sendVendors(context: TurnContext): Promise<void> {
  const vendors = recipes().map((r) => ({
    name: r.name,
    features: r.features.length ? r.features.map((f) => `${f.name} (${(['application', 'delegated'] as const).filter((m) => f.modes[m]).join(' or ')})`).join('; ') : 'One fixed set of permissions.',
    example: `onboard ${r.name.toLowerCase()}${r.features[0] && r.featureRequired ? ` ${r.features[0].words[0]}` : ''}`,
  }));
  await context.sendActivity({ attachments: [cardAttachment('vendors', { vendors })] });
}
