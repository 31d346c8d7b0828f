/**
 * What every chain job runs on: the database, the chain driver (the EVM one: its JSON-RPC
 * client and the signer, when configured), our contracts, the settings, a clock, logging and
 * metrics. Built once per process by the service component or a standalone entry point.
 */
import type { Db } from "../db/index.ts";
import type { Logger } from "../logger.ts";
import type { ChainSettings } from "./config.ts";
import type { ContractIndex } from "./contracts.ts";
import type { ChainDriver } from "./driver.ts";
import type { ChainMetrics } from "./health.ts";

export interface ChainContext<D extends ChainDriver = ChainDriver> {
  db: Db;
  /** The chain itself; the worker and the epoch publisher need its signer, the indexer does not. */
  driver: D;
  contracts: ContractIndex;
  settings: ChainSettings;
  chainId: number;
  logger: Logger;
  metrics: ChainMetrics;
  /** This process's id in leases and health rows. */
  instance: string;
  now: () => Date;
}
