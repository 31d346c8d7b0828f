/**
 * Structured logs (pino). Authorization headers, init data, signatures and secrets are
 * redacted wherever they appear; Telegram ids are never logged at info level (member
 * numbers are used instead).
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

export const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "headers.cookie",
  "initData",
  "*.initData",
  "signature",
  "*.signature",
  "botToken",
  "*.botToken",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "telegramId",
  "*.telegramId",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "refmint-api" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
