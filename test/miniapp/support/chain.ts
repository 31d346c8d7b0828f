/**
 * The dashboard tests' chain: the shared harness (test/support/chain.ts) with the demo
 * campaign under a slug of its own (so its Ignition journal never meets another test's or the
 * dev stack's), fraud checks relaxed: every test member shares one IP and device.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type CampaignDefinition,
  parseCampaignDefinition,
} from "../../../server/domain/campaign.ts";
import { type CampaignChain, SIGNER_KEY, startCampaignChain } from "../../support/chain.ts";
import { ROOT } from "./build.ts";

/** The campaign's backend signer (Hardhat's test account #1, a public key: tests only). */
export const BACKEND_KEY = SIGNER_KEY;
export type TestChain = CampaignChain;

export async function startTestChain(): Promise<TestChain> {
  const demo = parseCampaignDefinition(
    JSON.parse(await readFile(path.join(ROOT, "campaigns/demo.json"), "utf8")),
    "demo",
  );
  const campaign: CampaignDefinition = {
    ...demo,
    slug: `dash-test-${process.pid}`,
    fraud: { ...demo.fraud, maxRefereesPerIp: 1000, maxRefereesPerDevice: 1000 },
    variants: [],
  };
  return startCampaignChain(campaign);
}
