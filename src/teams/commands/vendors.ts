import type { TurnContext } from 'botbuilder';
import { recipes } from '../../domain/catalog/recipes';
import { cardAttachment } from '../cards';
import { vendorsView } from '../views/vendorsView';

/** `vendors`: what Onboard knows, with the words to ask for each feature, its options, defaults and what is not supported. */
export async function sendVendors(context: TurnContext): Promise<void> {
  await context.sendActivity({ attachments: [cardAttachment('vendors', vendorsView(recipes()))] });
}
