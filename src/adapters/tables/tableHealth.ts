import type { HealthProbe } from '../../app/ports';
import type { TableClientFactory } from './tableClients';

/** Storage is reachable when a one-row read answers, even "table not found" (tables are created on first write). */
export function tableStorageProbe(tables: TableClientFactory): HealthProbe {
  return {
    name: 'storage',
    async check() {
      try {
        await tables('requests').listEntities().byPage({ maxPageSize: 1 }).next();
        return { state: 'ok' };
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 404) return { state: 'ok' };
        return { state: 'unreachable', detail: status ? `HTTP ${status}` : (error as Error).message };
      }
    },
  };
}
