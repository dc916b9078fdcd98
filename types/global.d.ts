/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5'
    /** Base URL of the HTTP host for non-cloud builds (weapp pointed at a local or self-hosted host). */
    TARO_APP_API_BASE?: string
    /** CloudBase environment id; when set, the weapp build calls cloud functions instead of HTTP. */
    TARO_APP_CLOUD_ENV?: string
    /** The subscribe-message template id of the live start reminder (WeChat admin → 订阅消息). */
    TARO_APP_LIVE_TEMPLATE_ID?: string
    /** The subscribe-message template id of 到券提醒 (coupon_arrival): a coupon the shop gave arrived. */
    TARO_APP_COUPON_TEMPLATE_ID?: string
  }
}
