/**
 * A campaign's deployed contract addresses: `deployments/<chainId>/<slug>.json`, written by
 * the deploy script. Before the first deploy the file does not exist and the server runs
 * without chain addresses; this loader is deliberately tolerant of that.
 *
 * Shape (scripts/lib/deployCampaign.ts writes it; unknown fields are kept in `raw`):
 * `{ "slug", "campaignId", "chainId", "startBlock", "deployedAt", "referralPayouts": "0x…",
 *    "badges": "0x…", "perkShop": "0x…", "tokens": { "REF": { "token": "0x…", "distributor": "0x…" } },
 *    "publishDelaySeconds", "adminHandOver",
 *    "roles": { "admin", "guardian", "payoutSigner", "rootPublisher", "badgeMinter", "relayer",
 *               "treasury" } }`
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type Address, getAddress, isAddress } from "viem";
import { z } from "zod";

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "expected a 0x address")
  .transform((v) => getAddress(v));

const deploymentSchema = z.looseObject({
  chainId: z.number().int().positive().optional(),
  campaignId: z.number().int().min(0).optional(),
  startBlock: z.number().int().min(0).optional(),
  roles: z
    .looseObject({
      admin: address.optional(),
      guardian: address.optional(),
      payoutSigner: address.optional(),
      rootPublisher: address.optional(),
      badgeMinter: address.optional(),
      relayer: address.optional(),
      treasury: address.optional(),
    })
    .optional(),
  referralPayouts: address.optional(),
  badges: address.optional(),
  perkShop: address.optional(),
  tokens: z
    .record(
      z.string(),
      z.looseObject({ token: address.optional(), distributor: address.optional() }),
    )
    .optional(),
});

export interface CampaignDeployment {
  chainId: number;
  /** Block before the first contract: where an indexer starts. */
  startBlock?: number;
  /** Who holds which role on the contracts (one key per backend role outside development). */
  roles?: {
    admin?: Address;
    guardian?: Address;
    payoutSigner?: Address;
    rootPublisher?: Address;
    badgeMinter?: Address;
    relayer?: Address;
    treasury?: Address;
  };
  referralPayouts?: Address;
  badges?: Address;
  perkShop?: Address;
  tokens: Record<string, { token?: Address; distributor?: Address }>;
  /** The whole file, for fields this module does not model. */
  raw: Record<string, unknown>;
}

export type DeploymentLoadResult =
  | { status: "missing" }
  | { status: "invalid"; error: string }
  | { status: "ok"; deployment: CampaignDeployment };

/**
 * Reads the deployment file of `slug` on `chainId`; never throws for a missing or bad file.
 * A file for another chain or another on-chain campaign id is reported as invalid.
 */
export async function loadDeployment(
  dir: string,
  chainId: number,
  slug: string,
  expectedCampaignId?: number,
): Promise<DeploymentLoadResult> {
  const file = path.join(dir, String(chainId), `${slug}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "invalid", error: `${file}: ${(error as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { status: "invalid", error: `${file}: not valid JSON (${(error as Error).message})` };
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    return {
      status: "invalid",
      error: `${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    };
  }
  const d = parsed.data;
  if (d.chainId !== undefined && d.chainId !== chainId) {
    return { status: "invalid", error: `${file}: chainId ${d.chainId} does not match ${chainId}` };
  }
  if (
    expectedCampaignId !== undefined &&
    d.campaignId !== undefined &&
    d.campaignId !== expectedCampaignId
  ) {
    return {
      status: "invalid",
      error: `${file}: campaignId ${d.campaignId} does not match onchainId ${expectedCampaignId}`,
    };
  }
  return {
    status: "ok",
    deployment: {
      chainId,
      startBlock: d.startBlock,
      roles: d.roles,
      referralPayouts: d.referralPayouts,
      badges: d.badges,
      perkShop: d.perkShop,
      tokens: d.tokens ?? {},
      raw: d,
    },
  };
}
