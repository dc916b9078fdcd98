/** The 概览 charts, on ECharts' modular core (only the line, bar and pie charts are bundled, in this page's chunk). */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { yuan } from '../../lib/money'

echarts.use([LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])

export function TrendChart({ points }: { points: Array<{ label: string; gmvFen: number; paidOrders: number }> }) {
  const option = {
    // Figures appear at once: no animation between a range and the next.
    animation: false,
    color: ['#2f7d32', '#f59e0b'],
    tooltip: {
      trigger: 'axis',
      valueFormatter: undefined,
      formatter: (params: Array<{ dataIndex: number }>) => {
        const p = points[params[0]?.dataIndex ?? 0]
        return p ? `${p.label}<br/>成交额 ¥${yuan(p.gmvFen)}<br/>支付订单 ${p.paidOrders}` : ''
      },
    },
    legend: { data: ['成交额', '支付订单'], top: 0 },
    grid: { left: 56, right: 48, top: 40, bottom: 28 },
    xAxis: { type: 'category', data: points.map((p) => p.label), boundaryGap: false },
    yAxis: [
      { type: 'value', name: '成交额（元）', axisLabel: { formatter: (v: number) => String(v) } },
      { type: 'value', name: '订单', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      // Shown in yuan on the axis; the tooltip reads the exact fen from `points`.
      { name: '成交额', type: 'line', yAxisIndex: 0, areaStyle: { opacity: 0.08 }, data: points.map((p) => p.gmvFen / 100) },
      { name: '支付订单', type: 'line', yAxisIndex: 1, data: points.map((p) => p.paidOrders) },
    ],
  }
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320 }} />
}

export function SourceChart({ slices }: { slices: Array<{ name: string; gmvFen: number; paidOrders: number }> }) {
  const option = {
    animation: false,
    color: ['#e0533b', '#f59e0b', '#3b82f6', '#2f7d32'],
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number; percent: number }) => {
        const s = slices[p.dataIndex]
        return s ? `${s.name}<br/>成交额 ¥${yuan(s.gmvFen)}（${p.percent}%）<br/>支付订单 ${s.paidOrders}` : ''
      },
    },
    legend: { bottom: 0 },
    series: [
      {
        type: 'pie',
        radius: ['42%', '68%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{d}%' },
        data: slices.map((s) => ({ name: s.name, value: s.gmvFen })),
      },
    ],
  }
  return <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 320 }} />
}
