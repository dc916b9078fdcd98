/**
 * An address as one line, the way people write it: province, city, district, then the street. In
 * a municipality (北京市, 上海市, 天津市, 重庆市) the city is the province, so it is written once:
 * 北京市东城区…, not 北京市北京市东城区…. The server's one formatter: the desk's rows (`addressText`,
 * which the console shows) and its CSV export write addresses with it. The mini-program keeps the same
 * rule in src/lib/address-text.ts (src/ imports no runtime code from cloud/); a unit test holds the two equal.
 */
export function addressLine(a: { province: string; city: string; district: string; detail: string }): string {
  return `${a.province}${a.city === a.province ? '' : a.city}${a.district}${a.detail}`
}
