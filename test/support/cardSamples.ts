import { renderCard } from '../../src/teams/cards';
import { helpTopics } from '../../src/teams/topics';

/** Every card template expanded with representative data: used for schema checks and screenshots. */
export function cardSamples(): { name: string; card: Record<string, unknown> }[] {
  return [
    { name: 'help', card: renderCard('help', { notUnderstood: '', didYouMean: '', commands: helpTopics }) },
    { name: 'help-did-you-mean', card: renderCard('help', { notUnderstood: 'hlep', didYouMean: 'help', commands: helpTopics }) },
  ];
}
