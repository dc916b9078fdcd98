/** A campaign's results as horizontal bars: tasks started and completed, helps counted and refused, orders (only the bar chart is bundled, in this page's chunk). */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { AssistResults } from '../../../../cloud/contract'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

export function resultSteps(r: AssistResults): Array<{ name: string; value: number }> {
  const refused = Object.values(r.refusals).reduce((a, b) => a + b, 0)
  return [
    { name: '发起', value: r.tasksStarted },
    { name: '完成', value: r.tasksCompleted },
    { name: '助力计入', value: r.helpsCounted },
    { name: '助力未计入', value: refused },
    { name: '下单', value: r.ordersPlaced },
    { name: '付款', value: r.ordersPaid },
  ]
}

const COLORS = ['#1e88e5', '#2f7d32', '#8e24aa', '#9e9e9e', '#f59e0b', '#e4393c']

export function AssistResultsChart({ results }: { results: AssistResults }) {
  const steps = resultSteps(results)
  const option = {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value}` },
    grid: { left: 90, right: 56, top: 10, bottom: 10 },
    xAxis: { type: 'value', min: 0, max: Math.max(1, ...steps.map((s) => s.value)), show: false },
    yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        barWidth: 24,
        data: steps.map((s, i) => ({ value: s.value, itemStyle: { color: COLORS[i] } })),
        label: { show: true, position: 'right', formatter: (p: { value: number }) => String(p.value) },
      },
    ],
  }
  return (
    <div data-testid="assist-results-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 240 }} />
    </div>
  )
}
