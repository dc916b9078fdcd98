import { wxacodePosters } from '../../cloud/adapters/poster/wechat'
import { inviteScene } from '../../cloud/core/deal/deal.service'

test('the invite scene fits a mini-program code (32 characters) and names the campaign and the inviter', () => {
  const scene = inviteScene('dc_0123456789abcdef', 'u_fedcba9876543210')
  expect(scene).toBe('0123456789abcdeffedcba9876543210')
  expect(scene.length).toBeLessThanOrEqual(32)
})

test('inside WeChat the poster is a mini-program code for the deal page, kept in cloud storage', async () => {
  const asked: unknown[] = []
  const posters = wxacodePosters({ getUnlimited: async (p) => (asked.push(p), { buffer: Buffer.from('png') }) }, async ({ cloudPath }) => ({
    fileID: `cloud://env/${cloudPath}`,
  }))
  const scene = inviteScene('dc_0123456789abcdef', 'u_fedcba9876543210')
  expect(await posters.codeFor('packages/deal/index', scene)).toBe(`cloud://env/posters/packages_deal_index_${scene}.png`)
  expect(asked).toEqual([{ scene, page: 'packages/deal/index', checkPath: false, width: 430 }])
  await expect(posters.codeFor('packages/deal/index', 'x'.repeat(33))).rejects.toThrow('32')
})
