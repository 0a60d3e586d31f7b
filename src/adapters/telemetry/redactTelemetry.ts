/**
 * A one-time link's token is a bearer credential in the URL path, and a request id is fine to keep. The query goes
 * too: Entra's answer to the link page's sign-in (`/secrets/signin?code=…&state=…`) carries an authorization code.
 * Every string Application Insights would send (request names and URLs, dependency targets, messages) is passed
 * through this before it leaves the process.
 */
const SECRET_LINK_PATH = /\/secrets\/[^/?#\s"']+(\?[^#\s"']*)?/g;

export function redactSecretLinks(text: string): string {
  return text.replace(SECRET_LINK_PATH, (_whole, query?: string) => `/secrets/{token}${query ? '?{query}' : ''}`);
}

/** Walks an envelope's data in place; returns true so the SDK still sends it. */
export function redactEnvelope(envelope: { data?: unknown; tags?: Record<string, string> }): boolean {
  redactStrings(envelope.data);
  if (envelope.tags) redactStrings(envelope.tags);
  return true;
}

function redactStrings(value: unknown, depth = 0): void {
  if (!value || typeof value !== 'object' || depth > 8) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (typeof field === 'string') record[key] = redactSecretLinks(field);
    else redactStrings(field, depth + 1);
  }
}
