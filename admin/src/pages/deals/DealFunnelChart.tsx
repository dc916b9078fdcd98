/**
 * The deal's funnel as horizontal bars (only the bar chart is bundled, in this page's chunk): each
 * bar's length is its number on one scale from 0 to the largest step, so a later step larger than an
 * earlier one (invites are not entries) reads as larger. A funnel's trapezoids could not show that.
 */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { DealFunnel } from '../../../../cloud/contract'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

/** One color per step (the e2e test measures each bar by its color). */
export const STEP_COLORS = ['#2f7d32', '#1e88e5', '#8e24aa', '#f59e0b', '#e4393c']

export function funnelSteps(f: DealFunnel): Array<{ name: string; value: number }> {
  return [
    { name: '进入活动', value: f.entered },
    { name: '邀请打开', value: f.invitesSent },
    { name: '邀请计入', value: f.invitesCounted },
    { name: '领取', value: f.claims },
    { name: '付款', value: f.paid },
  ]
}

export function DealFunnelChart({ funnel }: { funnel: DealFunnel }) {
  const steps = funnelSteps(funnel)
  const largest = Math.max(1, ...steps.map((s) => s.value))
  const option = {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value}` },
    grid: { left: 80, right: 56, top: 10, bottom: 10, containLabel: false },
    xAxis: { type: 'value', min: 0, max: largest, show: false },
    // The steps top to bottom in their order.
    yAxis: { type: 'category', inverse: true, data: steps.map((s) => s.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        barWidth: 28,
        data: steps.map((s, i) => ({ value: s.value, itemStyle: { color: STEP_COLORS[i] } })),
        label: { show: true, position: 'right', formatter: (p: { value: number }) => String(p.value) },
      },
    ],
  }
  return (
    <div data-testid="deal-funnel-chart">
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 220 }} />
    </div>
  )
}
