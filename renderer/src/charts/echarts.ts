/** ECharts, tree-shaken: only the charts and components the lab draws, canvas renderer (CSP-safe). */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
export type EChartsType = echarts.EChartsType;
export type EChartsOption = echarts.EChartsCoreOption;

/** Every time chart shares these margins so their x axes line up (Perfetto-style stacked tracks). */
export const TIME_GRID = { left: 72, right: 80, top: 28, bottom: 28 } as const;
