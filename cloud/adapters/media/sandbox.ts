import type { MediaChecker } from '../../core/services.ports'

/**
 * The marker that makes the local image check refuse an image, wherever it sits in the file (in a
 * PNG text chunk, after a JPEG's end): how tests and a developer try the refusal without WeChat.
 */
export const SANDBOX_REJECT_MARKER = 'SANDBOX-REJECT-IMAGE'

/** The local stand-in for WeChat's image check: every image passes but one carrying the marker. */
export function sandboxMedia(): MediaChecker {
  const marker = Buffer.from(SANDBOX_REJECT_MARKER, 'latin1')
  return {
    async check(image) {
      return !image.bytes.includes(marker)
    },
  }
}
