// Build-time settings of the call seam: Taro inlines TARO_APP_* from the .env files.

/** The CloudBase environment; empty when calls go over HTTP. */
export const CLOUD_ENV = process.env.TARO_APP_CLOUD_ENV || ''

/** Where HTTP calls go: same origin on H5, the configured host on weapp. */
export const API_BASE = process.env.TARO_ENV === 'h5' ? '' : process.env.TARO_APP_API_BASE || 'http://127.0.0.1:8080'

export const useCloud = process.env.TARO_ENV === 'weapp' && CLOUD_ENV !== ''
