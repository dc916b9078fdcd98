import type { AddressFields } from '../../cloud/contract'

/**
 * An address as one line, the way people write it: province, city, district, then the street. In
 * a municipality (北京市, 上海市, 天津市, 重庆市) the city is the province, so it is written once:
 * 北京市东城区…, not 北京市北京市东城区….
 */
export function addressLine(a: Pick<AddressFields, 'province' | 'city' | 'district' | 'detail'>): string {
  return `${a.province}${a.city === a.province ? '' : a.city}${a.district}${a.detail}`
}
