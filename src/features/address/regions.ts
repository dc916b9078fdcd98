/**
 * China's provinces, cities and districts for the address picker, from @vant/area-data (the GB/T
 * 2260 codes: a province is XX0000, its cities XXYY00, their districts XXYYZZ). Imported only by
 * the address page, so the data (about 100 KB) lives in that page's subpackage alone.
 */
import { areaList } from '@vant/area-data'

export interface Region {
  code: string
  name: string
}

const entries = (list: Record<string, string>): Region[] =>
  Object.entries(list)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))

const PROVINCES = entries(areaList.province_list)
const CITIES = entries(areaList.city_list)
const DISTRICTS = entries(areaList.county_list)

export const provinces = (): Region[] => PROVINCES
export const citiesOf = (provinceCode: string): Region[] => CITIES.filter((c) => c.code.startsWith(provinceCode.slice(0, 2)))
/** A few cities have no districts (东莞市, 中山市, 儋州市, 嘉峪关市): their list is empty. */
export const districtsOf = (cityCode: string): Region[] => DISTRICTS.filter((d) => d.code.startsWith(cityCode.slice(0, 4)))

/** The picker's three columns for the chosen indexes, each index kept inside its column. */
export function columnsAt(indexes: [number, number, number]): {
  columns: [Region[], Region[], Region[]]
  indexes: [number, number, number]
} {
  const p = Math.min(Math.max(indexes[0], 0), PROVINCES.length - 1)
  const cities = citiesOf(PROVINCES[p]!.code)
  const c = Math.min(Math.max(indexes[1], 0), Math.max(cities.length - 1, 0))
  const districts = cities[c] ? districtsOf(cities[c].code) : []
  const d = Math.min(Math.max(indexes[2], 0), Math.max(districts.length - 1, 0))
  return { columns: [PROVINCES, cities, districts], indexes: [p, c, d] }
}

/** The indexes of a saved address's names (by name, as WeChat's address and older saves have no codes); 0 where unknown. */
export function indexesOf(province: string, city: string, district: string): [number, number, number] {
  const p = Math.max(
    PROVINCES.findIndex((r) => r.name === province),
    0,
  )
  const cities = citiesOf(PROVINCES[p]!.code)
  const c = Math.max(
    cities.findIndex((r) => r.name === city),
    0,
  )
  const districts = cities[c] ? districtsOf(cities[c].code) : []
  const d = Math.max(
    districts.findIndex((r) => r.name === district),
    0,
  )
  return [p, c, d]
}
