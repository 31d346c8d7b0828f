import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";
import { keccak256, toHex } from "viem";

/**
 * The shape of a campaign's deployment: which tokens, badges and perks it has. Values (names,
 * caps, budgets, limits, prices, addresses) are Ignition parameters, so the same shape deploys
 * to any chain with any settings. `scripts/deploy-campaign.ts` derives both from a campaign file.
 */
export interface CampaignShape {
  /** Campaign slug; the module id is {@link campaignModuleId}. */
  slug: string;
  /** Token symbols, each deployed as a RewardToken with its own RewardDistributor. */
  tokens: readonly string[];
  /**
   * Symbols of external tokens (any ERC-20 the campaign does not mint, at `<SYM>_address`): paid
   * from the vault (ReferralPayouts' own balance, pre-funded by the admin), with a distributor
   * that pays releases and claims by plain transfers. Not in `tokens`.
   */
  external?: readonly string[];
  /** Badge ids to define on the Badges contract. */
  badges: readonly number[];
  /** One entry per perk: the symbol of the token it is priced in. Perk ids are 1..n in order. */
  perks: readonly string[];
  /**
   * When the admin is not the deploying account (a multisig, say), the deployer starts the
   * two-step admin transfer to `admin` on every contract at the end; the admin accepts it with
   * `acceptDefaultAdminTransfer`, which also takes the role from the deployer.
   */
  handOver: boolean;
}

const role = (name: string) => keccak256(toHex(name));

/** Ignition module ids allow letters, digits and underscores; campaign slugs also have dashes. */
export function campaignModuleId(slug: string): string {
  return `Campaign_${slug.replaceAll("-", "_")}`;
}
const MINTER_ROLE = role("MINTER_ROLE");
const PAUSER_ROLE = role("PAUSER_ROLE");

/**
 * Deploys a whole campaign: its RewardTokens, ReferralPayouts (the tokens' minter, with a
 * budget, a per-batch limit and a rolling daily limit per token), a RewardDistributor escrow per
 * token, Badges and a PerkShop. Each backend role goes to its own key: PAYOUT on payouts and
 * RELEASER on the distributors to the payout signer, PUBLISHER on the distributors to the root
 * publisher, MINTER on badges to the badge minter, RELAYER on the shop to the relayer. The
 * guardian pauses (tokens, payouts) and vetoes roots. The deployer configures everything as the
 * initial admin and is granted no other role.
 *
 * Parameters: `campaignId`, `admin`, `guardian`, `payoutSigner`, `rootPublisher`,
 * `badgeMinter`, `relayer`, `treasury`, `publishDelay` (seconds); per token `<SYM>_name`,
 * `<SYM>_cap`, `<SYM>_budget`, `<SYM>_maxBatch` (amount per batch), `<SYM>_daily` (an external
 * token: `<SYM>_address` instead of a name and cap); per badge
 * `badge<ID>_uri`, `badge<ID>_transferable`; per perk `perk<N>_price`, `perk<N>_stock`,
 * `perk<N>_expiresAt`, `perk<N>_burn`.
 */
export function buildCampaignModule(shape: CampaignShape) {
  return buildModule(campaignModuleId(shape.slug), (m) => {
    const deployer = m.getAccount(0);
    // Each role defaults to the deployer; `deployCampaign` always passes every one of them.
    const admin = m.getParameter("admin", deployer);
    const guardian = m.getParameter("guardian", deployer);
    const payoutSigner = m.getParameter("payoutSigner", deployer);
    const rootPublisher = m.getParameter("rootPublisher", deployer);
    const badgeMinter = m.getParameter("badgeMinter", deployer);
    const relayer = m.getParameter("relayer", deployer);
    const treasury = m.getParameter("treasury", deployer);
    const campaignId = m.getParameter<bigint>("campaignId");
    const publishDelay = m.getParameter<bigint>("publishDelay");

    const payouts = m.contract("ReferralPayouts", [campaignId, deployer, payoutSigner, guardian]);
    const tokens: Record<string, NamedArtifactContractDeploymentFuture<"RewardToken">> = {};
    const distributors: Record<
      string,
      NamedArtifactContractDeploymentFuture<"RewardDistributor">
    > = {};
    // The token argument per symbol: a deployed RewardToken, or an external token's address.
    const tokenArgs: Record<
      string,
      | NamedArtifactContractDeploymentFuture<"RewardToken">
      | ReturnType<typeof m.getParameter<string>>
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
      const maxBatch = m.getParameter<bigint>(`${symbol}_maxBatch`);
      const daily = m.getParameter<bigint>(`${symbol}_daily`);
      m.call(token, "grantRole", [MINTER_ROLE, payouts], { id: `${symbol}_grantMinterToPayouts` });
      m.call(token, "grantRole", [PAUSER_ROLE, guardian], {
        id: `${symbol}_grantPauserToGuardian`,
      });
      m.call(
        payouts,
        "setBudget",
        [token, m.getParameter<bigint>(`${symbol}_budget`), maxBatch, daily, false],
        { id: `${symbol}_setBudget` },
      );
      const distributor = m.contract(
        "RewardDistributor",
        [token, deployer, rootPublisher, payoutSigner, guardian, treasury, publishDelay, true],
        { id: `${symbol}_distributor` },
      );
      m.call(distributor, "setReleaseLimits", [maxBatch, daily], {
        id: `${symbol}_setReleaseLimits`,
      });
      distributors[symbol] = distributor;
      tokens[symbol] = token;
      tokenArgs[symbol] = token;
    }
    for (const symbol of shape.external ?? []) {
      const token = m.getParameter<string>(`${symbol}_address`);
      const maxBatch = m.getParameter<bigint>(`${symbol}_maxBatch`);
      const daily = m.getParameter<bigint>(`${symbol}_daily`);
      m.call(
        payouts,
        "setBudget",
        [token, m.getParameter<bigint>(`${symbol}_budget`), maxBatch, daily, true],
        { id: `${symbol}_setBudget` },
      );
      const distributor = m.contract(
        "RewardDistributor",
        [token, deployer, rootPublisher, payoutSigner, guardian, treasury, publishDelay, false],
        { id: `${symbol}_distributor` },
      );
      m.call(distributor, "setReleaseLimits", [maxBatch, daily], {
        id: `${symbol}_setReleaseLimits`,
      });
      distributors[symbol] = distributor;
      tokenArgs[symbol] = token;
    }

    const badges = m.contract("Badges", [deployer, badgeMinter]);
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

    const shop = m.contract("PerkShop", [deployer, relayer, treasury]);
    shape.perks.forEach((symbol, i) => {
      const n = i + 1;
      const token = tokenArgs[symbol];
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

    // The admin role: the deployer keeps it only when it is the admin; otherwise it starts the
    // two-step transfer, after everything above is configured.
    if (shape.handOver) {
      const adminOf = [
        ["payouts", payouts],
        ["badges", badges],
        ["shop", shop],
        ...Object.entries(tokens),
        ...Object.entries(distributors).map(([s, d]) => [`${s}_distributor`, d] as const),
      ] as const;
      for (const [name, contract] of adminOf) {
        m.call(contract, "beginDefaultAdminTransfer", [admin], {
          id: `${name}_beginAdminTransfer`,
        });
      }
    }

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
