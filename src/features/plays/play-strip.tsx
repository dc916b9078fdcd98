import { Image, ScrollView, Text, View } from '@tarojs/components'
import type { HomeGroupPlay, HomePriceCutPlay } from '../../../cloud/contract'
import { assetUrl } from '../../lib/asset-url'
import { formatFen } from '../../lib/money'
import { useServerNow } from '../shared/server-clock'
import './play-strip.scss'

interface Props {
  groups: HomeGroupPlay[]
  priceCuts: HomePriceCutPlay[]
  onGroup: (campaignId: string) => void
  onPriceCut: (campaignId: string) => void
}

/**
 * The home's 拼团 · 砍价 strip: a card per play open now, scrolled sideways; nothing at all when none
 * runs. A card whose endsAt has passed on the server's clock leaves the strip without a reload.
 */
export function PlayStrip({ groups: listed, priceCuts: listedCuts, onGroup, onPriceCut }: Props) {
  const now = useServerNow(listed.length + listedCuts.length > 0)
  const groups = listed.filter((g) => new Date(g.endsAt).getTime() > now)
  const priceCuts = listedCuts.filter((c) => new Date(c.endsAt).getTime() > now)
  if (groups.length === 0 && priceCuts.length === 0) return null
  return (
    <View className="plays">
      <View className="plays__title">拼团 · 砍价</View>
      <ScrollView className="plays__row" scrollX enhanced showScrollbar={false}>
        {groups.map((g) => (
          <View key={g.campaignId} className="plays__card plays__card--group" onClick={() => onGroup(g.campaignId)}>
            <Image className="plays__cover" src={assetUrl(g.cover)} mode="aspectFill" lazyLoad />
            <Text className="plays__name">{g.productTitle}</Text>
            <Text className="plays__tag">{g.groupSize}人团</Text>
            <View className="plays__prices">
              <Text className="plays__price">拼团价 {formatFen(g.groupPriceFen)}</Text>
              <Text className="plays__was">{formatFen(g.priceFen)}</Text>
            </View>
          </View>
        ))}
        {priceCuts.map((c) => (
          <View key={c.campaignId} className="plays__card plays__card--cut" onClick={() => onPriceCut(c.campaignId)}>
            <Image className="plays__cover" src={assetUrl(c.cover)} mode="aspectFill" lazyLoad />
            <Text className="plays__name">{c.productTitle}</Text>
            <Text className="plays__tag">{c.helpsNeeded}人砍价</Text>
            <View className="plays__prices">
              <Text className="plays__price">砍到 {formatFen(c.floorPriceFen)}</Text>
              <Text className="plays__was">{formatFen(c.priceFen)}</Text>
            </View>
          </View>
        ))}
      </ScrollView>
    </View>
  )
}
