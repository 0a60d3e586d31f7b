import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { graphAppRoles, graphScopes } from './catalogue';
import type { TenantState } from './model';

const STATE_FILE = 'state.json';

/**
 * The tenant's state, persisted as one JSON file in the data folder. Writes are coalesced (a burst of requests
 * costs one write) and go through a temporary file and a rename, so a crash leaves the previous state intact.
 */
export class StateStore {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly file: string;
  private temps = 0;

  constructor(readonly dataDir: string, public state: TenantState) {
    this.file = join(dataDir, STATE_FILE);
  }

  static load(dataDir: string): TenantState | undefined {
    const file = join(dataDir, STATE_FILE);
    if (!existsSync(file)) return undefined;
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as TenantState;
      // Schema 2 split the bot's identity from the worker's (issue #16): older state is reseeded.
      if (state.schema !== 2) return undefined;
      for (const sp of Object.values(state.servicePrincipals)) {
        if (sp.meta.fromCatalogue) {
          sp.data.appRoles = graphAppRoles();
          sp.data.oauth2PermissionScopes = graphScopes();
        }
      }
      return state;
    } catch {
      // A state file we cannot read is set aside rather than silently overwritten.
      renameSync(file, `${file}.unreadable-${Date.now()}`);
      return undefined;
    }
  }

  static remove(dataDir: string): void {
    rmSync(join(dataDir, STATE_FILE), { force: true });
  }

  private serialise(): string {
    // The Microsoft Graph service principal's 1,500 permissions come from the catalogue; keeping them out of
    // the file keeps every write small.
    return JSON.stringify(this.state, (key, value) => {
      if (value && typeof value === 'object' && (value as { meta?: { fromCatalogue?: boolean } }).meta?.fromCatalogue) {
        const sp = value as { data: Record<string, unknown>; meta: unknown };
        return { meta: sp.meta, data: { ...sp.data, appRoles: [], oauth2PermissionScopes: [] } };
      }
      return value;
    });
  }

  /** Called after every request that changed something. */
  scheduleSave(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const text = this.serialise();
      this.writing = this.writing.then(async () => {
        const temp = `${this.file}.${process.pid}.${++this.temps}.tmp`;
        await writeFile(temp, text);
        await rename(temp, this.file);
      }).catch(() => undefined);
    }, 25);
    this.timer.unref();
  }

  /** Writes now, after any write under way; used on close and after a reset. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.flushSync();
  }

  /** For the first write of a fresh tenant, before the server listens. */
  flushSync(): void {
    mkdirSync(this.dataDir, { recursive: true });
    const temp = `${this.file}.${process.pid}.${++this.temps}.tmp`;
    writeFileSync(temp, this.serialise());
    renameSync(temp, this.file);
  }
}
