/** Polls until `check` answers something truthy (rendering and jobs are asynchronous); never a fixed sleep. */
export async function until<T>(check: () => T | Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 30))
  }
}
