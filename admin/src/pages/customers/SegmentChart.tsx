/** Customers per RFM segment, as a bar chart on ECharts' modular core (bar only, in this page's chunk). */
import ReactEChartsCore from 'echarts-for-react/lib/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { Segment } from '../../../../cloud/contract'
import { SEGMENTS } from './segments'

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer])

export function SegmentChart({ counts, onPick }: { counts: Record<Segment, number>; onPick: (s: Segment) => void }) {
  const option = {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 100, right: 32, top: 8, bottom: 8, containLabel: false },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: SEGMENTS.map((s) => s.label) },
    series: [
      {
        name: '客户数',
        type: 'bar',
        barMaxWidth: 18,
        label: { show: true, position: 'right' },
        data: SEGMENTS.map((s) => ({ value: counts[s.key] ?? 0, itemStyle: { color: s.color } })),
      },
    ],
  }
  return (
    <ReactEChartsCore
      echarts={echarts}
      option={option}
      notMerge
      style={{ height: 260 }}
      onEvents={{ click: (p: { dataIndex: number }) => onPick(SEGMENTS[p.dataIndex]!.key) }}
    />
  )
}
