/** The bot's Prometheus metrics, on the service's registry (so they appear on /metrics). */
import { Counter, Histogram, type Registry } from "prom-client";

export interface BotMetrics {
  updates: Counter<"outcome">;
  updateSeconds: Histogram;
  notifications: Counter<"kind" | "outcome">;
}

export function createBotMetrics(registry: Registry): BotMetrics {
  const existing = registry.getSingleMetric("refmint_bot_updates_total");
  if (existing) {
    // One registry, one set (tests build several bots on one service registry).
    return {
      updates: existing as Counter<"outcome">,
      updateSeconds: registry.getSingleMetric("refmint_bot_update_duration_seconds") as Histogram,
      notifications: registry.getSingleMetric("refmint_bot_notifications_total") as Counter<
        "kind" | "outcome"
      >,
    };
  }
  return {
    updates: new Counter({
      name: "refmint_bot_updates_total",
      help: "Telegram updates: handled (every update run), error (of those, failed), duplicate (redelivered, dropped)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    updateSeconds: new Histogram({
      name: "refmint_bot_update_duration_seconds",
      help: "Time to handle one Telegram update (middleware and replies)",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    notifications: new Counter({
      name: "refmint_bot_notifications_total",
      help: "Notifications handled by the sender, by kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
  };
}
