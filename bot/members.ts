/**
 * The member behind each update and their `/language` choice, loaded for the updates in
 * flight together (see batch.ts): one read for all of them, one transaction creating the new
 * ones, one read of the language choices. A lone update takes the single-member path, which
 * PGlite's exact read cache serves without touching the database.
 */
import {
  type AttributeInput,
  type AttributeResult,
  attributeMany,
} from "../server/domain/attribution.ts";
import type { DomainContext } from "../server/domain/context.ts";
import { type BotLanguage, languageOverrides } from "../server/domain/language.ts";
import {
  ensureMembers,
  type MemberView,
  type TelegramUserInput,
} from "../server/domain/members.ts";
import { issueLoginTokens } from "../server/domain/webLogin.ts";
import { Coalescer } from "./batch.ts";

export interface LoadedMember {
  member: MemberView;
  /** Created by this very update (their first contact). */
  created: boolean;
  /** Their `/language` choice (never set for a member created just now). */
  language?: BotLanguage;
}

export function memberLoader(
  domain: Pick<DomainContext, "db" | "now">,
): Coalescer<TelegramUserInput, LoadedMember> {
  return new Coalescer<TelegramUserInput, LoadedMember>(async (users) => {
    // One update is a batch of one (both reads below are then the cached single reads).
    const loaded = await ensureMembers(domain, users);
    const languages = await languageOverrides(
      domain.db,
      loaded.filter((l) => !l.created).map((l) => l.member.id),
    );
    return loaded.map((l) => ({ ...l, language: languages.get(l.member.id) }));
  });
}

/** Single-use login tokens (web dashboard mode), issued for many replies in one insert. */
export function loginTokenIssuer(
  domain: Pick<DomainContext, "db" | "now">,
): Coalescer<number, { token: string; expiresAt: Date }> {
  return new Coalescer((memberIds) => issueLoginTokens(domain, memberIds));
}

/**
 * Attributions of the `/start <code>` updates handled together: decided one by one, in
 * arrival order, but in one transaction under one take of the attribution lock.
 */
export function attributionBatcher(
  domain: DomainContext,
): Coalescer<AttributeInput, { ok: AttributeResult } | { error: unknown }> {
  // Smaller batches: on PGlite a transaction holds the database, webhook acks included.
  return new Coalescer((inputs) => attributeMany(domain, inputs), 50);
}
