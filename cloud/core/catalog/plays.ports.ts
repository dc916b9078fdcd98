/** The home strip's reads: the plays open now, each kind by its own partial index (migration 049). */

export interface GroupPlayRecord {
  campaignId: string
  productId: string
  productTitle: string
  cover: string
  groupPriceFen: number
  priceFen: number
  groupSize: number
  endsAt: Date
}

export interface PriceCutPlayRecord {
  campaignId: string
  title: string
  productId: string
  productTitle: string
  cover: string
  priceFen: number
  cutPerHelpFen: number
  helpsNeeded: number
  endsAt: Date
}

export interface PlaysRepo {
  /** Active group campaigns inside their window at `at`, product on sale, group price below the SKU's: ending soonest first. */
  openGroups(at: Date, limit: number): Promise<GroupPlayRecord[]>
  /** Active price-cut assist campaigns inside their window at `at`, product on sale: ending soonest first. */
  openPriceCuts(at: Date, limit: number): Promise<PriceCutPlayRecord[]>
}
