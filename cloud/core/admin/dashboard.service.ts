/** 概览: the shop's figures over a range, from SQL over orders. */
import type { DashboardOutput, DashboardRange } from '../../contract'
import type { AuthedCtx } from '../context'

export async function dashboard(_ctx: AuthedCtx, _input: { range: DashboardRange }): Promise<DashboardOutput> {
  throw new Error('not built yet')
}
