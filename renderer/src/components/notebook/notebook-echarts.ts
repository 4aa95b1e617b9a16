/**
 * The extra ECharts pieces the notebook draws (parallel coordinates for sweeps, the heatmap of
 * report PNGs), registered on the app's tree-shaken ECharts core (charts/echarts.ts).
 */
import { HeatmapChart, ParallelChart } from 'echarts/charts';
import { ParallelComponent, VisualMapComponent } from 'echarts/components';
import { echarts } from '../../charts/echarts';

echarts.use([HeatmapChart, ParallelChart, ParallelComponent, VisualMapComponent]);

export { echarts };
export type { EChartsOption, EChartsType } from '../../charts/echarts';
