/* The ECharts the pages use, built by `make assets` (esbuild) into sanlian/static/vendor/echarts.min.js as the
 * global `echarts`, as the full build was: only the charts, components and renderer Sanlian's scripts draw
 * with (sanlian/static/js/*.js), so a chart page downloads and compiles about half of the full build.
 * A script that starts using another chart type or component adds it here. */
import * as echarts from "echarts/core";
import { BarChart, GraphChart, LineChart, PieChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { LabelLayout, UniversalTransition } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart, GraphChart, LineChart, PieChart, ScatterChart,
  AriaComponent, DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent,
  TitleComponent, TooltipComponent, LabelLayout, UniversalTransition, CanvasRenderer,
]);

window.echarts = echarts;
