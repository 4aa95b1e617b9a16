/**
 * The extra ECharts pieces the notebook draws (parallel coordinates for sweeps), registered on
 * the app's tree-shaken ECharts core (charts/echarts.ts). Report PNGs use the Run view's own
 * chart options (no ECharts heatmap series: the heatmap is the Run view's image).
 */
import { ParallelChart } from 'echarts/charts';
import { ParallelComponent } from 'echarts/components';
import { echarts } from '../../charts/echarts';

echarts.use([ParallelChart, ParallelComponent]);

export { echarts };
export type { EChartsOption, EChartsType } from '../../charts/echarts';
