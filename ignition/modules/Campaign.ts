import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";
import { keccak256, toHex, zeroHash } from "viem";

/**
 * The shape of a campaign's deployment: which tokens, badges and perks it has. Values (names,
 * caps, budgets, prices, addresses) are Ignition parameters, so the same shape deploys to any
 * chain with any settings. `scripts/deploy-campaign.ts` derives both from a campaign file.
 */
export interface CampaignShape {
  /** Campaign slug; the module id is {@link campaignModuleId}. */
  slug: string;
  /** Token symbols, each deployed as a RewardToken with its own RewardDistributor. */
  tokens: readonly string[];
  /** Badge ids to define on the Badges contract. */
  badges: readonly number[];
  /** One entry per perk: the symbol of the token it is priced in. Perk ids are 1..n in order. */
  perks: readonly string[];
  /**
   * When the admin is not the deploying account (a multisig, say), the deployer grants the
   * admin roles to `admin` and renounces its own at the end.
   */
  handOver: boolean;
}

const role = (name: string) => keccak256(toHex(name));

/** Ignition module ids allow letters, digits and underscores; campaign slugs also have dashes. */
export function campaignModuleId(slug: string): string {
  return `Campaign_${slug.replaceAll("-", "_")}`;
}
const DEFAULT_ADMIN_ROLE = zeroHash;
const MINTER_ROLE = role("MINTER_ROLE");
const PAUSER_ROLE = role("PAUSER_ROLE");

/**
 * Deploys a whole campaign: its RewardTokens, ReferralPayouts (the tokens' minter, with a
 * budget per token), a RewardDistributor escrow per token, Badges and a PerkShop, and grants
 * the backend signer its roles (PAYOUT on payouts, PUBLISHER on distributors, MINTER on
 * badges, RELAYER on the shop) and the admin everything else.
 *
 * Parameters: `campaignId`, `admin`, `backend`, `treasury`; per token `<SYM>_name`,
 * `<SYM>_cap`, `<SYM>_budget`, `<SYM>_maxBatch`; per badge `badge<ID>_uri`,
 * `badge<ID>_transferable`; per perk `perk<N>_price`, `perk<N>_stock`, `perk<N>_expiresAt`,
 * `perk<N>_burn`.
 */
export function buildCampaignModule(shape: CampaignShape) {
  return buildModule(campaignModuleId(shape.slug), (m) => {
    const deployer = m.getAccount(0);
    const admin = m.getParameter("admin", deployer);
    const backend = m.getParameter("backend", deployer);
    const treasury = m.getParameter("treasury", deployer);
    const campaignId = m.getParameter<bigint>("campaignId");

    const payouts = m.contract("ReferralPayouts", [campaignId, deployer, backend]);
    const tokens: Record<string, NamedArtifactContractDeploymentFuture<"RewardToken">> = {};
    const distributors: Record<
      string,
      NamedArtifactContractDeploymentFuture<"RewardDistributor">
    > = {};
    for (const symbol of shape.tokens) {
      const token = m.contract(
        "RewardToken",
        [
          m.getParameter<string>(`${symbol}_name`),
          symbol,
          m.getParameter<bigint>(`${symbol}_cap`),
          deployer,
        ],
        { id: `${symbol}_token` },
      );
      m.call(token, "grantRole", [MINTER_ROLE, payouts], { id: `${symbol}_grantMinterToPayouts` });
      m.call(token, "grantRole", [PAUSER_ROLE, admin], { id: `${symbol}_grantPauserToAdmin` });
      m.call(
        payouts,
        "setBudget",
        [
          token,
          m.getParameter<bigint>(`${symbol}_budget`),
          m.getParameter<bigint>(`${symbol}_maxBatch`),
        ],
        { id: `${symbol}_setBudget` },
      );
      distributors[symbol] = m.contract("RewardDistributor", [token, admin, backend, treasury], {
        id: `${symbol}_distributor`,
      });
      tokens[symbol] = token;
    }

    const badges = m.contract("Badges", [deployer, backend]);
    for (const id of shape.badges) {
      m.call(
        badges,
        "defineBadge",
        [
          BigInt(id),
          m.getParameter<string>(`badge${id}_uri`),
          m.getParameter<boolean>(`badge${id}_transferable`),
        ],
        { id: `badge${id}_define` },
      );
    }

    const shop = m.contract("PerkShop", [deployer, backend, treasury]);
    shape.perks.forEach((symbol, i) => {
      const n = i + 1;
      const token = tokens[symbol];
      if (token === undefined) throw new Error(`Perk ${n} is priced in unknown token ${symbol}`);
      m.call(
        shop,
        "createPerk",
        [
          token,
          m.getParameter<bigint>(`perk${n}_price`),
          m.getParameter<number>(`perk${n}_stock`),
          m.getParameter<number>(`perk${n}_expiresAt`, 0),
          m.getParameter<boolean>(`perk${n}_burn`, true),
        ],
        { id: `perk${n}_create` },
      );
    });

    // Admin roles: granted to `admin`; the deployer keeps them only when it is the admin.
    const adminOf = [
      ["payouts", payouts],
      ["badges", badges],
      ["shop", shop],
      ...Object.entries(tokens),
    ] as const;
    for (const [name, contract] of adminOf) {
      const granted = m.call(contract, "grantRole", [DEFAULT_ADMIN_ROLE, admin], {
        id: `${name}_grantAdmin`,
      });
      if (shape.handOver) {
        m.call(contract, "renounceRole", [DEFAULT_ADMIN_ROLE, deployer], {
          id: `${name}_renounceDeployerAdmin`,
          after: [granted],
        });
      }
    }
    m.call(payouts, "grantRole", [PAUSER_ROLE, admin], { id: "payouts_grantPauserToAdmin" });

    return {
      payouts,
      badges,
      shop,
      ...prefixed("token_", tokens),
      ...prefixed("distributor_", distributors),
    };
  });
}

function prefixed<T>(prefix: string, record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
}
