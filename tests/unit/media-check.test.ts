/** The image check's adapters: WeChat's imgSecCheck verdicts, and the local stand-in's marker. */
import { SANDBOX_REJECT_MARKER, sandboxMedia } from '../../cloud/adapters/media/sandbox'
import { wechatMedia } from '../../cloud/adapters/media/wechat'

const image = { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), mime: 'image/jpeg' as const }

test('imgSecCheck: errcode 0 passes, 87014 refuses (answered or thrown), anything else is WeChat failing', async () => {
  const sent: unknown[] = []
  const answering = (res: unknown) =>
    wechatMedia({
      imgSecCheck: async (p) => {
        sent.push(p)
        if (res instanceof Error) throw res
        return res as { errCode?: number }
      },
    })
  expect(await answering({ errCode: 0 }).check(image, 'o_1')).toBe(true)
  expect(sent[0]).toEqual({ media: { contentType: 'image/jpeg', value: image.bytes } })
  expect(await answering({ errCode: 87014 }).check(image, 'o_1')).toBe(false)
  expect(await answering(Object.assign(new Error('risky'), { errCode: 87014 })).check(image, 'o_1')).toBe(false)
  await expect(answering({ errCode: 45009 }).check(image, 'o_1')).rejects.toThrow('errcode 45009')
  await expect(answering(Object.assign(new Error('busy'), { errCode: -1 })).check(image, 'o_1')).rejects.toThrow('busy')
})

test('the local stand-in refuses only an image carrying the marker', async () => {
  const media = sandboxMedia()
  expect(await media.check(image, 'o_1')).toBe(true)
  const flagged = { ...image, bytes: Buffer.concat([image.bytes, Buffer.from(SANDBOX_REJECT_MARKER)]) }
  expect(await media.check(flagged, 'o_1')).toBe(false)
})
