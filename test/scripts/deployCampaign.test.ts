import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { network } from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { keccak256, parseUnits, toHex, zeroHash } from "viem";
import { type DeploymentFile, deployCampaign } from "../../scripts/lib/deployCampaign.ts";
import { parseCampaignDefinition } from "../../server/domain/campaign.ts";

const campaign = parseCampaignDefinition(
  JSON.parse(await readFile("campaigns/demo.json", "utf8")),
  "demo",
);
// A slug of its own, so this test's Ignition journal never meets the dev stack's.
const definition = { ...campaign, slug: `deploy-test-${process.pid}` };
let chain: JsonRpcServer;
let url: string;
let dir: string;

before(async () => {
  chain = await network.createServer("default", "127.0.0.1", 0);
  const { address, port } = await chain.listen();
  url = `http://${address}:${port}`;
  dir = await mkdtemp(path.join(tmpdir(), "refmint-deploy-"));
});

after(async () => {
  await chain.close();
  await rm(dir, { recursive: true, force: true });
  await rm(`ignition/deployments/${definition.slug}-31337`, { recursive: true, force: true });
});

test("deploys a campaign file, writes its deployment file, and a re-run resumes instead of redeploying", async () => {
  const connection = await network.create({ network: "localhost", override: { url } });
  try {
    const [, backend, admin, treasury] = await connection.viem.getWalletClients();
    const publicClient = await connection.viem.getPublicClient();
    const roles = {
      backend: backend.account.address,
      admin: admin.account.address,
      treasury: treasury.account.address,
    };
    const options = { deploymentsDir: dir, metadataBaseUrl: "https://refmint.example/" };
    const first = await deployCampaign(connection, definition, roles, options);

    const file = JSON.parse(
      await readFile(path.join(dir, "31337", `${definition.slug}.json`), "utf8"),
    ) as DeploymentFile;
    assert.deepEqual(file, first);
    assert.equal(file.campaignId, definition.onchainId);
    assert.deepEqual(
      Object.keys(file.tokens).sort(),
      definition.tokens.map((t) => t.symbol).sort(),
    );

    const payouts = await connection.viem.getContractAt("ReferralPayouts", file.referralPayouts);
    assert.equal(await payouts.read.campaignId(), BigInt(definition.onchainId));
    assert.equal(
      await payouts.read.hasRole([keccak256(toHex("PAYOUT_ROLE")), roles.backend]),
      true,
    );
    for (const t of definition.tokens) {
      const token = await connection.viem.getContractAt("RewardToken", file.tokens[t.symbol].token);
      assert.equal(await token.read.cap(), parseUnits(t.cap, t.decimals));
      const [limit] = await payouts.read.budgetOf([file.tokens[t.symbol].token]);
      assert.equal(limit, parseUnits(t.budget, t.decimals));
      // The admin is not the deployer here, so the deployer handed every admin role over.
      assert.equal(await token.read.hasRole([zeroHash, roles.admin]), true);
      const [deployer] = await connection.viem.getWalletClients();
      assert.equal(await token.read.hasRole([zeroHash, deployer.account.address]), false);
    }
    const badges = await connection.viem.getContractAt("Badges", file.badges);
    for (const b of definition.badges) {
      assert.equal(
        await badges.read.uri([BigInt(b.id)]),
        `https://refmint.example/badges/${definition.slug}/${b.id}.json`,
      );
    }
    const shop = await connection.viem.getContractAt("PerkShop", file.perkShop);
    assert.equal(await shop.read.perkCount(), BigInt(definition.perks.length));

    const blockAfterFirst = await publicClient.getBlockNumber();
    const second = await deployCampaign(connection, definition, roles, options);
    assert.equal(second.referralPayouts, first.referralPayouts);
    assert.equal(second.startBlock, first.startBlock);
    assert.equal(
      await publicClient.getBlockNumber(),
      blockAfterFirst,
      "a resumed deployment sends nothing",
    );
  } finally {
    await connection.close();
  }
});
