/**
 * How an entry point (`npm start`, `db:migrate`, the operator commands) reports the error that
 * stops it: refusals the operator can act on (a bad setting, a database in use by another
 * process or not created yet) as their message alone; anything else with its stack.
 */
import { ConfigError } from "./config.ts";
import { DatabaseMissingError } from "./db/index.ts";
import { DataDirLockedError } from "./db/lock.ts";

export function fatalMessage(error: unknown): string {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirLockedError ||
    error instanceof DatabaseMissingError
  )
    return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
