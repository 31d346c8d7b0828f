/**
 * Who will hold which role on which contract of a campaign, and where each address comes from:
 * what `npm run deploy -- --dry-run` prints before it simulates anything. The roles are those
 * `ignition/modules/Campaign.ts` grants (README "The contracts").
 */
import type { Address } from "viem";
import { ROLE_PREFIX } from "../../server/chain/config.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import type { DeployedRoles } from "./deployCampaign.ts";

export type PlannedRole = keyof DeployedRoles;

/** One holder in the plan: the roles it receives, contract by contract. */
export interface RolePlanEntry {
  role: PlannedRole | "deployer" | "payoutsContract";
  /** `undefined`: not known before the deploy (a contract, or the deployer without a known key). */
  address: Address | undefined;
  /** Where the address comes from: a flag, a key variable, a default. */
  source: string;
  /** `ROLE on Contract` lines. */
  grants: string[];
}

const LABEL: Record<RolePlanEntry["role"], string> = {
  deployer: "deployer",
  admin: "admin (owner)",
  guardian: "guardian",
  payoutSigner: "payout signer",
  rootPublisher: "root publisher",
  badgeMinter: "badge minter",
  relayer: "relayer",
  treasury: "treasury",
  payoutsContract: "ReferralPayouts",
};

/** The plan for `campaign` with the resolved holders and the source of each. */
export function rolePlan(
  campaign: CampaignDefinition,
  roles: DeployedRoles,
  sources: Record<PlannedRole, string>,
  deployer: { address: Address | undefined; source: string },
  /** The admin is not the deployer: the deployer hands the admin role over at the end. */
  handOver: boolean,
): RolePlanEntry[] {
  const minted = campaign.tokens.filter((t) => !t.external).map((t) => `RewardToken ${t.symbol}`);
  const distributors = campaign.tokens.map((t) => `RewardDistributor ${t.symbol}`);
  const every = ["ReferralPayouts", ...minted, ...distributors, "Badges", "PerkShop"];
  const on = (role: string, contracts: string[]) => contracts.map((c) => `${role} on ${c}`);
  const entries: RolePlanEntry[] = [
    {
      role: "deployer",
      address: deployer.address,
      source: deployer.source,
      grants: handOver
        ? [
            "sends every deployment transaction; DEFAULT_ADMIN_ROLE until the admin accepts the hand-over, then none",
          ]
        : ["sends every deployment transaction and stays the admin"],
    },
    {
      role: "admin",
      address: roles.admin,
      source: sources.admin,
      grants: [
        ...on("DEFAULT_ADMIN_ROLE", every),
        ...(handOver ? ["(accepts with acceptDefaultAdminTransfer() on each)"] : []),
      ],
    },
    {
      role: "guardian",
      address: roles.guardian,
      source: sources.guardian,
      grants: [
        ...on("PAUSER_ROLE", ["ReferralPayouts", ...minted]),
        ...on("GUARDIAN_ROLE", distributors),
      ],
    },
    {
      role: "payoutSigner",
      address: roles.payoutSigner,
      source: sources.payoutSigner,
      grants: [...on("PAYOUT_ROLE", ["ReferralPayouts"]), ...on("RELEASER_ROLE", distributors)],
    },
    {
      role: "rootPublisher",
      address: roles.rootPublisher,
      source: sources.rootPublisher,
      grants: on("PUBLISHER_ROLE", distributors),
    },
    {
      role: "badgeMinter",
      address: roles.badgeMinter,
      source: sources.badgeMinter,
      grants: on("MINTER_ROLE", ["Badges"]),
    },
    {
      role: "relayer",
      address: roles.relayer,
      source: sources.relayer,
      grants: on("RELAYER_ROLE", ["PerkShop"]),
    },
    {
      role: "treasury",
      address: roles.treasury,
      source: sources.treasury,
      grants: [
        ...distributors.map((d) => `receives clawbacks of ${d}`),
        "receives perk payments that are not burned (PerkShop)",
      ],
    },
    {
      role: "payoutsContract",
      address: undefined,
      source: "deployed by this plan",
      grants: on("MINTER_ROLE", minted),
    },
  ];
  return entries;
}

/** Where each backend role's key is read by the service (`<PREFIX>_PRIVATE_KEY` or `_KEYSTORE`). */
export function keyVariables(role: PlannedRole): string | undefined {
  return role in ROLE_PREFIX
    ? `${ROLE_PREFIX[role as keyof typeof ROLE_PREFIX]}_PRIVATE_KEY / _KEYSTORE`
    : undefined;
}

/** The plan as printed lines. */
export function formatRolePlan(plan: readonly RolePlanEntry[]): string[] {
  const lines: string[] = [];
  for (const e of plan) {
    lines.push(
      `  ${LABEL[e.role].padEnd(16)} ${e.address ?? "(address not known yet)"}  ← ${e.source}`,
    );
    for (const g of e.grants) lines.push(`  ${"".padEnd(16)}   ${g}`);
  }
  return lines;
}
