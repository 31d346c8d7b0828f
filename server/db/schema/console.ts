/**
 * The admin console's jobs and the campaign registry's change counter (part of the one schema,
 * see ../schema.ts).
 *
 * - `console_jobs` / `console_job_lines` (written only by server/domain/consoleJobs.ts): each
 *   dry run, deploy and rules version the console started, with its progress and every line
 *   its command printed, so a restart or another API instance shows the same job with its
 *   whole log, and a deploy resumed after an interruption goes on in the same record. At most
 *   one job per campaign slug runs at a time (a partial unique index).
 * - `campaign_registry` (written only by server/domain/registrySync.ts): one row whose
 *   `version` goes up whenever a campaign joins or its rules or deployment change, so every
 *   process can tell with one tiny read that its registry is stale.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { oneOf, ts } from "../columns.ts";

export const CONSOLE_JOB_KINDS = ["dry-run", "deploy", "version"] as const;
export type ConsoleJobKind = (typeof CONSOLE_JOB_KINDS)[number];
export const CONSOLE_JOB_STATUSES = ["running", "succeeded", "failed"] as const;
export type ConsoleJobStatus = (typeof CONSOLE_JOB_STATUSES)[number];

/** One Ignition step of a deploy (or one on-chain action of a rules version). */
export interface ConsoleJobStep {
  futureId: string;
  status: "sent" | "done";
  address: string | null;
  gasUsed: string | null;
  hashes: string[];
}

export const consoleJobs = pgTable(
  "console_jobs",
  {
    id: uuid("id").primaryKey(),
    kind: text("kind", { enum: CONSOLE_JOB_KINDS }).notNull(),
    /** The draft's slug (dry run, deploy) or the campaign's (rules version). */
    slug: text("slug").notNull(),
    actor: text("actor").notNull(),
    status: text("status", { enum: CONSOLE_JOB_STATUSES }).notNull(),
    /** The process running it (`host:pid:random`); a dead owner's job is interrupted. */
    owner: text("owner").notNull(),
    heartbeatAt: ts("heartbeat_at").notNull().defaultNow(),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    total: integer("total"),
    resumed: integer("resumed").notNull().default(0),
    /** How many times it was started (2 and more: resumed after an interruption). */
    runs: integer("runs").notNull().default(1),
    steps: jsonb("steps").$type<ConsoleJobStep[]>().notNull().default([]),
    report: jsonb("report").$type<Record<string, unknown>>(),
    campaignId: integer("campaign_id"),
    error: text("error"),
  },
  (t) => [
    oneOf("console_jobs_kind", t.kind, CONSOLE_JOB_KINDS),
    oneOf("console_jobs_status", t.status, CONSOLE_JOB_STATUSES),
    uniqueIndex("console_jobs_one_running").on(t.slug).where(sql`${t.status} = 'running'`),
    index("console_jobs_slug").on(t.slug, t.kind, t.startedAt),
  ],
);

export const consoleJobLines = pgTable(
  "console_job_lines",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => consoleJobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    line: text("line").notNull(),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);

export const campaignRegistry = pgTable("campaign_registry", {
  id: smallint("id").primaryKey().default(1),
  version: bigint("version", { mode: "number" }).notNull().default(0),
  changedAt: ts("changed_at").notNull().defaultNow(),
});

export type ConsoleJobRow = typeof consoleJobs.$inferSelect;
