/**
 * Who gets which role when a campaign is deployed, from the command line and the service's own
 * key variables: the contracts grant each backend role to the key the service will sign with.
 *
 * Per backend role, first found wins: its flag (`--payout-signer`…), its own key variable
 * (`PAYOUT_SIGNER_PRIVATE_KEY` or `_KEYSTORE`, see server/chain/config.ts), `--backend` (one
 * key for all four, development chains only), the payout signer's key standing in outside
 * production, and on the local chain Hardhat's second account (the dev stack's signer).
 */
import type { Address } from "viem";
import {
  BACKEND_ROLES,
  type BackendRole,
  loadChainSettings,
  ROLE_PREFIX,
} from "../../server/chain/config.ts";
import { loadAccount } from "../../server/chain/signer.ts";
import type { Environment } from "../../server/env.ts";
import type { DeployRoles } from "./deployCampaign.ts";
import type { PlannedRole } from "./rolePlan.ts";

export interface RoleFlags {
  admin?: Address;
  guardian?: Address;
  treasury?: Address;
  backend?: Address;
  payoutSigner?: Address;
  rootPublisher?: Address;
  badgeMinter?: Address;
  relayer?: Address;
}

const FLAG: Record<BackendRole, string> = {
  payoutSigner: "--payout-signer",
  rootPublisher: "--root-publisher",
  badgeMinter: "--badge-minter",
  relayer: "--relayer",
};

/** The holders to deploy with and, for the role plan, where each comes from. */
export async function deployRoles(
  flags: RoleFlags,
  env: Environment,
  options: {
    /** The backend's address when nothing else names one (the local chain's dev signer). */
    localBackend?: Address;
  } = {},
): Promise<{ roles: DeployRoles; sources: Record<PlannedRole, string> }> {
  const settings = loadChainSettings(env);
  const roles: DeployRoles = {
    admin: flags.admin,
    guardian: flags.guardian,
    treasury: flags.treasury,
  };
  const sources = {
    admin: flags.admin ? "--admin" : "the deployer (no --admin)",
    guardian: flags.guardian ? "--guardian" : "the admin (no --guardian)",
    treasury: flags.treasury ? "--treasury" : "the admin (no --treasury)",
  } as Record<PlannedRole, string>;
  for (const role of BACKEND_ROLES) {
    const key = settings.keys[role];
    const account = await loadAccount(key);
    const own = key.kind !== "none" && key.sharedWith === undefined;
    const choices: Array<[Address | undefined, string]> = [
      [flags[role], FLAG[role]],
      [own ? account?.address : undefined, key.kind === "none" ? "" : key.variable],
      [flags.backend, "--backend (one key for every backend role: development only)"],
      [
        account?.address,
        key.kind !== "none" && key.sharedWith
          ? `${key.sharedWith} (no ${ROLE_PREFIX[role]}_* key: shares the payout signer's, development only)`
          : "",
      ],
      [options.localBackend, "Hardhat's account #1 (the local dev signer)"],
    ];
    const chosen = choices.find(([address]) => address !== undefined);
    if (chosen) {
      roles[role] = chosen[0];
      sources[role] = chosen[1];
    } else sources[role] = `none: set ${FLAG[role]} or ${ROLE_PREFIX[role]}_PRIVATE_KEY`;
  }
  return { roles, sources };
}
