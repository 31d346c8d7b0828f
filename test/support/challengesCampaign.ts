/** A campaign with one challenge of every kind the system detects (REF rewards, no caps). */
import type { CampaignDefinition } from "../../server/domain/campaign.ts";
import { testCampaign } from "./campaign.ts";

export const CHANNEL_ID = -1001234567890;
export const GROUP_ID = -1009876543210;

export function challengesCampaign(
  overrides: Parameters<typeof testCampaign>[0] = {},
): CampaignDefinition {
  const title = (en: string, ru: string) => ({ en, ru });
  const reward = (amount: string) => ({ token: "REF", amount });
  return testCampaign({
    challenges: [
      { id: "join", title: title("Join", "Вступить"), reward: reward("2") },
      {
        id: "channel",
        title: title("Join the channel", "Подпишитесь на канал"),
        reward: reward("5"),
        detect: { type: "join_chat", chatId: CHANNEL_ID },
      },
      {
        id: "group-stay",
        title: title("Stay in the group for 3 days", "Побудьте в группе 3 дня"),
        reward: reward("4"),
        detect: { type: "join_chat", chatId: GROUP_ID, stayDays: 3 },
      },
      {
        id: "invite-2",
        title: title("Invite 2 friends", "Пригласите 2 друзей"),
        reward: reward("20"),
        detect: { type: "invite", count: 2 },
      },
      {
        id: "wallet",
        title: title("Link a wallet", "Подключите кошелёк"),
        reward: reward("3"),
        detect: { type: "wallet" },
      },
      {
        id: "daily",
        title: title("Daily check-in", "Ежедневная отметка"),
        reward: reward("1"),
        detect: { type: "checkin" },
      },
      {
        id: "streak-7",
        title: title("A 7-day streak", "7 дней подряд"),
        reward: reward("7"),
        detect: { type: "checkin", streak: 7 },
      },
      {
        id: "survey",
        title: title("Answer a survey", "Ответьте на опрос"),
        reward: reward("1.5"),
        detect: { type: "survey" },
      },
      {
        id: "shop",
        title: title("Buy in the partner shop", "Купите в магазине партнёра"),
        reward: reward("6"),
        detect: { type: "partner_event", partner: "shop", eventType: "purchase" },
      },
    ],
    ...overrides,
  });
}
