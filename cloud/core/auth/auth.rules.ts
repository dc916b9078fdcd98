/** The nickname a user gets before they choose one: 微信用户 and the last 4 characters of the openid. */
export const defaultNickname = (openid: string): string => `微信用户${openid.slice(-4)}`
