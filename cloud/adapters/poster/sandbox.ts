import type { PosterCodes } from '../../core/services.ports'

/** Locally the poster carries a QR code (drawn by the `qrcode` library at /media/qr.svg) of the H5 page. */
export function qrPosters(baseUrl: string): PosterCodes {
  return {
    async codeFor(page, scene) {
      const url = `${baseUrl}/#/${page}?scene=${encodeURIComponent(scene)}`
      return `/media/qr.svg?text=${encodeURIComponent(url)}`
    },
  }
}
