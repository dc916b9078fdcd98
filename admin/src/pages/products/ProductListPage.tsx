export default function ProductListPage(_props: { productId?: string | null }) { return <div>ProductListPage</div> }
