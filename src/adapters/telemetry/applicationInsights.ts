import * as appInsights from 'applicationinsights';
import { redactEnvelope } from './redactTelemetry';

/**
 * Requests, dependencies (Graph, Key Vault, Tables) and exceptions to Application Insights, when App Service
 * gives a connection string. Console capture stays off: pino's JSON lines already reach the workspace through
 * App Service logs, and they are redacted at source. Statsbeat and live metrics stay off: no extra endpoints.
 */
export function startTelemetry(env: NodeJS.ProcessEnv): boolean {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return false;
  appInsights
    .setup(connectionString)
    .setAutoCollectConsole(false)
    .setAutoCollectRequests(true)
    .setAutoCollectDependencies(true)
    .setAutoCollectExceptions(true)
    .setAutoCollectPerformance(true, false)
    .setSendLiveMetrics(false)
    .setInternalLogging(false, false);
  appInsights.defaultClient.config.disableStatsbeat = true;
  appInsights.defaultClient.context.tags[appInsights.defaultClient.context.keys.cloudRole] = 'onboard';
  appInsights.defaultClient.addTelemetryProcessor((envelope) => redactEnvelope(envelope));
  appInsights.start();
  return true;
}
