import type { Versioned } from '../../app/ports';
import { cleanupPending, type LinkStore, type SecretLink } from '../../app/secrets/secretLinkPorts';
import { TableDocumentStore, odataString } from './tableDocumentStore';
import type { TableClientFactory } from './tableClients';

const ROW = 'link';

/**
 * One-time links, one partition per token hash, so opening a link is a point read. State, expiry and
 * "clean-up pending" are columns, so the sweep filters on the server. The sweep's query crosses partitions;
 * there is one link per issued secret, which keeps it small.
 */
export class TableLinkStore implements LinkStore {
  private readonly documents: TableDocumentStore<SecretLink>;

  constructor(tables: TableClientFactory) {
    this.documents = new TableDocumentStore(tables('secretlinks'), {
      entity: 'secret link',
      columns: (link) => ({ state: link.state, expiresAt: link.expiresAt, requestId: link.requestId, cleanupPending: cleanupPending(link) }),
    });
  }

  create(link: SecretLink): Promise<Versioned<SecretLink>> {
    return this.documents.create(link.tokenHash, ROW, link);
  }

  get(tokenHash: string): Promise<Versioned<SecretLink> | undefined> {
    // Only a well-formed hash is a key; anything else could not have been stored.
    if (!/^[0-9a-f]{64}$/.test(tokenHash)) return Promise.resolve(undefined);
    return this.documents.get(tokenHash, ROW);
  }

  update(link: SecretLink, etag: string): Promise<Versioned<SecretLink>> {
    return this.documents.replace(link.tokenHash, ROW, link, etag);
  }

  async listDue(now: Date): Promise<Versioned<SecretLink>[]> {
    const due: Versioned<SecretLink>[] = [];
    for await (const link of this.documents.query(`(state eq 'unused' and expiresAt le ${odataString(now.toISOString())}) or cleanupPending eq true`)) due.push(link);
    return due;
  }
}
