export default function AuditPage(_props: { productId?: string | null }) { return <div>AuditPage</div> }
