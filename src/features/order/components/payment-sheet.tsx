import { PaySheet } from '../../../components/pay-sheet'
import type { usePayment } from '../use-payment'

/** The 模拟支付 sheet of a payment in progress (usePayment), or nothing while none is open. */
export function PaymentSheet({ payment }: { payment: ReturnType<typeof usePayment> }) {
  if (!payment.sheet) return null
  return (
    <PaySheet
      amountFen={payment.sheet.params.amountFen}
      busy={payment.busy}
      onConfirm={() => void payment.confirm()}
      onClose={payment.close}
    />
  )
}
