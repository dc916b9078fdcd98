/**
 * The home page's 拼团 · 砍价 strip: the group campaigns and price-cut assist campaigns open now,
 * public (no sign-in needed to look), each with what its card shows and the campaign to open.
 */
import { z } from 'zod'
import { Fen, Id, Instant } from './common'

/** How many of each kind the strip lists at most. */
export const PLAYS_SHOWN = 6

export const HomeGroupPlay = z.object({
  campaignId: Id,
  productId: Id,
  productTitle: z.string(),
  cover: z.string(),
  groupPriceFen: Fen,
  /** The SKU's regular price now (the group price is below it, or the campaign is not listed). */
  priceFen: Fen,
  groupSize: z.number().int(),
  endsAt: Instant,
})
export type HomeGroupPlay = z.infer<typeof HomeGroupPlay>

export const HomePriceCutPlay = z.object({
  campaignId: Id,
  title: z.string(),
  productId: Id,
  productTitle: z.string(),
  cover: z.string(),
  /** The published price the cuts start from, the fixed cut per friend, and the floor they reach (砍到 ¥x). */
  priceFen: Fen,
  cutPerHelpFen: Fen,
  helpsNeeded: z.number().int(),
  floorPriceFen: Fen,
  endsAt: Instant,
})
export type HomePriceCutPlay = z.infer<typeof HomePriceCutPlay>

export const playsActions = {
  /**
   * The plays open now (active, inside their window, the product on sale), ending soonest first, at
   * most PLAYS_SHOWN of each: group campaigns whose group price is still below the SKU's price, and
   * price-cut assist campaigns. Public.
   */
  plays: {
    input: z.object({}),
    output: z.object({ groups: z.array(HomeGroupPlay), priceCuts: z.array(HomePriceCutPlay), serverTime: Instant }),
  },
}
