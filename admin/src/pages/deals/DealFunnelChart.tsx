/** The deal's funnel as an ECharts funnel (only the funnel chart is bundled, in this page's chunk). */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { FunnelChart } from 'echarts/charts'
import { TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { DealFunnel } from '../../../../cloud/contract'

echarts.use([FunnelChart, TooltipComponent, CanvasRenderer])

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
  const option = {
    animation: false,
    color: ['#2f7d32', '#43a047', '#66bb6a', '#f59e0b', '#e4393c'],
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}：${p.value}` },
    series: [
      {
        type: 'funnel',
        // The steps keep their order (a funnel's later steps may exceed earlier ones: invites are not entries).
        sort: 'none',
        left: 40,
        right: 40,
        top: 10,
        bottom: 10,
        minSize: '12%',
        label: { show: true, position: 'inside', formatter: (p: { name: string; value: number }) => `${p.name} ${p.value}` },
        data: steps,
      },
    ],
  }
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} />
}
