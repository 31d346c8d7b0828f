/**
 * Our contracts on the configured chain, from the campaigns' deployment files: which
 * ReferralPayouts pays for which campaign, each token's address and distributor, the perk
 * shop and badges. The worker, the indexer and the epoch publisher all look addresses up here.
 */
import { type Address, getAddress } from "viem";
import type { Campaign, CampaignRegistry } from "../domain/registry.ts";

export interface TokenContracts {
  symbol: string;
  decimals: number;
  /** Most payouts per batch (the campaign file's `maxBatch`). */
  maxBatch: number;
  token: Address;
  distributor?: Address;
  /**
   * An external ERC-20 (the campaign file's `external`): paid from the vault, the
   * ReferralPayouts contract's own balance, instead of minted; it has no cap or pause of ours.
   */
  fromVault: boolean;
}

export interface CampaignContracts {
  campaign: Campaign;
  /** Database id. */
  id: number;
  slug: string;
  payouts: Address;
  perkShop?: Address;
  badges?: Address;
  /** The block before the deployment (the indexer starts after it). */
  startBlock: number;
  tokens: ReadonlyMap<string, TokenContracts>;
}

export interface TokenRef {
  campaign: CampaignContracts;
  token: TokenContracts;
}

const key = (a: string) => a.toLowerCase();

export class ContractIndex {
  #campaigns: readonly CampaignContracts[] = [];
  readonly #byPayouts = new Map<string, CampaignContracts>();
  /** By address: any campaign's (a token several campaigns share maps to one of them). */
  readonly #byToken = new Map<string, TokenRef>();
  /** By campaign and address: each campaign's own, a shared token included. */
  readonly #byCampaignToken = new Map<string, TokenRef>();
  readonly #byDistributor = new Map<string, TokenRef>();
  readonly #byShop = new Map<string, CampaignContracts>();
  readonly #byBadges = new Map<string, CampaignContracts>();
  readonly #byId = new Map<number, CampaignContracts>();

  constructor(campaigns: CampaignContracts[]) {
    this.#index(campaigns);
  }

  get campaigns(): readonly CampaignContracts[] {
    return this.#campaigns;
  }

  #index(campaigns: CampaignContracts[]): void {
    this.#campaigns = campaigns;
    for (const m of [
      this.#byPayouts,
      this.#byToken,
      this.#byCampaignToken,
      this.#byDistributor,
      this.#byShop,
      this.#byBadges,
      this.#byId,
    ])
      m.clear();
    for (const c of campaigns) {
      this.#byId.set(c.id, c);
      this.#byPayouts.set(key(c.payouts), c);
      if (c.perkShop) this.#byShop.set(key(c.perkShop), c);
      if (c.badges) this.#byBadges.set(key(c.badges), c);
      for (const t of c.tokens.values()) {
        this.#byToken.set(key(t.token), { campaign: c, token: t });
        this.#byCampaignToken.set(`${c.id}:${key(t.token)}`, { campaign: c, token: t });
        if (t.distributor) this.#byDistributor.set(key(t.distributor), { campaign: c, token: t });
      }
    }
  }

  /**
   * Rebuilds the index from `registry` in place (its campaigns reloaded, registrySync.ts), so
   * the jobs holding it see a campaign deployed since they started, and a new rules version.
   */
  reload(registry: CampaignRegistry): void {
    this.#index(ContractIndex.fromRegistry(registry).#campaigns as CampaignContracts[]);
  }

  /** Campaigns with a usable deployment in `registry`. */
  static fromRegistry(registry: CampaignRegistry): ContractIndex {
    const list: CampaignContracts[] = [];
    for (const campaign of registry.all()) {
      const d = campaign.deployment;
      if (!d?.referralPayouts) continue;
      const tokens = new Map<string, TokenContracts>();
      for (const def of campaign.definition.tokens) {
        const deployed = d.tokens[def.symbol];
        if (!deployed?.token) continue;
        tokens.set(def.symbol, {
          symbol: def.symbol,
          decimals: def.decimals,
          maxBatch: def.maxBatch,
          fromVault: def.external !== undefined,
          token: getAddress(deployed.token),
          distributor: deployed.distributor ? getAddress(deployed.distributor) : undefined,
        });
      }
      if (tokens.size === 0) continue;
      list.push({
        campaign,
        id: campaign.id,
        slug: campaign.slug,
        payouts: getAddress(d.referralPayouts),
        perkShop: d.perkShop,
        badges: d.badges,
        startBlock: d.startBlock ?? 0,
        tokens,
      });
    }
    return new ContractIndex(list);
  }

  get size(): number {
    return this.campaigns.length;
  }

  byId(id: number): CampaignContracts | undefined {
    return this.#byId.get(id);
  }
  bySlug(slug: string): CampaignContracts | undefined {
    return this.campaigns.find((c) => c.slug === slug);
  }
  byPayouts(address: string): CampaignContracts | undefined {
    return this.#byPayouts.get(key(address));
  }
  /**
   * Some campaign's token at `address`: enough to know the address is ours. Two campaigns may
   * share a token (an external ERC-20 each pays from its own vault, into its own distributor):
   * what depends on the campaign (its distributor, its symbol) is {@link tokenAt}'s.
   */
  byToken(address: string): TokenRef | undefined {
    return this.#byToken.get(key(address));
  }
  /** Campaign `campaignId`'s token at `address` (its own distributor, even for a shared token). */
  tokenAt(campaignId: number, address: string): TokenRef | undefined {
    return this.#byCampaignToken.get(`${campaignId}:${key(address)}`);
  }
  byDistributor(address: string): TokenRef | undefined {
    return this.#byDistributor.get(key(address));
  }
  byShop(address: string): CampaignContracts | undefined {
    return this.#byShop.get(key(address));
  }
  byBadges(address: string): CampaignContracts | undefined {
    return this.#byBadges.get(key(address));
  }
  token(campaignId: number, symbol: string): TokenRef | undefined {
    const campaign = this.#byId.get(campaignId);
    const token = campaign?.tokens.get(symbol);
    return campaign && token ? { campaign, token } : undefined;
  }

  /** Every address the indexer watches (of `only` those campaigns when given). */
  addresses(only?: readonly CampaignContracts[]): Address[] {
    const out: Address[] = [];
    for (const c of only ?? this.campaigns) {
      out.push(c.payouts);
      if (c.perkShop) out.push(c.perkShop);
      if (c.badges) out.push(c.badges);
      for (const t of c.tokens.values()) {
        out.push(t.token);
        if (t.distributor) out.push(t.distributor);
      }
    }
    return out;
  }

  /** Where indexing starts: the earliest deployment. */
  startBlock(): number {
    return Math.min(...this.campaigns.map((c) => c.startBlock));
  }
}
