import type { TransferProvider } from '../../core/services.ports'

/**
 * Where no transfer provider is built yet (CloudBase, and a host taking real WeChat Pay: the WeChat
 * Pay 商家转账 adapter is still to come). Approving a withdrawal there fails, and the withdrawal stays
 * pending: nothing is marked paid that was not paid.
 */
export function unavailableTransfers(): TransferProvider {
  return {
    async pay() {
      throw new Error('no transfer provider: WeChat Pay 商家转账 is not built yet')
    },
  }
}
