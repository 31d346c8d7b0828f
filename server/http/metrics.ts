/**
 * Prometheus metrics. Each app owns a registry (tests start many apps in one process);
 * `main.ts` adds the default process metrics. Domain events feed the business counters.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { DomainEvents } from "../domain/context.ts";

export interface Metrics {
  registry: Registry;
  /** Records one finished request (`route` is the matched pattern). */
  observe(method: string, route: string, status: number, seconds: number): void;
  events: DomainEvents;
  clicks: Counter<"outcome">;
}

export function createMetrics(opts: { defaultMetrics: boolean }): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "refmint_http_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "refmint_http_request_duration_seconds",
    help: "HTTP request duration by route",
    labelNames: ["method", "route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const attributed = new Counter({
    name: "refmint_referrals_attributed_total",
    help: "Referrals attributed",
    registers: [registry],
  });
  const qualified = new Counter({
    name: "refmint_referrals_qualified_total",
    help: "Referrals qualified and paid",
    registers: [registry],
  });
  const flagged = new Counter({
    name: "refmint_referrals_flagged_total",
    help: "Referrals sent to review, by reason",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: "refmint_referrals_rejected_total",
    help: "Referrals rejected",
    registers: [registry],
  });
  const entries = new Counter({
    name: "refmint_ledger_entries_total",
    help: "Ledger entries written",
    registers: [registry],
  });
  const clicks = new Counter({
    name: "refmint_link_clicks_total",
    help: "Redirect link hits by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });

  return {
    registry,
    observe: (method, route, status, seconds) => {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
    clicks,
    events: {
      attributed: () => attributed.inc(),
      qualified: () => qualified.inc(),
      flagged: (e) => {
        for (const reason of e.reasons) flagged.inc({ reason });
      },
      rejected: () => rejected.inc(),
      entriesWritten: (e) => entries.inc(e.count),
    },
  };
}
