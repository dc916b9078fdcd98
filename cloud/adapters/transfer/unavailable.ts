import type { TransferProvider } from '../../core/services.ports'

/**
 * Where withdrawals can't be paid: CloudBase, and a host taking real WeChat Pay without the 商家转账
 * settings (WXPAY_TRANSFER_SCENE_ID, docs/deploy.md). Approving a withdrawal there fails, and the
 * withdrawal stays pending: nothing is marked paid that was not paid.
 */
export function unavailableTransfers(): TransferProvider {
  return {
    async pay() {
      throw new Error('no transfer provider: set WXPAY_TRANSFER_SCENE_ID and WXPAY_TRANSFER_NOTIFY_URL for WeChat Pay 商家转账')
    },
    // Nothing was ever asked for here, so there is no bill.
    async find() {
      return null
    },
  }
}
