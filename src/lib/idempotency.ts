/** A fresh idempotency key: one per checkout page or claim tap, so a retried call makes nothing twice. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`
}
