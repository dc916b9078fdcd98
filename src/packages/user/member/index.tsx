import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { MemberJoin } from '../../../features/member/member-join'

/**
 * A minimal 会员中心 for the ways in (issue 18's channels part): the member page proper (status, tier,
 * points) is the points part's, at this same path, and takes this one's place; it mounts <MemberJoin />.
 */
export default function MemberPage() {
  const [joined, setJoined] = useState<string | null>(null)
  return (
    <View className="member-page">
      {joined ? <Text style={{ display: 'block', padding: '12px 20px 0', color: '#07c160' }}>{joined}</Text> : null}
      <MemberJoin onJoined={(way) => setJoined(way === 'phone' ? '已通过手机号开通会员' : '已成为朋友会员')} />
    </View>
  )
}
