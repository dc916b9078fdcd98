import type { ImageStore } from '../../core/services.ports'
import type { UploadFile } from '../poster/wechat'

/**
 * Uploads on CloudBase: cloud.uploadFile to `uploads/<key>` in the environment's storage; the
 * answer's fileID (cloud://<env>.<bucket>/uploads/<key>) shows in <Image> as it is. The same key
 * overwrites the same content.
 */
export function cloudImages(upload: UploadFile): ImageStore {
  return {
    async put(key, bytes) {
      const { fileID } = await upload({ cloudPath: `uploads/${key}`, fileContent: bytes })
      return fileID
    },
  }
}
