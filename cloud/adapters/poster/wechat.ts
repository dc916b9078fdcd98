import type { PosterCodes } from '../../core/services.ports'

/** cloud.openapi.wxacode.getUnlimited and cloud.uploadFile of wx-server-sdk. */
export interface WxacodeApi {
  getUnlimited(p: { scene: string; page: string; checkPath: boolean; width: number }): Promise<{ buffer?: Buffer; errCode?: number }>
}
export type UploadFile = (p: { cloudPath: string; fileContent: Buffer }) => Promise<{ fileID: string }>

/** A mini-program code per page and scene, kept in cloud storage; its fileID shows in <Image> as it is. */
export function wxacodePosters(api: WxacodeApi, upload: UploadFile): PosterCodes {
  return {
    async codeFor(page, scene) {
      if (scene.length > 32) throw new Error('a mini-program code scene holds at most 32 characters')
      const res = await api.getUnlimited({ scene, page, checkPath: false, width: 430 })
      if (!res.buffer) throw new Error(`wxacode.getUnlimited failed: ${res.errCode ?? 'no image'}`)
      const { fileID } = await upload({ cloudPath: `posters/${page.replace(/\W+/g, '_')}_${scene}.png`, fileContent: res.buffer })
      return fileID
    },
  }
}
