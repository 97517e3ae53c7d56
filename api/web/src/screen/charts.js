// ECharts, only the parts the screen draws (bars, lines, a ring), rendered on canvas. Each
// chart's container keeps the figures it was given in data-series, so that what a chart
// draws can be checked against the API.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const TEXT = "#c9d6ea";
const AXIS = { axisLine: { lineStyle: { color: "#4a5d7e" } }, axisLabel: { color: TEXT, fontSize: 14 }, splitLine: { lineStyle: { color: "#24344f" } } };
const FONT = { fontFamily: "Noto Sans CJK SC, sans-serif" };

const charts = new WeakMap();

function chartOn(node) {
  if (!charts.has(node)) {
    const chart = echarts.init(node, null, { renderer: "canvas" });
    charts.set(node, chart);
    new ResizeObserver(() => chart.resize()).observe(node);
  }
  return charts.get(node);
}

function monthName(month) {
  return `${Number(month.slice(5, 7))}月`;
}

// series: [{ name, kind: "bar" | "line", values: [...], color }]
export function monthlyChart(node, months, series) {
  node.dataset.series = JSON.stringify({ months, series: series.map((s) => ({ name: s.name, values: s.values })) });
  chartOn(node).setOption(
    {
      animation: false,
      textStyle: FONT,
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: { color: TEXT, fontSize: 14 } },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: months.map(monthName), ...AXIS },
      yAxis: { type: "value", minInterval: 1, ...AXIS },
      series: series.map((s) => ({ name: s.name, type: s.kind, data: s.values, itemStyle: { color: s.color }, barMaxWidth: 22, smooth: s.kind === "line" })),
    },
    true,
  );
}

// slices: [{ name, value, color }]
export function ringChart(node, slices, centre) {
  node.dataset.series = JSON.stringify(slices.map((s) => ({ name: s.name, value: s.value })));
  chartOn(node).setOption(
    {
      animation: false,
      textStyle: FONT,
      title: undefined,
      series: [
        {
          type: "pie",
          radius: ["55%", "85%"],
          label: { show: false },
          data: slices.map((s) => ({ name: s.name, value: s.value, itemStyle: { color: s.color } })),
        },
      ],
      graphic: undefined,
    },
    true,
  );
  node.dataset.centre = centre;
}
