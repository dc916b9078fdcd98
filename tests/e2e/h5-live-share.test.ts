/**
 * The live room's share poster in the H5 build: share → 生成分享海报 draws the poster with the
 * room's mini-program code on a canvas and shows it as an image to long-press (a data URL: the
 * canvas was not tainted by the code's SVG or the room's image).
 */
import { pageToken, phoneBrowser } from '../helpers/browser'

const phone = phoneBrowser({ seed: true, deviceScaleFactor: 1 })

/** The poster's code box in the exported picture (600×960 design px drawn at 2×). */
const CODE = { x: 800, y: 1544, w: 320, h: 320 }

test('share → 生成分享海报: the poster appears as an image with the room and its code drawn', async () => {
  const { stack, page } = phone
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const viewer = await stack.login('poster-viewer')
  const roomId = (await stack.ok('live', { action: 'list' }, viewer.token)).live[0].id as string

  await page.goto(`${stack.url}/#/packages/live/room/index?id=${roomId}`)
  await page.getByText('分享', { exact: true }).first().click()
  await page.getByText('生成分享海报', { exact: true }).click()
  const sheet = page.locator('.share-poster')
  const img = sheet.locator('img')
  await img.waitFor({ timeout: 20_000 })
  await sheet.getByText('长按图片保存，分享到朋友圈').waitFor()
  // Nothing offers an album on H5; the picture itself is an <img> a long-press saves.
  expect(await sheet.getByText('保存到相册').count()).toBe(0)

  const src = (await img.getAttribute('src')) ?? ''
  // The code this viewer shares: the room with them as the sharer (the browser signed in on its own).
  const { code: codeUrl } = await stack.ok('live', { action: 'sharePoster', roomId }, await pageToken(page))
  expect(src).toMatch(/^data:image\/jpeg;base64,/)
  expect(src.length).toBeGreaterThan(20_000)

  // Decode the picture and look at it: its size, the room image (not the white of an empty canvas)
  // at the top, and in the code's box the very code the server gave this viewer, module for module.
  const seen = await page.evaluate(
    async ({ src, code, codeUrl }) => {
      const load = async (url: string) => {
        const img = new Image()
        img.src = url
        await img.decode()
        return img
      }
      const pic = await load(src)
      const c = document.createElement('canvas')
      c.width = pic.naturalWidth
      c.height = pic.naturalHeight
      const ctx = c.getContext('2d')!
      ctx.drawImage(pic, 0, 0)
      const ref = document.createElement('canvas')
      ref.width = code.w
      ref.height = code.h
      const rctx = ref.getContext('2d')!
      rctx.fillStyle = '#fff'
      rctx.fillRect(0, 0, code.w, code.h)
      rctx.drawImage(await load(codeUrl), 0, 0, code.w, code.h)
      const dark = (d: Uint8ClampedArray, i: number) => d[i]! + d[i + 1]! + d[i + 2]! < 3 * 128
      const mine = ctx.getImageData(code.x, code.y, code.w, code.h).data
      const theirs = rctx.getImageData(0, 0, code.w, code.h).data
      let same = 0
      let darkCount = 0
      for (let i = 0; i < mine.length; i += 4) {
        if (dark(mine, i) === dark(theirs, i)) same++
        if (dark(mine, i)) darkCount++
      }
      const top = ctx.getImageData(0, 0, pic.naturalWidth, 1000).data
      let colored = 0
      for (let i = 0; i < top.length; i += 4)
        if (Math.max(top[i]!, top[i + 1]!, top[i + 2]!) - Math.min(top[i]!, top[i + 1]!, top[i + 2]!) > 40) colored++
      const px = code.w * code.h
      return {
        width: pic.naturalWidth,
        height: pic.naturalHeight,
        same: same / px,
        dark: darkCount / px,
        colored: colored / (top.length / 4),
      }
    },
    { src, code: CODE, codeUrl },
  )
  expect([seen.width, seen.height]).toEqual([1200, 1920])
  // The code's box holds the code: dark and light modules, matching the code image almost pixel for pixel.
  expect(seen.dark).toBeGreaterThan(0.2)
  expect(seen.dark).toBeLessThan(0.8)
  expect(seen.same).toBeGreaterThan(0.95)
  // The seeded room's poster art is a coloured card: the top is neither blank nor white.
  expect(seen.colored).toBeGreaterThan(0.5)

  expect(errors).toEqual([])
}, 90_000)
