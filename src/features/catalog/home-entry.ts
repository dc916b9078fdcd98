/**
 * Who shared the mall home the shopper opened: a guide's (导购) mini-program code carries the 16 hex
 * of the guide's user id after `u_` as its `scene` (URL-encoded by WeChat; the local QR code opens
 * the H5 page with `?scene=`); a shared link carries `sharerId`. Anything else names nobody.
 */
export function homeSharer(params: Record<string, string | undefined>): string | undefined {
  if (params.scene) {
    let text = params.scene
    try {
      text = decodeURIComponent(text)
    } catch {
      return undefined
    }
    return /^[0-9a-f]{16}$/.test(text) ? `u_${text}` : undefined
  }
  return params.sharerId && /^u_[0-9a-f]{16}$/.test(params.sharerId) ? params.sharerId : undefined
}
