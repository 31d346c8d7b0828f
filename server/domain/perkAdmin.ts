/**
 * Perks changed through the admin API (issue 14): what an admin's create, change or retire
 * does to the campaign's rules. The change is the rules version in effect with one perk
 * added, changed or retired, so it goes the way of every rules change (`npm run
 * campaign:version`): a new version, the `PerkShop` calls planned from the chain, then
 * `updateRules` (server/chain/perkAdmin.ts plans and applies it; the API shows the plan first).
 *
 * This module decides only whether the change is valid, and writes nothing. Refused (a
 * {@link DomainError}, nothing written, nothing sent): an unknown perk (`perk_unknown`), a new
 * perk whose id is taken (`perk_exists`), a price that is not a positive amount of the token
 * or a token that is not the campaign's, a changed token (fixed on-chain: `perk_invalid`), an
 * end of sale in the past (`perk_expiry_past`), a tier or badge the campaign does not have
 * (`perk_requirement_unknown`), a stock below the units already redeemed
 * (`perk_stock_below_sold`).
 *
 * Retiring a perk stops its sale without removing it (perk ids on-chain are positions in the
 * file): its stock becomes what was sold, so none is left. Stock in the file counts every unit,
 * sold ones included (server/chain/versions.ts).
 */
import { parseUnits } from "viem";
import { type CampaignDefinition, tokenAmount, validateCampaignDefinition } from "./campaign.ts";
import { DomainError } from "./errors.ts";

export type PerkDefinition = CampaignDefinition["perks"][number];

/** The fields an admin sets; `null` clears an optional one (no end of sale, no requirement). */
export interface PerkFields {
  title?: { en: string; ru: string };
  token?: string;
  price?: string;
  /** Total units, sold ones included; `null`: unlimited. */
  stock?: number | null;
  expiresAt?: string | null;
  couponDays?: number | null;
  requires?: { tier?: string; badge?: number } | null;
}

export type PerkEdit =
  | {
      op: "create";
      id: string;
      fields: PerkFields & Required<Pick<PerkFields, "title" | "token" | "price">>;
    }
  | { op: "update"; id: string; fields: PerkFields }
  | { op: "retire"; id: string };

export interface EditedPerks {
  definition: CampaignDefinition;
  /** The perk's position on-chain (1..n). */
  perkId: number;
  before: PerkDefinition | null;
  after: PerkDefinition;
}

/** Units of a perk redeemed so far: what its file stock was minus what the chain has left. */
export function unitsSold(fileStock: number | null, chainStock: number, unlimited: number): number {
  return Math.max(0, (fileStock ?? unlimited) - chainStock);
}

/**
 * The campaign's rules with the edit applied, checked as a whole campaign file is (the same
 * validation, messages naming the field), plus what only the moment knows: the end of sale is
 * in the future, the stock is not below what was sold (`sold`, read from the chain).
 */
export function editPerks(
  from: CampaignDefinition,
  edit: PerkEdit,
  ctx: { now: Date; sold: number },
): EditedPerks {
  const index = from.perks.findIndex((p) => p.id === edit.id);
  const before = index >= 0 ? from.perks[index]! : null;
  if (edit.op === "create" && before)
    throw new DomainError("perk_exists", `perk ${edit.id} exists (perk ${index + 1})`, {
      perk: edit.id,
    });
  if (edit.op !== "create" && !before)
    throw new DomainError("perk_unknown", `no perk ${edit.id} in ${from.slug}`, {
      perk: edit.id,
    });
  let after: PerkDefinition;
  if (edit.op === "retire") after = { ...before!, stock: ctx.sold };
  else {
    const f = edit.fields;
    const base: PerkDefinition =
      before ?? ({ id: edit.id, stock: null } as unknown as PerkDefinition);
    after = { ...base };
    if (f.title !== undefined) after.title = f.title;
    if (f.token !== undefined) {
      if (before && f.token !== before.token)
        throw new DomainError(
          "perk_invalid",
          `perks.${edit.id}.token: a perk's token is fixed on-chain; create a new perk instead`,
          { field: "token" },
        );
      after.token = f.token;
    }
    if (f.price !== undefined) after.price = f.price;
    if (f.stock !== undefined) after.stock = f.stock;
    setOptional(after, "expiresAt", f.expiresAt);
    setOptional(after, "couponDays", f.couponDays);
    setOptional(after, "requires", f.requires);
    if (f.expiresAt && f.expiresAt !== before?.expiresAt) {
      const at = Date.parse(f.expiresAt);
      if (!Number.isFinite(at))
        throw new DomainError("perk_invalid", `perks.${edit.id}.expiresAt: not a date`, {
          field: "expiresAt",
        });
      if (at <= ctx.now.getTime())
        throw new DomainError(
          "perk_expiry_past",
          `perks.${edit.id}.expiresAt: ${f.expiresAt} is in the past`,
          { field: "expiresAt", expiresAt: f.expiresAt },
        );
    }
    checkPrice(from, edit.id, after);
    if (after.stock !== null && after.stock < ctx.sold)
      throw new DomainError(
        "perk_stock_below_sold",
        `perks.${edit.id}.stock: ${after.stock} is below the ${ctx.sold} units already redeemed (stock counts sold units too)`,
        { field: "stock", stock: after.stock, sold: ctx.sold },
      );
  }
  const perks = [...from.perks];
  if (index >= 0) perks[index] = after;
  else perks.push(after);
  const definition = validated({ ...from, perks }, edit.id);
  const position = index >= 0 ? index : perks.length - 1;
  return {
    definition,
    perkId: position + 1,
    before,
    after: definition.perks[position]!,
  };
}

function setOptional<K extends "expiresAt" | "couponDays" | "requires">(
  perk: PerkDefinition,
  key: K,
  value: PerkDefinition[K] | null | undefined,
): void {
  if (value === undefined) return;
  if (value === null) delete perk[key];
  else perk[key] = value;
}

/** A positive amount with no more decimals than the perk's token has. */
function checkPrice(from: CampaignDefinition, id: string, perk: PerkDefinition): void {
  const token = from.tokens.find((t) => t.symbol === perk.token);
  if (!token)
    throw new DomainError(
      "perk_invalid",
      `perks.${id}.token: ${perk.token} is not a token of ${from.slug}`,
      { field: "token" },
    );
  const ok = tokenAmount.safeParse(perk.price).success;
  const fraction = ok ? (perk.price.split(".")[1] ?? "").replace(/0+$/, "") : "";
  if (!ok || fraction.length > token.decimals || parseUnits(perk.price, token.decimals) <= 0n)
    throw new DomainError(
      "perk_invalid",
      `perks.${id}.price: expected a positive amount of ${token.symbol} with at most ${token.decimals} decimals, got ${JSON.stringify(perk.price)}`,
      { field: "price" },
    );
}

/** The edited rules checked as a campaign file; a requirement the campaign lacks has its own code. */
function validated(definition: CampaignDefinition, id: string): CampaignDefinition {
  const result = validateCampaignDefinition(definition);
  if (result.ok) return result.definition;
  const requirement = result.issues.find((i) =>
    /^perks\[\d+\]\.requires\.(tier|badge)$/.test(i.path),
  );
  if (requirement)
    throw new DomainError(
      "perk_requirement_unknown",
      `${requirement.path}: ${requirement.message}`,
      {
        perk: id,
        field: requirement.path,
      },
    );
  const detail = result.issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  throw new DomainError("perk_invalid", detail, { perk: id, issues: result.issues });
}
