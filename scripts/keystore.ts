/**
 * `npm run keystore:new -- --out <file>`: writes an encrypted Web3 Secret Storage v3 keystore
 * (scrypt) for the payout signer, readable by PAYOUT_SIGNER_KEYSTORE (or by geth, Foundry, …).
 * The key comes from KEYSTORE_PRIVATE_KEY when set, else a new random one; the password from
 * KEYSTORE_PASSWORD (never from the command line, which other users of the machine can read).
 * Prints the address to grant roles to (`--backend` of `npm run deploy`).
 */
import { writeFile } from "node:fs/promises";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { encryptKeystore } from "../server/chain/keystore.ts";

runCommand(async () => {
  const args = parseArgs();
  const out = args.get("out");
  const password = process.env.KEYSTORE_PASSWORD;
  if (!out || !password || password.length < 12) {
    console.error(
      "usage: KEYSTORE_PASSWORD=<at least 12 characters> npm run keystore:new -- --out <file>",
    );
    return 2;
  }
  const given = process.env.KEYSTORE_PRIVATE_KEY?.trim();
  if (given !== undefined && !/^(0x)?[0-9a-fA-F]{64}$/.test(given)) {
    console.error("KEYSTORE_PRIVATE_KEY must be a 32-byte hex key");
    return 2;
  }
  const key = given ? (`0x${given.replace(/^0x/, "")}` as `0x${string}`) : generatePrivateKey();
  const keystore = encryptKeystore(key, password);
  await writeFile(out, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  console.log(`wrote ${out} for ${privateKeyToAddress(key)}`);
  return 0;
});
