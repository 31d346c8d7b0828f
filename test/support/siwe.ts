/** SIWE (EIP-4361) messages built and signed with viem local accounts. */
import { type Hex, keccak256, type LocalAccount, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { DomainContext } from "../../server/domain/context.ts";
import {
  createSignatureVerifier,
  issueNonce,
  type LinkResult,
  linkWallet,
  type SiweSettings,
} from "../../server/domain/wallets.ts";

/** A deterministic account per label (never use these keys anywhere real). */
export function testAccount(label: string): LocalAccount {
  return privateKeyToAccount(keccak256(toHex(`refmint-test-key:${label}`)));
}

export interface SiweFields {
  address: `0x${string}`;
  domain: string;
  uri: string;
  chainId: number;
  nonce: string;
  /** Default: now. Strings (e.g. the nonce endpoint's `issuedAt`) are parsed. */
  issuedAt?: Date | string;
  expirationTime?: Date;
  notBefore?: Date;
  statement?: string;
}

export function buildSiweMessage(f: SiweFields): string {
  return createSiweMessage({
    address: f.address,
    domain: f.domain,
    uri: f.uri,
    chainId: f.chainId,
    nonce: f.nonce,
    version: "1",
    issuedAt: f.issuedAt === undefined ? new Date() : new Date(f.issuedAt),
    expirationTime: f.expirationTime,
    notBefore: f.notBefore,
    statement: f.statement ?? "Link this wallet to my Refmint account to receive rewards.",
  });
}

export async function signSiwe(account: LocalAccount, message: string): Promise<Hex> {
  if (!account.signMessage) throw new Error("account cannot sign messages");
  return account.signMessage({ message });
}

export const TEST_SIWE: SiweSettings = {
  domain: "app.refmint.test",
  uri: "https://app.refmint.test",
  chainId: 31337,
  nonceTtlSeconds: 600,
};

/** Links `account` to `memberId` through the real SIWE path (nonce, message, signature). */
export async function linkTestWallet(
  ctx: DomainContext,
  memberId: number,
  account: LocalAccount,
  s: SiweSettings = TEST_SIWE,
): Promise<LinkResult> {
  const n = await issueNonce(ctx, memberId, s);
  const message = buildSiweMessage({
    address: account.address,
    domain: s.domain,
    uri: s.uri,
    chainId: s.chainId,
    nonce: n.nonce,
    issuedAt: ctx.now(),
  });
  return linkWallet(
    ctx,
    memberId,
    { message, signature: await signSiwe(account, message) },
    s,
    createSignatureVerifier(),
  );
}
