export default function ProductEditorPage(_props: { productId?: string | null }) { return <div>ProductEditorPage</div> }
