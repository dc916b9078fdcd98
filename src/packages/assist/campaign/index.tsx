import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { AssistCampaignView } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { Price } from '../../../components/price'
import { StateView } from '../../../components/state-view'
import { useAssistStore } from '../../../features/assist/assist-store'
import { helpRulesText, termsText } from '../../../features/assist/assist-text'
import { assetUrl } from '../../../lib/asset-url'
import { navigateTo, redirectTo } from '../../../lib/navigate'
import { routes } from '../../../lib/routes'
import { toast } from '../../../lib/toast'
import '../index.scss'

const TASK_STATUS_TEXT = { open: '进行中', completed: '已完成', expired: '已结束' } as const

function Terms({ c }: { c: AssistCampaignView }) {
  return (
    <>
      <Text className="assist__title">{c.title}</Text>
      {c.product ? (
        <View className="assist__product">
          <Image className="assist__cover" src={assetUrl(c.product.cover)} mode="aspectFill" />
          <View className="assist__product-info">
            <Text className="assist__product-title">{c.product.title}</Text>
            <Text className="assist__muted">最低可砍到</Text>
            <Price fen={c.product.floorPriceFen} listFen={c.product.priceFen} size="lg" />
          </View>
        </View>
      ) : null}
      <Text className="assist__terms">{termsText(c)}</Text>
      {c.helperCoupon ? <Text className="assist__muted">好友助力可领「{c.helperCoupon.title}」（新人券，每人限领一次）</Text> : null}
      <Text className="assist__muted">{helpRulesText(c)}</Text>
    </>
  )
}

/** One campaign (`campaignId`): its published terms and 发起助力 / 发起砍价 (or the caller's task). */
function CampaignView({ campaignId }: { campaignId: string }) {
  const entry = useAssistStore((s) => s.campaigns[campaignId])
  const busy = useAssistStore((s) => s.busy[campaignId] ?? false)
  const { openCampaign, start } = useAssistStore.getState()
  const data = entry?.data
  if (!data) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void openCampaign(campaignId)} />
    return <StateView kind="loading" />
  }
  const c = data.campaign
  const doStart = async () => {
    const r = await start(campaignId)
    if (!r) return
    if ('error' in r) toast(r.error)
    else void redirectTo(routes.assistTask(r.taskId))
  }
  return (
    <View className="assist">
      <View className="assist__card">
        <Terms c={c} />
        {data.myTaskId ? (
          <ActionButton onClick={() => void navigateTo(routes.assistTask(data.myTaskId!))}>
            查看我的{c.face === 'price_cut' ? '砍价' : '助力'}
          </ActionButton>
        ) : c.status !== 'active' ? (
          <Text className="assist__warn">{c.status === 'paused' ? '活动暂停中，暂不能发起' : '活动已结束'}</Text>
        ) : (
          <ActionButton loading={busy} onClick={() => void doStart()}>
            {c.face === 'price_cut' ? '发起砍价' : '发起助力'}
          </ActionButton>
        )}
      </View>
    </View>
  )
}

/** Without a campaign: the campaigns open now and the caller's own tasks. */
function ListView() {
  const list = useAssistStore((s) => s.list)
  const { openList } = useAssistStore.getState()
  const data = list.data
  if (!data) {
    if (list.status === 'error')
      return <StateView kind="error" text={list.error ?? undefined} actionText="重试" onAction={() => void openList()} />
    return <StateView kind="loading" />
  }
  if (data.campaigns.length === 0 && data.myTasks.length === 0) return <StateView kind="empty" text="暂时没有助力活动" />
  return (
    <View className="assist">
      {data.myTasks.length > 0 ? (
        <View className="assist__card">
          <Text className="assist__section">我发起的</Text>
          {data.myTasks.map((t) => (
            <View key={t.taskId} className="assist__helper" onClick={() => void navigateTo(routes.assistTask(t.taskId))}>
              <Text className="assist__helper-name">{t.title}</Text>
              <Text className={t.status === 'completed' ? 'assist__ok' : 'assist__muted'}>
                {TASK_STATUS_TEXT[t.status]} · {t.helps}/{t.helpsNeeded} ›
              </Text>
            </View>
          ))}
        </View>
      ) : null}
      {data.campaigns.map((c) => (
        <View key={c.campaignId} className="assist__card" onClick={() => void navigateTo(routes.assistCampaign(c.campaignId))}>
          <Terms c={c} />
        </View>
      ))}
    </View>
  )
}

/** 好友助力 · 砍价: one campaign (`campaignId`), or without one the campaigns open now and the caller's tasks. */
export default function AssistCampaignPage() {
  const { params } = useRouter()
  const campaignId = params.campaignId ?? ''
  const { openCampaign, openList } = useAssistStore.getState()
  const load = () => (campaignId ? openCampaign(campaignId) : openList())
  // Read on every show: back from a task page, its progress and the caller's task have moved on.
  useDidShow(() => void load())
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))
  return campaignId ? <CampaignView campaignId={campaignId} /> : <ListView />
}
