/**
 * `npm run keystore:new -- --out <file>`: writes an encrypted Web3 Secret Storage v3 keystore
 * (scrypt) for the payout signer, readable by PAYOUT_SIGNER_KEYSTORE (or by geth, Foundry, …).
 * The key comes from KEYSTORE_PRIVATE_KEY when set, else a new random one; the password from
 * KEYSTORE_PASSWORD (never from the command line, which other users of the machine can read).
 * Prints the address to grant roles to (`--backend` of `npm run deploy`).
 */
import { writeFile } from "node:fs/promises";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { z } from "zod";
import { parseArgs, runCommand } from "../server/chain/cli.ts";
import { encryptKeystore } from "../server/chain/keystore.ts";
import { optional, parseEnv, privateKey } from "../server/env.ts";

const keystoreEnv = z.object({
  // Not trimmed: spaces are part of a password.
  KEYSTORE_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  KEYSTORE_PRIVATE_KEY: optional(privateKey),
});

runCommand(async () => {
  const args = parseArgs();
  const out = args.get("out");
  // A bad value is a ConfigError naming the variable (runCommand prints its message).
  const env = parseEnv(keystoreEnv, process.env);
  const password = env.KEYSTORE_PASSWORD;
  if (!out || !password) {
    console.error(
      "usage: KEYSTORE_PASSWORD=<at least 12 characters> npm run keystore:new -- --out <file>",
    );
    return 2;
  }
  const key = env.KEYSTORE_PRIVATE_KEY ?? generatePrivateKey();
  const keystore = encryptKeystore(key, password);
  await writeFile(out, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  console.log(`wrote ${out} for ${privateKeyToAddress(key)}`);
  return 0;
});
