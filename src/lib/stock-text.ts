import type { LineProblem } from '../../cloud/contract'

/** What a cart or checkout line shows when it can't be bought as it is. */
export function lineProblemText(problem: LineProblem, stock: number): string | null {
  switch (problem) {
    case 'SOLD_OUT':
      return '已售罄'
    case 'OFF_SALE':
      return '已下架'
    case 'INSUFFICIENT_STOCK':
      return `库存不足，仅剩 ${stock} 件`
    default:
      return null
  }
}
