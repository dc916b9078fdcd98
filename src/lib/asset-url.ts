import { API_BASE } from '../api/config'

/** Images stored as host paths (/media/...) become absolute on weapp; URLs and cloud:// ids pass. */
export function assetUrl(src: string): string {
  return src.startsWith('/') ? `${API_BASE}${src}` : src
}
