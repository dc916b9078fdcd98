import type { TransferProvider } from '../../core/services.ports'
import type { Database } from '../../db/database'

/** The local stand-in for WeChat Pay 商家转账: each transfer is a row of `sandbox_transfers`, one per withdrawal. */
export function sandboxTransfers(db: Database): TransferProvider {
  return {
    async pay({ withdrawalId, openid, amountFen }) {
      await db.pool.query(
        `INSERT INTO sandbox_transfers (withdrawal_id, openid, amount_fen) VALUES ($1, $2, $3) ON CONFLICT (withdrawal_id) DO NOTHING`,
        [withdrawalId, openid, amountFen],
      )
    },
  }
}
