export default function OrderListPage(_props: { productId?: string | null }) { return <div>OrderListPage</div> }
