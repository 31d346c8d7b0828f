import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { network } from "hardhat";
import type { JsonRpcServer } from "hardhat/types/network";
import { getAddress, keccak256, parseUnits, toHex, zeroHash } from "viem";
import {
  DeployConfigError,
  type DeploymentFile,
  deployCampaign,
  publishDelayOf,
  resolveRoles,
} from "../../scripts/lib/deployCampaign.ts";
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
    const [deployer] = await connection.viem.getWalletClients();
    // The admin is not the deployer here: the deployer started the two-step hand-over, the
    // admin's key (a local account) accepted it, and the deployer holds no role at all.
    assert.equal(file.adminHandOver, "accepted");
    assert.equal(file.publishDelaySeconds, definition.escrow.publishDelayHours * 3600);
    const roleNames = [
      "MINTER_ROLE",
      "PAUSER_ROLE",
      "PAYOUT_ROLE",
      "PUBLISHER_ROLE",
      "RELEASER_ROLE",
      "GUARDIAN_ROLE",
      "RELAYER_ROLE",
    ];
    const everyRole = [zeroHash, ...roleNames.map((n) => keccak256(toHex(n)))];
    for (const t of definition.tokens) {
      const token = await connection.viem.getContractAt("RewardToken", file.tokens[t.symbol].token);
      assert.equal(await token.read.cap(), parseUnits(t.cap!, t.decimals));
      // The per-batch and rolling daily limits come from the campaign file, not the budget.
      const [limit, , maxBatchAmount, dailyLimit] = await payouts.read.budgetOf([
        file.tokens[t.symbol].token,
      ]);
      assert.equal(limit, parseUnits(t.budget, t.decimals));
      assert.equal(maxBatchAmount, parseUnits(t.maxBatchAmount, t.decimals));
      assert.equal(dailyLimit, parseUnits(t.dailyLimit, t.decimals));
      assert.ok(maxBatchAmount < limit, "the per-batch limit guards something");
      const distributor = await connection.viem.getContractAt(
        "RewardDistributor",
        file.tokens[t.symbol].distributor,
      );
      assert.deepEqual((await distributor.read.releaseLimits()).slice(0, 2), [
        maxBatchAmount,
        dailyLimit,
      ]);
      assert.equal(await distributor.read.publishDelay(), BigInt(file.publishDelaySeconds));
      for (const c of [token, distributor]) {
        assert.equal(await c.read.hasRole([zeroHash, roles.admin]), true);
        for (const r of everyRole)
          assert.equal(await c.read.hasRole([r, deployer.account.address]), false);
      }
    }
    for (const c of [
      payouts,
      await connection.viem.getContractAt("Badges", file.badges),
      await connection.viem.getContractAt("PerkShop", file.perkShop),
    ])
      for (const r of everyRole)
        assert.equal(await c.read.hasRole([r, deployer.account.address]), false);
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

test("outside development each backend role needs its own key, and roots must wait for a veto", () => {
  const [deployer, admin, a, b, c, d] = [
    "0x0000000000000000000000000000000000000001",
    "0x0000000000000000000000000000000000000002",
    "0x0000000000000000000000000000000000000003",
    "0x0000000000000000000000000000000000000004",
    "0x0000000000000000000000000000000000000005",
    "0x0000000000000000000000000000000000000006",
  ] as const;
  // One key for everything: fine on the local chain.
  const dev = resolveRoles({ backend: a }, deployer, 31337);
  assert.deepEqual(
    [dev.payoutSigner, dev.rootPublisher, dev.badgeMinter, dev.relayer, dev.admin, dev.guardian],
    [a, a, a, a, deployer, deployer].map((x) => getAddress(x)),
  );
  // Refused on a real chain, naming the clash.
  assert.throws(() => resolveRoles({ admin, backend: a }, deployer, 8453), DeployConfigError);
  assert.throws(
    () =>
      resolveRoles(
        { admin, payoutSigner: a, rootPublisher: b, badgeMinter: c, relayer: admin },
        deployer,
        8453,
      ),
    /--relayer is the same key as the admin/,
  );
  assert.throws(
    () =>
      resolveRoles(
        { admin, payoutSigner: a, rootPublisher: a, badgeMinter: c, relayer: d },
        deployer,
        8453,
      ),
    /--root-publisher is the same key as the payout-signer/,
  );
  assert.throws(() => resolveRoles({ admin }, deployer, 8453), /Set --payout-signer/);
  const prod = resolveRoles(
    { admin, payoutSigner: a, rootPublisher: b, badgeMinter: c, relayer: d },
    deployer,
    8453,
  );
  assert.equal(prod.guardian, getAddress(admin));
  assert.equal(prod.treasury, getAddress(admin));
  // A publish delay of zero is for development only.
  assert.equal(publishDelayOf(definition, 31337), 0);
  assert.throws(() => publishDelayOf(definition, 8453), /publishDelayHours is 0/);
  assert.equal(publishDelayOf({ ...definition, escrow: { publishDelayHours: 24 } }, 8453), 86_400);
});
