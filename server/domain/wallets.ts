/**
 * Wallet linking with Sign-In with Ethereum (EIP-4361).
 *
 * 1. `issueNonce`: a random single-use nonce bound to the member, valid for a few minutes.
 * 2. `linkWallet`: the signed message must name our domain, our URI's origin, our chain
 *    id, that nonce (unused, unexpired, this member's), a sane issued-at and no passed
 *    expiration; the signature must come from the address (EOA recovery, or ERC-1271 /
 *    ERC-6492 through the public client for contract wallets). Only then, in one
 *    transaction, the nonce is consumed, the wallet linked (or re-linked, which is logged)
 *    and a referral waiting for "wallet linked" qualifies.
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, lt, ne, notInArray } from "drizzle-orm";
import {
  type Address,
  getAddress,
  type Hex,
  isAddress,
  isAddressEqual,
  isHex,
  type PublicClient,
  recoverMessageAddress,
} from "viem";
import { parseSiweMessage, verifySiweMessage } from "viem/siwe";
import { invalidateReads, pgErrorCode, transaction } from "../db/index.ts";
import { members, memberWallets, siweNonces, walletEvents } from "../db/schema.ts";
import { writeAudit } from "./audit.ts";
import { detectAfterQualification, detectChallenges } from "./challengeProgress.ts";
import type { DomainContext } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  emitOutcome,
  primaryOutcome,
  type QualifyOutcome,
  qualifyAllInTx,
} from "./qualification.ts";
import { memberTag } from "./readTags.ts";
import { assertNotScreened } from "./screening.ts";

export interface SiweSettings {
  /** RFC 3986 authority the message must name (the Mini App's host). */
  domain: string;
  /** The message URI must have this origin. */
  uri: string;
  chainId: number;
  nonceTtlSeconds: number;
  /** Tolerated clock difference between wallet and server. */
  clockSkewSeconds?: number;
}

export interface IssuedNonce {
  nonce: string;
  issuedAt: Date;
  expiresAt: Date;
  domain: string;
  uri: string;
  chainId: number;
  statement: string;
}

export const SIWE_STATEMENT = "Link this wallet to my Refmint account to receive rewards.";
const MAX_MESSAGE_LENGTH = 4096;

/**
 * Open (unused, unexpired) nonces a member may hold at once: a few wallet windows or tabs
 * can sign in parallel, but a client asking in a loop cannot fill the table.
 */
export const MAX_OPEN_NONCES = 5;

/**
 * Creates a nonce for `memberId`. Their other open nonces stay valid until they expire,
 * except that beyond {@link MAX_OPEN_NONCES} the oldest are dropped (and expired unused
 * ones with them); the new nonce is always kept.
 */
export async function issueNonce(
  ctx: Pick<DomainContext, "db" | "now">,
  memberId: number,
  s: SiweSettings,
): Promise<IssuedNonce> {
  const now = ctx.now();
  // 128 bits from the OS CSPRNG; hex is alphanumeric as EIP-4361 requires.
  const nonce = randomBytes(16).toString("hex");
  const expiresAt = new Date(now.getTime() + s.nonceTtlSeconds * 1000);
  await transaction(ctx.db, async (tx) => {
    // One issuance per member at a time, so concurrent requests cannot both keep the cap.
    const [member] = await tx
      .select({ id: members.id })
      .from(members)
      .where(eq(members.id, memberId))
      .for("update");
    if (!member) throw new DomainError("member_not_found", `no member ${memberId}`, { memberId });
    await tx.insert(siweNonces).values({ nonce, memberId, createdAt: now, expiresAt });
    const open = and(
      eq(siweNonces.memberId, memberId),
      isNull(siweNonces.usedAt),
      ne(siweNonces.nonce, nonce),
    );
    const keep = tx
      .select({ nonce: siweNonces.nonce })
      .from(siweNonces)
      .where(and(open, gt(siweNonces.expiresAt, now)))
      .orderBy(desc(siweNonces.createdAt), desc(siweNonces.nonce))
      .limit(MAX_OPEN_NONCES - 1);
    await tx.delete(siweNonces).where(and(open, notInArray(siweNonces.nonce, keep)));
  });
  return {
    nonce,
    issuedAt: now,
    expiresAt,
    domain: s.domain,
    uri: s.uri,
    chainId: s.chainId,
    statement: SIWE_STATEMENT,
  };
}

/** Checks a signature of `message` by `address`. */
export type SignatureVerifier = (p: {
  address: Address;
  message: string;
  signature: Hex;
  siwe: { domain: string; nonce: string; time: Date };
}) => Promise<boolean>;

/**
 * EOA signatures are recovered locally (no RPC needed); anything else is checked on-chain
 * through `client` (ERC-1271 contract wallets, ERC-6492 counterfactual ones) when given.
 */
export function createSignatureVerifier(client?: PublicClient): SignatureVerifier {
  return async ({ address, message, signature, siwe }) => {
    try {
      const recovered = await recoverMessageAddress({ message, signature });
      if (isAddressEqual(recovered, address)) return true;
    } catch {
      // Not a plain 65-byte ECDSA signature: may still be a contract wallet's.
    }
    if (!client) return false;
    return verifySiweMessage(client, {
      message,
      signature,
      address,
      domain: siwe.domain,
      nonce: siwe.nonce,
      time: siwe.time,
    });
  };
}

function invalid(reason: string, message: string): DomainError {
  return new DomainError("siwe_invalid", message, { reason });
}

export interface LinkResult {
  address: Address;
  previousAddress: Address | null;
  relinked: boolean;
  /** The outcome to show (see `primaryOutcome`); every campaign's is in `qualifications`. */
  qualification: QualifyOutcome;
  /** One per campaign the member was referred in: one link qualifies in each that asks. */
  qualifications: QualifyOutcome[];
}

/** Verifies a signed SIWE message and links its address to `memberId` (see module doc). */
export async function linkWallet(
  ctx: DomainContext,
  memberId: number,
  input: { message: string; signature: string },
  s: SiweSettings,
  verify: SignatureVerifier,
): Promise<LinkResult> {
  const now = ctx.now();
  const skewMs = (s.clockSkewSeconds ?? 300) * 1000;
  if (input.message.length > MAX_MESSAGE_LENGTH) throw invalid("malformed", "message too long");
  if (!isHex(input.signature) || input.signature.length < 4 || input.signature.length > 16_384) {
    throw new DomainError("signature_invalid", "signature must be 0x-prefixed hex");
  }
  const signature = input.signature as Hex;
  const m = parseSiweMessage(input.message);
  if (
    !m.address ||
    !isAddress(m.address, { strict: false }) ||
    !m.domain ||
    !m.uri ||
    !m.nonce ||
    m.version !== "1" ||
    m.chainId === undefined
  ) {
    throw invalid("malformed", "not an EIP-4361 message");
  }
  const address = getAddress(m.address);
  // EIP-4361: "address … MUST be … EIP-55 mixed-case checksum encoded" (all lower or all
  // upper case is not, unless the address has no letters at all).
  if (m.address !== address)
    throw invalid("address_checksum", "the address must be EIP-55 checksummed (mixed case)");
  if (m.domain !== s.domain) throw invalid("domain", `message domain must be ${s.domain}`);
  if (!URL.canParse(m.uri) || new URL(m.uri).origin !== new URL(s.uri).origin) {
    throw invalid("uri", `message URI must be on ${new URL(s.uri).origin}`);
  }
  if (m.chainId !== s.chainId) throw invalid("chain_id", `message chain id must be ${s.chainId}`);
  if (!m.issuedAt || Number.isNaN(m.issuedAt.getTime()))
    throw invalid("issued_at", "issued-at is required");
  if (m.issuedAt.getTime() > now.getTime() + skewMs)
    throw invalid("issued_at", "issued-at is in the future");
  if (m.expirationTime && (Number.isNaN(m.expirationTime.getTime()) || m.expirationTime <= now)) {
    throw invalid("expired", "the message has expired");
  }
  if (
    m.notBefore &&
    (Number.isNaN(m.notBefore.getTime()) || m.notBefore.getTime() > now.getTime() + skewMs)
  ) {
    throw invalid("not_yet_valid", "the message is not valid yet");
  }

  // Read-only nonce check first so a stale or foreign nonce never costs a signature check.
  const [nonceRow] = await ctx.db
    .select()
    .from(siweNonces)
    .where(and(eq(siweNonces.nonce, m.nonce), eq(siweNonces.memberId, memberId)));
  if (!nonceRow || nonceRow.usedAt !== null || nonceRow.expiresAt <= now) {
    throw new DomainError("nonce_invalid", "unknown, used or expired nonce; request a new one");
  }
  if (m.issuedAt.getTime() < nonceRow.createdAt.getTime() - skewMs) {
    throw invalid("issued_at", "issued-at is before the nonce was issued");
  }
  const ok = await verify({
    address,
    message: input.message,
    signature,
    siwe: { domain: s.domain, nonce: m.nonce, time: now },
  });
  if (!ok) throw new DomainError("signature_invalid", "the signature does not match the address");
  // A listed address is refused before anything is written (the nonce stays usable).
  await assertNotScreened(ctx.db, address);

  let result: LinkResult;
  try {
    result = await transaction(ctx.db, async (tx) => {
      const consumed = await tx
        .update(siweNonces)
        .set({ usedAt: now })
        .where(
          and(
            eq(siweNonces.nonce, m.nonce as string),
            eq(siweNonces.memberId, memberId),
            isNull(siweNonces.usedAt),
            gt(siweNonces.expiresAt, now),
          ),
        )
        .returning({ nonce: siweNonces.nonce });
      if (consumed.length === 0) throw new DomainError("nonce_invalid", "nonce already used");
      const [taken] = await tx
        .select({ memberId: memberWallets.memberId })
        .from(memberWallets)
        .where(and(eq(memberWallets.address, address), ne(memberWallets.memberId, memberId)));
      if (taken) throw new DomainError("wallet_taken", "this wallet is linked to another member");
      const [current] = await tx
        .select()
        .from(memberWallets)
        .where(eq(memberWallets.memberId, memberId))
        .for("update");
      const previousAddress = current ? getAddress(current.address) : null;
      if (current?.address === address) {
        const qualifications = await qualifyAllInTx(ctx, tx, memberId, { type: "wallet_linked" });
        return {
          address,
          previousAddress,
          relinked: false,
          qualification: primaryOutcome(qualifications),
          qualifications,
        };
      }
      if (current) {
        await tx
          .update(memberWallets)
          .set({ address, chainId: s.chainId, linkedAt: now })
          .where(eq(memberWallets.memberId, memberId));
      } else {
        await tx
          .insert(memberWallets)
          .values({ memberId, address, chainId: s.chainId, linkedAt: now });
      }
      invalidateReads(tx, [memberTag(memberId)]);
      await tx.insert(walletEvents).values({
        memberId,
        address,
        previousAddress,
        action: current ? "relinked" : "linked",
        createdAt: now,
      });
      if (current) {
        await writeAudit(tx, {
          actor: `member:${memberId}`,
          action: "wallet.relinked",
          subjectType: "member",
          subjectId: memberId,
          details: { from: previousAddress, to: address },
          before: { wallet: previousAddress },
          after: { wallet: address },
          at: now,
        });
      }
      const qualifications = await qualifyAllInTx(ctx, tx, memberId, { type: "wallet_linked" });
      return {
        address,
        previousAddress,
        relinked: current !== undefined,
        qualification: primaryOutcome(qualifications),
        qualifications,
      };
    });
  } catch (error) {
    // Two members racing for one address: the unique constraint decides.
    if (pgErrorCode(error) === "23505")
      throw new DomainError("wallet_taken", "this wallet is linked to another member");
    throw error;
  }
  for (const q of result.qualifications) emitOutcome(ctx, q);
  // Challenges the link completes: the member's "link a wallet", the referrer's "invite N".
  await detectChallenges(ctx, memberId);
  for (const q of result.qualifications) await detectAfterQualification(ctx, q);
  return result;
}

/** Deletes nonces that expired long enough ago to be of no interest. */
export async function purgeNonces(ctx: Pick<DomainContext, "db" | "now">): Promise<void> {
  const cutoff = new Date(ctx.now().getTime() - 86_400_000);
  await ctx.db.delete(siweNonces).where(lt(siweNonces.expiresAt, cutoff));
}
