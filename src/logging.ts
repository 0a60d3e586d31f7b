import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs (pino). Field names that could carry a credential are censored before they are written,
 * as a second line of defence: code must never pass a secret value to the logger at all.
 */
export const redactedPaths = [
  'secret', 'secretText', 'clientSecret', 'password', 'token', 'authorization', 'value',
  '*.secret', '*.secretText', '*.clientSecret', '*.password', '*.token', '*.authorization',
  'req.headers.authorization', 'headers.authorization',
];

export function createLogger(options: { level: string; file?: string; name?: string }): Logger {
  const destination = options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(1);
  return pino({ name: options.name ?? 'onboard', level: options.level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
