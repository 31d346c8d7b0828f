/**
 * The backend signer (and, for the clawback command, the campaign admin) as a viem local
 * account: from a private key in the environment or an encrypted keystore file. The key stays
 * inside the account object; logs and errors only ever name the address and the variable.
 */
import { readFile } from "node:fs/promises";
import type { LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ConfigError } from "../config.ts";
import {
  BACKEND_ROLES,
  type BackendRole,
  type ChainSettings,
  type KeySource,
  ROLE_PREFIX,
} from "./config.ts";
import { decryptKeystore, KeystoreError } from "./keystore.ts";

/** The account of `source`, or undefined when no key is configured. */
export async function loadAccount(source: KeySource): Promise<LocalAccount | undefined> {
  if (source.kind === "none") return undefined;
  if (source.kind === "private-key") {
    try {
      return privateKeyToAccount(source.key);
    } catch {
      throw new ConfigError([
        { variable: source.variable, message: "is not a valid secp256k1 key" },
      ]);
    }
  }
  let text: string;
  try {
    text = await readFile(source.path, "utf8");
  } catch (error) {
    throw new ConfigError([
      {
        variable: source.variable,
        message: `cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      },
    ]);
  }
  try {
    return privateKeyToAccount(decryptKeystore(text, source.password));
  } catch (error) {
    const reason = error instanceof KeystoreError ? error.details : "cannot decrypt";
    throw new ConfigError([{ variable: source.variable, message: `${source.path}: ${reason}` }]);
  }
}

/** The backend's accounts by role (a role without a key is absent). */
export type RoleAccounts = Partial<Record<BackendRole, LocalAccount>>;

/**
 * Loads every configured role key. In production it refuses to start (a {@link ConfigError}
 * naming the variables) when a role in `needed` has no key, or when two roles hold the same key
 * (also across keystore files: the decrypted addresses are compared). Outside production a role
 * without a key of its own already uses the payout signer's (see loadChainSettings).
 */
export async function loadRoleAccounts(
  settings: Pick<ChainSettings, "keys" | "production">,
  needed: ReadonlySet<BackendRole> = new Set(),
): Promise<RoleAccounts> {
  const accounts: RoleAccounts = {};
  const issues: Array<{ variable: string; message: string }> = [];
  const byAddress = new Map<string, BackendRole>();
  for (const role of BACKEND_ROLES) {
    const source = settings.keys[role];
    const account = await loadAccount(source);
    if (!account) {
      if (settings.production && needed.has(role))
        issues.push({
          variable: `${ROLE_PREFIX[role]}_PRIVATE_KEY`,
          message: `or ${ROLE_PREFIX[role]}_KEYSTORE is required in production (${roleUse[role]})`,
        });
      continue;
    }
    accounts[role] = account;
    if (!settings.production || source.kind === "none") continue;
    const other = byAddress.get(account.address.toLowerCase());
    if (other)
      issues.push({
        variable: source.variable,
        message: `holds the same key (${account.address}) as ${ROLE_PREFIX[other]}: in production each role needs its own key`,
      });
    else byAddress.set(account.address.toLowerCase(), role);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return accounts;
}

const roleUse: Record<BackendRole, string> = {
  payoutSigner: "the payout worker pays batches and releases escrow with it",
  rootPublisher: "the epoch publisher publishes Merkle roots with it",
  badgeMinter: "badges are minted with it",
  relayer: "members' signed perk orders are relayed with it",
};

/**
 * The roles whose keys the given chain jobs need: the worker sends payouts and releases (payout
 * signer), the roots the epoch job builds (root publisher) and relayed perk orders (relayer,
 * when a campaign has a perk shop); the epoch job signs nothing but names the root publisher.
 */
export function rolesNeeded(
  settings: Pick<ChainSettings, "jobs" | "epochs">,
  opts: { perkShops: boolean },
): Set<BackendRole> {
  const needed = new Set<BackendRole>();
  const epochs = settings.epochs.intervalSeconds > 0;
  if (settings.jobs.has("worker")) {
    needed.add("payoutSigner");
    needed.add("rootPublisher");
    if (opts.perkShops) needed.add("relayer");
  }
  if (settings.jobs.has("epochs") && epochs) needed.add("rootPublisher");
  return needed;
}
