/**
 * Loaded with `node -r` before the bot (infra/modules/webapp.bicep), because the SDK must patch http and the
 * Azure SDKs before they are first required. Without a connection string (local runs, tests) it does nothing.
 */
import { startTelemetry } from './applicationInsights';

startTelemetry(process.env);
