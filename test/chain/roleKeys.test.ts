/**
 * One key per backend role (issue 12): the payout signer, root publisher, badge minter and
 * relayer each come from `<ROLE>_PRIVATE_KEY` or `<ROLE>_KEYSTORE`. Production refuses a role
 * key used twice (also two keystore files holding one key) and a missing key a configured job
 * needs; development lets one key act for every role.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { generatePrivateKey, privateKeyToAccount, privateKeyToAddress } from "viem/accounts";
import { BACKEND_ROLES, loadChainSettings } from "../../server/chain/config.ts";
import { evmPublicClient } from "../../server/chain/evm/client.ts";
import { EvmDriver } from "../../server/chain/evm/driver.ts";
import { encryptKeystore } from "../../server/chain/keystore.ts";
import { loadRoleAccounts, rolesNeeded } from "../../server/chain/signer.ts";
import { ConfigError } from "../../server/config.ts";

const KEYS = {
  PAYOUT_SIGNER: generatePrivateKey(),
  ROOT_PUBLISHER: generatePrivateKey(),
  BADGE_MINTER: generatePrivateKey(),
  RELAYER: generatePrivateKey(),
};
const ALL_KEYS = Object.fromEntries(
  Object.entries(KEYS).map(([prefix, key]) => [`${prefix}_PRIVATE_KEY`, key]),
);
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "refmint-roles-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(run: () => unknown): Promise<ConfigError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    for (const key of Object.values(KEYS))
      assert.doesNotMatch(error.message, new RegExp(key.slice(2)), "never prints a key");
    return error;
  }
  assert.fail("expected a ConfigError");
}

test("development: one key acts for every role; a role's own key overrides it", async () => {
  const shared = loadChainSettings({ PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER });
  assert.equal(shared.production, false);
  const accounts = await loadRoleAccounts(shared);
  for (const role of BACKEND_ROLES)
    assert.equal(accounts[role]?.address, privateKeyToAddress(KEYS.PAYOUT_SIGNER), role);
  assert.equal(
    shared.keys.relayer.kind !== "none" && shared.keys.relayer.sharedWith,
    "PAYOUT_SIGNER_PRIVATE_KEY",
  );

  const own = await loadRoleAccounts(
    loadChainSettings({
      PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER,
      RELAYER_PRIVATE_KEY: KEYS.RELAYER,
    }),
  );
  assert.equal(own.relayer?.address, privateKeyToAddress(KEYS.RELAYER));
  assert.equal(own.rootPublisher?.address, privateKeyToAddress(KEYS.PAYOUT_SIGNER));
});

test("production: four keys, one per role, no fallback to the payout signer", async () => {
  const settings = loadChainSettings({ NODE_ENV: "production", ...ALL_KEYS });
  const accounts = await loadRoleAccounts(settings, rolesNeeded(settings, { perkShops: true }));
  assert.equal(accounts.payoutSigner?.address, privateKeyToAddress(KEYS.PAYOUT_SIGNER));
  assert.equal(accounts.rootPublisher?.address, privateKeyToAddress(KEYS.ROOT_PUBLISHER));
  assert.equal(accounts.badgeMinter?.address, privateKeyToAddress(KEYS.BADGE_MINTER));
  assert.equal(accounts.relayer?.address, privateKeyToAddress(KEYS.RELAYER));

  const onlySigner = loadChainSettings({
    NODE_ENV: "production",
    PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER,
  });
  assert.equal(onlySigner.keys.rootPublisher.kind, "none");
  // A driver built with the one key and no per-role accounts: in production only the payout
  // signer acts with it (no request is made: the client is never used).
  const driver = new EvmDriver({
    client: evmPublicClient("http://127.0.0.1:9", 31337),
    chainId: 31337,
    account: privateKeyToAccount(KEYS.PAYOUT_SIGNER),
    production: onlySigner.production,
  });
  assert.equal(driver.addressFor("payoutSigner"), privateKeyToAddress(KEYS.PAYOUT_SIGNER));
  assert.equal(driver.addressFor("rootPublisher"), undefined);
});

test("production refuses one key under two roles, naming the second variable", async () => {
  const error = await configError(() =>
    loadChainSettings({
      NODE_ENV: "production",
      ...ALL_KEYS,
      RELAYER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER.slice(2).toUpperCase(),
    }),
  );
  assert.deepEqual(
    error.issues.map((i) => i.variable),
    ["RELAYER_PRIVATE_KEY"],
  );
  assert.match(error.issues[0]!.message, /same key as PAYOUT_SIGNER_PRIVATE_KEY/);
});

test("production refuses two keystore files that hold the same key (compared once decrypted)", async () => {
  const files = ["a.json", "b.json"].map((f) => path.join(dir, f));
  for (const file of files)
    await writeFile(
      file,
      JSON.stringify(encryptKeystore(KEYS.ROOT_PUBLISHER, "pw-roles-123", { n: 1 << 10 })),
    );
  const settings = loadChainSettings({
    NODE_ENV: "production",
    PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER,
    ROOT_PUBLISHER_KEYSTORE: files[0]!,
    ROOT_PUBLISHER_KEYSTORE_PASSWORD: "pw-roles-123",
    RELAYER_KEYSTORE: files[1]!,
    RELAYER_KEYSTORE_PASSWORD: "pw-roles-123",
  });
  const error = await configError(() => loadRoleAccounts(settings));
  assert.equal(error.issues[0]?.variable, "RELAYER_KEYSTORE");
  assert.match(error.issues[0]!.message, /same key .* as ROOT_PUBLISHER/);
  // Outside production the same files are fine (development may share keys).
  const dev = loadChainSettings({
    PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER,
    ROOT_PUBLISHER_KEYSTORE: files[0]!,
    ROOT_PUBLISHER_KEYSTORE_PASSWORD: "pw-roles-123",
    RELAYER_KEYSTORE: files[1]!,
    RELAYER_KEYSTORE_PASSWORD: "pw-roles-123",
  });
  const accounts = await loadRoleAccounts(dev);
  assert.equal(accounts.relayer?.address, accounts.rootPublisher?.address);
});

test("production refuses a missing key for a job in use, and only then", async () => {
  const env = { NODE_ENV: "production", PAYOUT_SIGNER_PRIVATE_KEY: KEYS.PAYOUT_SIGNER };
  const all = loadChainSettings(env);
  const error = await configError(() =>
    loadRoleAccounts(all, rolesNeeded(all, { perkShops: true })),
  );
  assert.deepEqual(
    error.issues.map((i) => i.variable),
    ["ROOT_PUBLISHER_PRIVATE_KEY", "RELAYER_PRIVATE_KEY"],
  );
  // No perk shop deployed: the relayer is not needed.
  const noShop = await configError(() =>
    loadRoleAccounts(all, rolesNeeded(all, { perkShops: false })),
  );
  assert.deepEqual(
    noShop.issues.map((i) => i.variable),
    ["ROOT_PUBLISHER_PRIVATE_KEY"],
  );
  // An indexer-only process needs no key at all.
  const indexer = loadChainSettings({ NODE_ENV: "production", CHAIN_JOBS: "indexer" });
  assert.deepEqual(await loadRoleAccounts(indexer, rolesNeeded(indexer, { perkShops: true })), {});
  // The epoch publisher alone needs only the root publisher.
  const epochs = loadChainSettings({ NODE_ENV: "production", CHAIN_JOBS: "epochs" });
  assert.deepEqual([...rolesNeeded(epochs, { perkShops: true })], ["rootPublisher"]);
});
