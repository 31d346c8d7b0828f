/**
 * The backend signer (and, for the clawback command, the campaign admin) as a viem local
 * account: from a private key in the environment or an encrypted keystore file. The key stays
 * inside the account object; logs and errors only ever name the address and the variable.
 */
import { readFile } from "node:fs/promises";
import type { LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ConfigError } from "../config.ts";
import type { KeySource } from "./config.ts";
import { decryptKeystore, KeystoreError } from "./keystore.ts";

/** The account of `source`, or undefined when no key is configured. */
export async function loadAccount(source: KeySource): Promise<LocalAccount | undefined> {
  if (source.kind === "none") return undefined;
  if (source.kind === "private-key") {
    try {
      return privateKeyToAccount(source.key);
    } catch {
      throw new ConfigError([
        { variable: source.variable, message: "is not a valid secp256k1 key" },
      ]);
    }
  }
  let text: string;
  try {
    text = await readFile(source.path, "utf8");
  } catch (error) {
    throw new ConfigError([
      {
        variable: source.variable,
        message: `cannot read ${source.path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      },
    ]);
  }
  try {
    return privateKeyToAccount(decryptKeystore(text, source.password));
  } catch (error) {
    const reason = error instanceof KeystoreError ? error.details : "cannot decrypt";
    throw new ConfigError([{ variable: source.variable, message: `${source.path}: ${reason}` }]);
  }
}
