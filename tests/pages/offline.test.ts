/** A fresh app (its own test file, so no state from other pages) whose backend can't be reached. */
import { until } from '../helpers/wait'
import { loadPage, newLog, unloadPage } from '../helpers/weapp'

test('a home page that cannot reach the backend says so and offers a retry', async () => {
  const log = newLog()
  const page = loadPage('pages/index/index', {}, { apiBase: 'http://127.0.0.1:9', log })
  const text = await page.waitForText('网络不给力，请检查网络后重试', '重试')
  expect(text).not.toContain('¥')
  // Nothing got past signing in (wx.login itself needs the network): one attempt at launch, and the
  // page's two calls (the home and the feed) shared one more, or the launch attempt itself when it
  // was still on its way.
  const LOGIN = 'wx.login'
  expect(log.requests.every((r) => r === LOGIN)).toBe(true)
  const attempts = log.requests.length
  expect([1, 2]).toContain(attempts)
  page.tapText('重试')
  // A retry re-runs both calls with one sign-in attempt between them: waited for (a fixed 300 ms ran
  // out before the retry's attempt on a loaded machine), then the page says so again.
  await until(() => log.requests.length > attempts)
  await page.waitForText('网络不给力，请检查网络后重试', '重试')
  expect(log.requests).toEqual(Array(attempts + 1).fill(LOGIN))
  unloadPage(page)
}, 30_000)
