/** A fresh app (its own test file, so no state from other pages) whose backend can't be reached. */
import { loadPage, newLog, unloadPage } from '../helpers/weapp'

test('a home page that cannot reach the backend says so and offers a retry', async () => {
  const log = newLog()
  const page = loadPage('pages/index/index', {}, { apiBase: 'http://127.0.0.1:9', log })
  const text = await page.waitForText('网络不给力，请检查网络后重试', '重试')
  expect(text).not.toContain('¥')
  // Two calls at once share one sign-in attempt.
  expect(log.requests).toEqual(['/api/fn/auth devLogin'])
  page.tapText('重试')
  await new Promise((r) => setTimeout(r, 300))
  expect(log.requests).toEqual(['/api/fn/auth devLogin', '/api/fn/auth devLogin'])
  await page.waitForText('网络不给力，请检查网络后重试', '重试')
  unloadPage(page)
}, 30_000)
