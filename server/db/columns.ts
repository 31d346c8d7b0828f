/** Column helpers shared by every database area, so all tables follow one convention. */
import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, numeric, timestamp } from "drizzle-orm/pg-core";

/** Every timestamp is `timestamptz`, read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/** CHECK that a text column holds one of `values` (the TS enum alone does not stop raw SQL). */
export const oneOf = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(
    name,
    sql`${column} in (${sql.join(
      values.map((v) => sql.raw(`'${v}'`)),
      sql`, `,
    )})`,
  );
export const wei = (name: string) => numeric(name, { precision: 78, scale: 0, mode: "bigint" });
