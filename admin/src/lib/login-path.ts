/** The sign-in page's address when a 401 ended the session (pure: tested without a browser). */

/**
 * Where to go when the server ended the session (a 401): sign-in, saying why (`expired=1`: 登录已失效或
 * 权限已变更), and back to the page the session ended on afterwards.
 */
export function loginPathFor(path: string, search: string): string {
  return path === '/' || path.startsWith('/login') ? '/login?expired=1' : `/login?next=${encodeURIComponent(path + search)}&expired=1`
}
