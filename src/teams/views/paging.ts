import { verbs } from '../verbs';

/**
 * Teams refuses a message over about 100 KB (counted as UTF-16) with 413 MessageSizeTooBig, and Microsoft
 * advises staying well under it. Every list on a card is therefore paged: these sizes keep the worst case
 * (the longest names Graph allows on every row) under 80 KB, which test/cards/cardSize.test.ts proves.
 */
export const pageSizes = { inspect: 20, holders: 25, expiring: 20, audit: 25, reviews: 20 } as const;
export type PagedList = keyof typeof pageSizes;
export const pagedLists = Object.keys(pageSizes) as PagedList[];

/** What the card's Previous / Next buttons send back: which list, which page, and the question to ask again. */
export interface PagerQuery {
  subject: string;
  kind?: string;
}

export interface PagerView {
  /** The page shown, from 0. */
  page: number;
  show: boolean;
  label: string;
  hasPrev: boolean;
  hasNext: boolean;
  prev: number;
  next: number;
  verb: string;
  list: PagedList;
  subject: string;
  kind: string;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The page asked for (clamped to what exists now: the list may have shrunk since the card was sent). */
export function pageOf<T>(items: readonly T[], list: PagedList, page: number, query: PagerQuery, total = items.length): { items: T[]; pager: PagerView } {
  const size = pageSizes[list];
  const pages = Math.max(1, Math.ceil(total / size));
  const at = Math.min(Math.max(0, Math.floor(page) || 0), pages - 1);
  const first = at * size;
  const shown = items.slice(first, first + size);
  return {
    items: shown,
    pager: {
      page: at,
      show: pages > 1,
      label: `${count(first + 1)}–${count(Math.min(total, first + size))} of ${count(total)} · page ${at + 1} of ${count(pages)}`,
      hasPrev: at > 0,
      hasNext: at < pages - 1,
      prev: Math.max(0, at - 1),
      next: Math.min(pages - 1, at + 1),
      verb: verbs.page,
      list,
      subject: query.subject,
      kind: query.kind ?? '',
    },
  };
}

/** A string a person or Graph chose, cut so that no single row can blow the card's size budget. */
export function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
