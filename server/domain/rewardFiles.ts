/**
 * The public reward files' store (the one owner of `reward_files`): content-addressed,
 * append-only rows. The chain layer builds the files and signs the index
 * (server/chain/rewardFiles.ts); the HTTP layer serves them byte for byte.
 */
import { createHash } from "node:crypto";
import { desc, eq, isNotNull, TransactionRollbackError } from "drizzle-orm";
import type { Db } from "../db/index.ts";
import { type RewardFileKind, rewardFiles } from "../db/schema/rewardFiles.ts";

export interface StoredFile {
  hash: string;
  kind: RewardFileKind;
  campaign: string | null;
  body: string;
}

const sha256 = (text: string) => `0x${createHash("sha256").update(text, "utf8").digest("hex")}`;

function checked(f: StoredFile): StoredFile {
  if (sha256(f.body) !== f.hash.toLowerCase())
    throw new Error(`reward file ${f.hash}: its body does not hash to its name`);
  return { ...f, hash: f.hash.toLowerCase() };
}

/**
 * Stores files and the signed index that lists them, in one transaction. Files already stored
 * are left as they are (same hash, same bytes). Returns false when another writer took the
 * index's sequence number first (nothing of this index is stored then).
 */
export async function appendRewardIndex(
  db: Db,
  files: readonly StoredFile[],
  index: { hash: string; sequence: number; body: string },
): Promise<boolean> {
  const rows = files.map(checked);
  const idx = checked({ ...index, kind: "index", campaign: null });
  return db
    .transaction(async (tx) => {
      if (rows.length > 0) await tx.insert(rewardFiles).values(rows).onConflictDoNothing();
      const inserted = await tx
        .insert(rewardFiles)
        .values({ ...idx, sequence: index.sequence })
        .onConflictDoNothing()
        .returning({ hash: rewardFiles.hash });
      // The sequence (or the very same index) is taken: store none of this one.
      if (inserted.length === 0) tx.rollback();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof TransactionRollbackError) return false;
      throw error;
    });
}

/** The latest signed index, or undefined before the first. */
export async function latestRewardIndex(
  db: Db,
): Promise<{ hash: string; sequence: number; body: string } | undefined> {
  const [row] = await db
    .select({ hash: rewardFiles.hash, sequence: rewardFiles.sequence, body: rewardFiles.body })
    .from(rewardFiles)
    .where(isNotNull(rewardFiles.sequence))
    .orderBy(desc(rewardFiles.sequence))
    .limit(1);
  return row ? { hash: row.hash, sequence: row.sequence!, body: row.body } : undefined;
}

/** A stored file's exact text by its hash (`0x…` or bare hex), or undefined. */
export async function rewardFileText(db: Db, hash: string): Promise<string | undefined> {
  const key = `0x${hash.replace(/^0x/, "").toLowerCase()}`;
  const [row] = await db
    .select({ body: rewardFiles.body })
    .from(rewardFiles)
    .where(eq(rewardFiles.hash, key));
  return row?.body;
}
