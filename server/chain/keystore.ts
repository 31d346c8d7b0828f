/**
 * Web3 Secret Storage v3 keystores (the encrypted JSON key files geth, Foundry's `cast wallet`
 * and ethers write), with node:crypto only: scrypt or PBKDF2-HMAC-SHA256 derives a 32-byte key,
 * its second half keys the MAC (keccak256 over derivedKey[16..32] ‖ ciphertext), its first half
 * decrypts the AES-128-CTR ciphertext into the private key.
 *
 * Errors never contain the password or any key material.
 */
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
  timingSafeEqual,
} from "node:crypto";
import { type Hex, keccak256 } from "viem";
import { privateKeyToAddress } from "viem/accounts";

/** A keystore that cannot be read: wrong password, unsupported parameters, malformed file. */
export class KeystoreError extends Error {
  override name = "KeystoreError";
  readonly details: string;
  constructor(shortMessage: string, details: string) {
    super(`${shortMessage}\n\nDetails: ${details}`);
    this.details = details;
  }
}

interface ScryptParams {
  dklen: number;
  n: number;
  r: number;
  p: number;
  salt: string;
}
interface Pbkdf2Params {
  dklen: number;
  c: number;
  prf: string;
  salt: string;
}

export interface KeystoreV3 {
  version: 3;
  id?: string;
  address?: string;
  crypto: {
    cipher: string;
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: string;
    kdfparams: ScryptParams | Pbkdf2Params;
    mac: string;
  };
}

const HEX = /^[0-9a-fA-F]*$/;
const hexBytes = (value: unknown, field: string): Buffer => {
  if (typeof value !== "string") throw new KeystoreError("Malformed keystore.", `${field} missing`);
  const v = value.startsWith("0x") ? value.slice(2) : value;
  if (!HEX.test(v) || v.length % 2 !== 0)
    throw new KeystoreError("Malformed keystore.", `${field} is not hex`);
  return Buffer.from(v, "hex");
};
const positiveInt = (value: unknown, field: string): number => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    throw new KeystoreError("Malformed keystore.", `${field} must be a positive integer`);
  return value;
};

/** Decrypts a v3 keystore (object or JSON text) and returns its private key. */
export function decryptKeystore(input: string | object, password: string): Hex {
  let json: Record<string, unknown>;
  try {
    json = (typeof input === "string" ? JSON.parse(input) : input) as Record<string, unknown>;
  } catch {
    throw new KeystoreError("Malformed keystore.", "not valid JSON");
  }
  if (json === null || typeof json !== "object")
    throw new KeystoreError("Malformed keystore.", "not a JSON object");
  if (json.version !== 3)
    throw new KeystoreError(
      "Unsupported keystore.",
      `version ${String(json.version)} (expected 3)`,
    );
  // Geth writes `crypto`; some older tools (and ethers) write `Crypto`.
  const crypto = (json.crypto ?? json.Crypto) as Record<string, unknown> | undefined;
  if (!crypto || typeof crypto !== "object")
    throw new KeystoreError("Malformed keystore.", "crypto section missing");
  if (crypto.cipher !== "aes-128-ctr")
    throw new KeystoreError("Unsupported keystore.", `cipher ${String(crypto.cipher)}`);
  const params = (crypto.kdfparams ?? {}) as Record<string, unknown>;
  const salt = hexBytes(params.salt, "kdfparams.salt");
  const dklen = positiveInt(params.dklen, "kdfparams.dklen");
  if (dklen < 32) throw new KeystoreError("Unsupported keystore.", `dklen ${dklen} (need 32)`);
  let derived: Buffer;
  if (crypto.kdf === "scrypt") {
    const N = positiveInt(params.n, "kdfparams.n");
    const r = positiveInt(params.r, "kdfparams.r");
    const p = positiveInt(params.p, "kdfparams.p");
    try {
      // Memory is about 128·N·r bytes; allow up to 1 GiB, enough for any standard file.
      derived = scryptSync(password, salt, dklen, { N, r, p, maxmem: 1024 * 1024 * 1024 });
    } catch (error) {
      throw new KeystoreError(
        "Unsupported keystore.",
        `scrypt parameters n=${N} r=${r} p=${p} rejected (${(error as Error).message})`,
      );
    }
  } else if (crypto.kdf === "pbkdf2") {
    if (params.prf !== "hmac-sha256")
      throw new KeystoreError("Unsupported keystore.", `pbkdf2 prf ${String(params.prf)}`);
    derived = pbkdf2Sync(password, salt, positiveInt(params.c, "kdfparams.c"), dklen, "sha256");
  } else {
    throw new KeystoreError("Unsupported keystore.", `kdf ${String(crypto.kdf)}`);
  }
  const ciphertext = hexBytes(crypto.ciphertext, "ciphertext");
  const mac = hexBytes(crypto.mac, "mac");
  const expected = Buffer.from(
    keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2),
    "hex",
  );
  if (mac.length !== 32 || !timingSafeEqual(mac, expected))
    throw new KeystoreError("Cannot decrypt keystore.", "wrong password (MAC mismatch)");
  const iv = hexBytes((crypto.cipherparams as { iv?: unknown } | undefined)?.iv, "cipherparams.iv");
  if (iv.length !== 16) throw new KeystoreError("Malformed keystore.", "iv must be 16 bytes");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const key = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (key.length !== 32)
    throw new KeystoreError("Malformed keystore.", `key is ${key.length} bytes (expected 32)`);
  const privateKey = `0x${key.toString("hex")}` as Hex;
  if (typeof json.address === "string" && json.address !== "") {
    const stated = json.address.toLowerCase().replace(/^0x/, "");
    if (privateKeyToAddress(privateKey).toLowerCase().slice(2) !== stated)
      throw new KeystoreError("Corrupt keystore.", "the key does not match the stated address");
  }
  return privateKey;
}

/** Encrypts a private key into a v3 keystore (scrypt, geth's standard parameters by default). */
export function encryptKeystore(
  privateKey: Hex,
  password: string,
  opts: { n?: number; r?: number; p?: number } = {},
): KeystoreV3 {
  const n = opts.n ?? 262_144;
  const r = opts.r ?? 8;
  const p = opts.p ?? 1;
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const derived = scryptSync(password, salt, 32, { N: n, r, p, maxmem: 1024 * 1024 * 1024 });
  const cipher = createCipheriv("aes-128-ctr", derived.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([
    cipher.update(Buffer.from(privateKey.slice(2), "hex")),
    cipher.final(),
  ]);
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  return {
    version: 3,
    id: randomUUID(),
    address: privateKeyToAddress(privateKey).toLowerCase().slice(2),
    crypto: {
      cipher: "aes-128-ctr",
      cipherparams: { iv: iv.toString("hex") },
      ciphertext: ciphertext.toString("hex"),
      kdf: "scrypt",
      kdfparams: { dklen: 32, n, r, p, salt: salt.toString("hex") },
      mac,
    },
  };
}
