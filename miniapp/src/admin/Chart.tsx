/** @jsxRuntime classic */
/** @jsx R.createElement */
/** @jsxFrag R.Fragment */
/**
 * A line chart of daily series with uPlot (about 20 KB gzip, canvas, no dependencies). uPlot
 * and its stylesheet are imported on first draw: a chunk of their own that only the console's
 * chart screens load (never the member app, never the console's first screen).
 */

import type uPlotType from "uplot";
import { R } from "./react.ts";

export interface ChartSeries {
  label: string;
  values: number[];
}

/** Readable on the light and the dark palette alike. */
const COLORS = ["#3b82f6", "#14b8a6", "#f59e0b", "#22c55e", "#a855f7", "#ef4444"];

const HEIGHT = 220;

type UPlot = typeof uPlotType;
let loading: Promise<UPlot> | undefined;
function loadUPlot(): Promise<UPlot> {
  loading ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(
    ([m]) => m.default,
  );
  return loading;
}

/** A palette variable of Telegram UI on the console's root (follows light and dark). */
function cssVar(el: Element, name: string, fallback: string): string {
  const root = el.closest(".admin") ?? document.documentElement;
  return getComputedStyle(root).getPropertyValue(name).trim() || fallback;
}

export function LineChart(p: {
  name: string;
  title: string;
  loadingText: string;
  days: string[];
  series: ChartSeries[];
}) {
  const [el, setEl] = R.useState<HTMLDivElement | null>(null);
  const [ready, setReady] = R.useState(false);
  const key = JSON.stringify([p.days, p.series]);
  R.useEffect(() => {
    if (!el) return;
    let chart: uPlotType | undefined;
    let cancelled = false;
    const onResize = () => chart?.setSize({ width: el.clientWidth, height: HEIGHT });
    void loadUPlot().then((UPlot) => {
      if (cancelled) return;
      const text = cssVar(el, "--tgui--text_color", "#000");
      const grid = cssVar(el, "--tgui--outline", "rgba(128,128,128,0.3)");
      const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
      chart = new UPlot(
        {
          width: el.clientWidth,
          height: HEIGHT,
          scales: { x: { time: true } },
          series: [
            {},
            ...p.series.map((s, i) => ({
              label: s.label,
              stroke: COLORS[i % COLORS.length],
              width: 2,
              points: { show: p.days.length < 40 },
            })),
          ],
          axes: [axis, { ...axis, size: 56 }],
          legend: { show: true },
          cursor: { drag: { x: false, y: false } },
        },
        [
          p.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000),
          ...p.series.map((s) => s.values),
        ] as uPlotType.AlignedData,
        el,
      );
      window.addEventListener("resize", onResize);
      setReady(true);
    });
    return () => {
      cancelled = true;
      window.removeEventListener("resize", onResize);
      chart?.destroy();
      setReady(false);
    };
  }, [el, key]);
  return (
    <figure className="admin-chart" data-chart={p.name} data-ready={ready ? "yes" : "no"}>
      <figcaption>{p.title}</figcaption>
      {ready ? null : <p className="admin-muted">{p.loadingText}</p>}
      <div ref={setEl} className="admin-chart-canvas" />
    </figure>
  );
}
