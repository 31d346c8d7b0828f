/**
 * The console's API shapes, taken from the generated ../api/types.ts (the service's
 * /openapi.json) as the member screens' ../api/models.ts does: a route whose schema changes
 * changes these, and `npx tsc -p miniapp` shows every use that no longer fits. Type-only: it
 * adds nothing to any bundle.
 */
import type { operations } from "../api/types.ts";

/** The JSON body of an operation's success response. */
type Success<Op extends keyof operations> = operations[Op]["responses"] extends infer R
  ? R extends { 200: { content: { "application/json": infer T } } }
    ? T
    : R extends { 202: { content: { "application/json": infer T } } }
      ? T
      : never
  : never;

/** Analytics (server/http/routes/analytics.ts). */
export type OverviewData = Success<"analyticsOverview">;
export type Operations = Success<"analyticsOperations">;
export type CodeRow = Success<"analyticsFunnel">["items"][number];
export type ExperimentsData = Success<"analyticsExperiments">;
export type Promoted = Success<"promoteExperimentWinner">;

/** Campaigns: versions, jobs, a new rules version (campaignConsole.ts, consoleVersions.ts). */
export type ConsoleVersions = Success<"consoleCampaignVersions">;
export type ConsoleVersion = ConsoleVersions["items"][number];
export type ConsoleRulesChange = ConsoleVersion["changes"][number];
export type ConsoleJob = Success<"getConsoleJob">;
export type CampaignRulesInEffect = Success<"consoleCampaignRules">;
export type RulesDryRun = Success<"dryRunCampaignVersion">;
