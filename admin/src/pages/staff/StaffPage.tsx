export default function StaffPage(_props: { productId?: string | null }) { return <div>StaffPage</div> }
