import type { MediaChecker } from '../../core/services.ports'

/** cloud.openapi.security.imgSecCheck of wx-server-sdk. */
export interface ImgSecCheckApi {
  imgSecCheck(p: { media: { contentType: string; value: Buffer } }): Promise<{ errCode?: number; errcode?: number }>
}

/** errcode 87014: WeChat found the image risky. */
const RISKY = 87014

/**
 * WeChat's image check. imgSecCheck answers at once (images up to 1 MB; our avatars are at most
 * 40 KB), which lets a refused avatar change nothing; mediaCheckAsync answers later by a message
 * push and would suit larger media that may be taken down after the fact. Any errcode but 0 and
 * 87014 is WeChat failing to answer: thrown (INTERNAL, logged), so nothing unchecked is shown.
 */
export function wechatMedia(api: ImgSecCheckApi): MediaChecker {
  return {
    async check(image) {
      let code: number
      try {
        const res = await api.imgSecCheck({ media: { contentType: image.mime, value: image.bytes } })
        code = res.errCode ?? res.errcode ?? 0
      } catch (err) {
        // wx-server-sdk throws for a non-zero errcode, carrying it on the error.
        code = (err as { errCode?: number }).errCode ?? -1
        if (code !== RISKY) throw err
      }
      if (code === RISKY) return false
      if (code !== 0) throw new Error(`imgSecCheck failed: errcode ${code}`)
      return true
    },
  }
}
