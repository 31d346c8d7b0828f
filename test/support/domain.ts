/**
 * Domain fixtures: a context over a test database, members created as the bot would, and
 * referral chains built through the real attribution path.
 */
import type { DatabaseHandle } from "../../server/db/index.ts";
import { attribute } from "../../server/domain/attribution.ts";
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import type { DomainContext, DomainEvents } from "../../server/domain/context.ts";
import { ensureMember, type MemberView } from "../../server/domain/members.ts";
import { syncDefinitions } from "../../server/domain/registry.ts";
import { testCampaign } from "./campaign.ts";
import { type TestClock, testClock } from "./clock.ts";

export interface TestDomain {
  ctx: DomainContext;
  clock: TestClock;
  /** Creates (or returns) the member for Telegram user `telegramId`. */
  member(telegramId: number, firstName?: string): Promise<MemberView>;
  /** The members for `telegramIds`, created one after another (ids in that order). */
  members(...telegramIds: number[]): Promise<MemberView[]>;
  /** `referee` opens `referrer`'s link (bot `/start`). */
  refer(
    referrer: MemberView,
    referee: MemberView,
    extra?: { ipHash?: string; deviceHash?: string; campaign?: string },
  ): Promise<number>;
}

export async function testDomain(
  db: DatabaseHandle,
  opts: {
    campaigns?: CampaignDefinition[];
    clock?: TestClock;
    events?: DomainEvents;
    attributionWindowHours?: number;
  } = {},
): Promise<TestDomain> {
  const clock = opts.clock ?? testClock();
  const campaigns = await syncDefinitions(db.db, opts.campaigns ?? [testCampaign()]);
  const ctx: DomainContext = {
    db: db.db,
    campaigns,
    now: clock.now,
    attributionWindowHours: opts.attributionWindowHours ?? 24,
    events: opts.events,
  };
  const member = async (telegramId: number, firstName?: string) =>
    (await ensureMember(ctx, { id: telegramId, firstName: firstName ?? `U${telegramId}` })).member;
  return {
    ctx,
    clock,
    member,
    members: async (...telegramIds) => {
      const created: MemberView[] = [];
      for (const id of telegramIds) created.push(await member(id));
      return created;
    },
    refer: async (referrer, referee, extra = {}) => {
      const { referral } = await attribute(ctx, {
        refereeId: referee.id,
        code: referrer.code,
        source: "start",
        ...extra,
      });
      return referral.id;
    },
  };
}
