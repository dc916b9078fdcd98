import type { AvatarStore } from '../../core/services.ports'
import type { UploadFile } from '../poster/wechat'

/** Avatars on CloudBase: kept in cloud storage; the fileID (cloud://…) shows in <Image> as it is. */
export function cloudAvatars(upload: UploadFile): AvatarStore {
  return {
    async put(userId, image, hash) {
      const ext = image.mime === 'image/png' ? 'png' : 'jpg'
      const { fileID } = await upload({ cloudPath: `avatars/${userId}/${hash}.${ext}`, fileContent: image.bytes })
      return fileID
    },
  }
}
