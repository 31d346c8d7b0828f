/**
 * What every chain job runs on: the database, a JSON-RPC client, our contracts, the settings,
 * the signer (when configured), a clock, logging and metrics. Built once per process by the
 * service component or a standalone entry point.
 */
import type { LocalAccount, PublicClient } from "viem";
import type { Db } from "../db/index.ts";
import type { Logger } from "../logger.ts";
import type { BackendRole, ChainSettings } from "./config.ts";
import type { ContractIndex } from "./contracts.ts";
import type { ChainMetrics } from "./health.ts";
import type { RoleAccounts } from "./signer.ts";

export interface ChainContext {
  db: Db;
  client: PublicClient;
  contracts: ContractIndex;
  settings: ChainSettings;
  chainId: number;
  /** The backend signer; the worker and the epoch publisher need it, the indexer does not. */
  account?: LocalAccount;
  /**
   * One account per backend role (signer.ts `loadRoleAccounts`). Absent: every role uses
   * `account` outside production (one development key), only the payout signer in production.
   */
  accounts?: RoleAccounts;
  logger: Logger;
  metrics: ChainMetrics;
  /** This process's id in leases and health rows. */
  instance: string;
  now: () => Date;
}

/** The account that acts for `role` in this context (see {@link ChainContext.accounts}). */
export function accountFor(
  ctx: Pick<ChainContext, "account" | "accounts" | "settings">,
  role: BackendRole,
): LocalAccount | undefined {
  if (ctx.accounts) return ctx.accounts[role];
  if (role === "payoutSigner" || !ctx.settings.production) return ctx.account;
  return undefined;
}
