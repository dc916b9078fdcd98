/** A campaign's groups by outcome as horizontal bars (only the bar chart is bundled, in this page's chunk). */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { AdminGroupCampaign } from '../../../../cloud/contract'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

export const OUTCOME_COLORS = ['#1e88e5', '#2f7d32', '#e4393c', '#f59e0b']

export function GroupResultsChart({ campaign: c }: { campaign: AdminGroupCampaign }) {
  const steps = [
    { name: '开团', value: c.groupsOpened },
    { name: '成团', value: c.groupsSucceeded },
    { name: '失败', value: c.groupsFailed },
    { name: '进行中', value: c.groupsForming },
  ]
  const largest = Math.max(1, ...steps.map((s) => s.value))
  const option = {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value}` },
    grid: { left: 64, right: 48, top: 10, bottom: 10, containLabel: false },
    xAxis: { type: 'value', min: 0, max: largest, show: false },
    yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        barWidth: 24,
        data: steps.map((s, i) => ({ value: s.value, itemStyle: { color: OUTCOME_COLORS[i] } })),
        label: { show: true, position: 'right', formatter: (p: { value: number }) => String(p.value) },
      },
    ],
  }
  return (
    <div data-testid="group-results-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 180 }} />
    </div>
  )
}
