/**
 * Idempotency keys for the console's writes that must not happen twice (创建商品, 调整库存): made once
 * per editor session or dialog and sent again with every retry of the same save, so a retry after a
 * lost response answers the first result (the server keeps one result per key).
 */
export function newRequestKey(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}
