/**
 * Keystores and the signer's configuration: Web3 Secret Storage v3 files decrypted with
 * node:crypto against known vectors (the specification's PBKDF2 vector; a scrypt file written
 * by ethers, an independent implementation, for Hardhat's test key #1), our own files round
 * trip, wrong passwords and malformed files are refused without leaking anything, and the
 * chain settings name every bad variable.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { privateKeyToAddress } from "viem/accounts";
import { loadChainSettings } from "../../server/chain/config.ts";
import { decryptKeystore, encryptKeystore, KeystoreError } from "../../server/chain/keystore.ts";
import { loadAccount } from "../../server/chain/signer.ts";
import { ConfigError } from "../../server/config.ts";

/** Hardhat's test account #1 (a public key pair; the dev backend signer). */
const SIGNER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
let dir: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "refmint-keystore-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("decrypts the Web3 Secret Storage specification's PBKDF2 test vector", async () => {
  const key = decryptKeystore(await fixture("keystore-pbkdf2-spec.json"), "testpassword");
  assert.equal(key, "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d");
});

test("decrypts a scrypt keystore written by ethers (Hardhat's test key #1, `Crypto` spelling)", async () => {
  const text = await fixture("keystore-scrypt-ethers.json");
  assert.equal(decryptKeystore(text, "refmint test keystore password"), SIGNER_KEY);
});

test("our keystores round trip, and other tools' checks hold (address, MAC)", async () => {
  const file = encryptKeystore(SIGNER_KEY, "correct horse battery staple", { n: 1 << 12 });
  assert.equal(file.version, 3);
  assert.equal(file.crypto.kdf, "scrypt");
  assert.equal(`0x${file.address}`, privateKeyToAddress(SIGNER_KEY).toLowerCase());
  assert.equal(decryptKeystore(JSON.stringify(file), "correct horse battery staple"), SIGNER_KEY);
  assert.doesNotMatch(JSON.stringify(file), new RegExp(SIGNER_KEY.slice(2)));
});

test("wrong passwords and malformed or unsupported files are refused, naming no secret", async () => {
  const good = encryptKeystore(SIGNER_KEY, "right password", { n: 1 << 12 });
  const cases: Array<[string, unknown, string, RegExp]> = [
    ["wrong password", good, "wrong password", /wrong password \(MAC mismatch\)/],
    ["not JSON", "{nope", "x", /not valid JSON/],
    ["version 1", { ...good, version: 1 }, "x", /version 1/],
    [
      "cbc cipher",
      { ...good, crypto: { ...good.crypto, cipher: "aes-128-cbc" } },
      "x",
      /cipher aes-128-cbc/,
    ],
    ["unknown kdf", { ...good, crypto: { ...good.crypto, kdf: "argon2" } }, "x", /kdf argon2/],
    [
      "address mismatch",
      { ...good, address: "0000000000000000000000000000000000000001" },
      "right password",
      /does not match the stated address/,
    ],
    [
      "non-RFC scrypt parameters",
      {
        ...good,
        crypto: { ...good.crypto, kdfparams: { ...good.crypto.kdfparams, n: 1 << 20, r: 1 } },
      },
      "x",
      /scrypt parameters n=1048576 r=1/,
    ],
  ];
  for (const [what, input, password, pattern] of cases) {
    assert.throws(
      () => decryptKeystore(typeof input === "string" ? input : JSON.stringify(input), password),
      (error: unknown) => {
        assert.ok(error instanceof KeystoreError, what);
        assert.match(error.message, pattern, what);
        assert.doesNotMatch(error.message, /right password|[0-9a-f]{64}/, `${what}: no secrets`);
        return true;
      },
    );
  }
});

test("the signer comes from PAYOUT_SIGNER_PRIVATE_KEY or an encrypted keystore; errors name the variable", async () => {
  const file = path.join(dir, "signer.json");
  await writeFile(
    file,
    JSON.stringify(encryptKeystore(SIGNER_KEY, "pw-for-tests-123", { n: 1 << 12 })),
  );
  const fromFile = await loadAccount(
    loadChainSettings({
      PAYOUT_SIGNER_KEYSTORE: file,
      PAYOUT_SIGNER_KEYSTORE_PASSWORD: "pw-for-tests-123",
    }).signer,
  );
  const fromKey = await loadAccount(
    loadChainSettings({ PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY.slice(2) }).signer,
  );
  assert.equal(fromFile?.address, privateKeyToAddress(SIGNER_KEY));
  assert.equal(fromKey?.address, fromFile?.address);
  assert.equal(await loadAccount(loadChainSettings({}).signer), undefined);

  const refused = async (env: Record<string, string>, variable: string, pattern: RegExp) => {
    let error: unknown;
    try {
      await loadAccount(loadChainSettings(env).signer);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, `${variable}: a ConfigError`);
    const issue = error.issues.find((i) => i.variable === variable);
    assert.ok(issue, `names ${variable}: ${error.message}`);
    assert.match(issue.message, pattern);
    assert.doesNotMatch(error.message, /pw-for-tests-123|wrong-pw|59c6995e/);
  };
  await refused(
    { PAYOUT_SIGNER_PRIVATE_KEY: "0x1234" },
    "PAYOUT_SIGNER_PRIVATE_KEY",
    /32-byte hex/,
  );
  await refused(
    { PAYOUT_SIGNER_KEYSTORE: file, PAYOUT_SIGNER_KEYSTORE_PASSWORD: "wrong-pw" },
    "PAYOUT_SIGNER_KEYSTORE",
    /wrong password/,
  );
  await refused({ PAYOUT_SIGNER_KEYSTORE: file }, "PAYOUT_SIGNER_KEYSTORE_PASSWORD", /required/);
  await refused(
    {
      PAYOUT_SIGNER_KEYSTORE: path.join(dir, "missing.json"),
      PAYOUT_SIGNER_KEYSTORE_PASSWORD: "x",
    },
    "PAYOUT_SIGNER_KEYSTORE",
    /cannot read .*ENOENT/,
  );
  await refused(
    {
      PAYOUT_SIGNER_PRIVATE_KEY: SIGNER_KEY,
      PAYOUT_SIGNER_KEYSTORE: file,
      PAYOUT_SIGNER_KEYSTORE_PASSWORD: "x",
    },
    "PAYOUT_SIGNER_KEYSTORE",
    /not both/,
  );
});

test("chain settings: defaults, and every malformed value named", () => {
  const s = loadChainSettings({});
  assert.equal(s.confirmations, 2);
  assert.equal(s.finalityDepth, 64);
  assert.equal(s.leaseSeconds, 5);
  assert.equal(s.payout.batchSize, 200);
  assert.equal(s.payout.maxFeePerGas, undefined);
  assert.deepEqual([...s.jobs], ["worker", "indexer", "epochs"]);
  assert.equal(
    loadChainSettings({ PAYOUT_MAX_FEE_GWEI: "30" }).payout.maxFeePerGas,
    30_000_000_000n,
  );
  assert.deepEqual([...loadChainSettings({ CHAIN_JOBS: "indexer" }).jobs], ["indexer"]);
  assert.equal(loadChainSettings({ CHAIN_JOBS: "" }).jobs.size, 0);
  assert.throws(
    () =>
      loadChainSettings({
        CHAIN_CONFIRMATIONS: "zero",
        PAYOUT_BATCH_SIZE: "501",
        PAYOUT_FEE_BUMP_PERCENT: "5",
        CHAIN_JOBS: "worker,miner",
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues.map((i) => i.variable).sort(), [
        "CHAIN_CONFIRMATIONS",
        "CHAIN_JOBS",
        "PAYOUT_BATCH_SIZE",
        "PAYOUT_FEE_BUMP_PERCENT",
      ]);
      return true;
    },
  );
  assert.throws(
    () => loadChainSettings({ CHAIN_CONFIRMATIONS: "10", CHAIN_FINALITY_DEPTH: "5" }),
    /CHAIN_FINALITY_DEPTH: must be at least CHAIN_CONFIRMATIONS/,
  );
});
