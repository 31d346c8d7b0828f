/**
 * The one PostgreSQL array encoder: a list of values as a single array literal parameter,
 * for `unnest(${pgArray(col)}::bigint[], …)` and `= any(${pgArray(ids)}::text[])`. One
 * parameter per column however many rows, so the statement's text stays the same for any
 * row count (and PostgreSQL's 65 535-parameter limit never applies).
 */
import { type SQL, sql } from "drizzle-orm";

/** Array elements that need no quotes (never empty; four letters could spell NULL). */
const PLAIN = /^[0-9A-Za-z_.+-]+$/;

/**
 * The array literal (`{1,"a b",NULL}`) of `values`: numbers, booleans and plain words (hex,
 * decimal) as they are, `null`/`undefined` as SQL NULL, anything else quoted with `"` and `\`
 * escaped. Cast it to the column type in SQL (`::numeric[]`, `::text[]`, …).
 */
export function pgArray(
  values: ReadonlyArray<string | number | bigint | boolean | null | undefined>,
): string {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) out[i] = "NULL";
    else if (typeof v === "boolean") out[i] = v ? "t" : "f";
    else if (typeof v !== "string") out[i] = String(v);
    else if (PLAIN.test(v) && v.length !== 4) out[i] = v;
    else out[i] = `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  }
  return `{${out.join(",")}}`;
}

/** Integer ids as one `bigint[]` parameter: `where id = any(${bigintArray(ids)})`. */
export function bigintArray(ids: readonly number[]): SQL {
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new TypeError(`not an id: ${id}`);
  return sql`${pgArray(ids)}::bigint[]`;
}
