/**
 * The call contract between the mini-program and the backend: function -> action -> input/output.
 * The only code shared with src/, which imports it with `import type` only.
 */
import type { z } from 'zod'
import { addressActions } from './address'
import { adminActions } from './admin'
import { assistActions } from './assist'
import { authActions } from './auth'
import { cartActions } from './cart'
import { catalogActions } from './catalog'
import { couponActions } from './coupon'
import { dealActions, earningsActions } from './deal'
import { flashActions } from './flash'
import { groupActions } from './group'
import { liveActions } from './live'
import { memberActions } from './member'
import { orderActions } from './order'
import { userActions } from './user'

export * from './address'
export * from './admin'
export * from './assist'
export * from './admin-member'
export * from './auth'
export * from './backoffice'
export * from './cart'
export * from './catalog'
export * from './plays'
export * from './common'
export * from './coupon'
export * from './envelope'
export * from './deal'
export * from './errors'
export * from './flash'
export * from './group'
export * from './live'
export * from './member'
export * from './member-ways'
export * from './operations'
export * from './order'
export * from './user'

export const contract = {
  auth: authActions,
  admin: adminActions,
  catalog: catalogActions,
  cart: cartActions,
  address: addressActions,
  order: orderActions,
  coupon: couponActions,
  live: liveActions,
  flash: flashActions,
  deal: dealActions,
  group: groupActions,
  earnings: earningsActions,
  user: userActions,
  member: memberActions,
  assist: assistActions,
} as const

export type Contract = typeof contract
export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string

/** The contract entry of `fn.action`: its input and output schemas. */
export type ActionSpec<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends {
  input: z.ZodType
  output: z.ZodType
}
  ? Contract[F][A]
  : never

/** What the caller sends for `fn.action` (without the `action` field itself). */
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = z.input<ActionSpec<F, A>['input']>
/** What `fn.action` answers inside `{ ok: true, data }`. */
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = z.output<ActionSpec<F, A>['output']>

/** What `fn.action`'s core work takes (the input after parsing: defaults filled, text trimmed). */
export type ActionArgs<F extends FunctionName, A extends ActionName<F>> = z.output<ActionSpec<F, A>['input']>
/** What `fn.action`'s core work may return (the output before the contract's transforms). */
export type ActionResult<F extends FunctionName, A extends ActionName<F>> = z.input<ActionSpec<F, A>['output']>
