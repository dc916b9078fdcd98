import Taro, { useDidShow, useLoad, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Button, Image, Text, View } from '@tarojs/components'
import { useRef } from 'react'
import type { ActionOutput } from '../../../cloud/contract'
import { ActionButton } from '../../components/action-button'
import { Price } from '../../components/price'
import { StateView } from '../../components/state-view'
import { ASSIST_REASON_TEXT, HELPED_WELCOME_TAKEN, useAssistStore } from '../../features/assist/assist-store'
import { helpRulesText, hms, termsText } from '../../features/assist/assist-text'
import { useCountdown } from '../../features/order/use-countdown'
import { serverNow } from '../../features/shared/server-clock'
import { assetUrl } from '../../lib/asset-url'
import { copyShareLink } from '../../lib/clipboard'
import { formatFen } from '../../lib/money'
import { navigateTo } from '../../lib/navigate'
import { routes } from '../../lib/routes'
import { toast } from '../../lib/toast'
import './index.scss'

type Task = ActionOutput<'assist', 'task'>

/** The task's time left on the server's clock; at zero the task is read again (it is expired then). */
function Countdown({ task, onZero }: { task: Task; onZero: () => void }) {
  const seconds = useCountdown(task.status === 'open' ? task.expiresAt : null, onZero)
  if (task.status !== 'open' || seconds === null) return null
  return <Text className="assist__countdown">剩余 {hms(seconds)} 结束</Text>
}

function Progress({ task }: { task: Task }) {
  const left = Math.max(0, task.helpsNeeded - task.helps)
  const percent = Math.round((task.helps / task.helpsNeeded) * 100)
  return (
    <View className="assist__progress">
      <View className="assist__bar">
        <View className="assist__bar-fill" style={{ width: `${percent}%` }} />
      </View>
      <Text className="assist__progress-text">
        {task.status === 'completed'
          ? `${task.helpsNeeded}位好友助力成功！`
          : task.status === 'expired'
            ? `助力已结束，共${task.helps}位好友助力`
            : `已有${task.helps}位好友助力，还差${left}位`}
      </Text>
    </View>
  )
}

/** The share text and page of a task (the weapp share card, the H5 copied link). */
const shareTitle = (task: Task) => `帮我助力一下：${termsText(task.campaign)}`

/**
 * The starter's next step: while the task is open, 邀请好友助力 first (weapp: the share button; H5: a
 * copied link, as the group page), buying at the price reached (砍价) second; once done, buy or see the reward.
 */
function StarterActions({ task }: { task: Task }) {
  const c = task.campaign
  const purchase = task.purchase
  const open = task.status === 'open'
  // Paused: helps don't count, so nobody is invited until the campaign resumes.
  const invite = open && c.status === 'active'
  return (
    <View className="assist__actions">
      {invite ? (
        process.env.TARO_ENV === 'weapp' ? (
          <Button className="assist__invite" openType="share">
            邀请好友助力
          </Button>
        ) : (
          <ActionButton onClick={() => copyShareLink(shareTitle(task), routes.assistTask(task.taskId), '链接已复制，发给好友即可为你助力')}>
            邀请好友助力
          </ActionButton>
        )
      ) : null}
      {purchase?.orderId ? (
        <ActionButton kind={invite ? 'secondary' : 'primary'} onClick={() => void navigateTo(routes.order(purchase.orderId!))}>
          查看订单
        </ActionButton>
      ) : purchase?.canBuy ? (
        <ActionButton kind={invite ? 'secondary' : 'primary'} onClick={() => void navigateTo(routes.assistCheckout(task.taskId))}>
          {task.status === 'completed' ? '砍到底价，立即购买' : `以 ${formatFen(task.priceNowFen ?? 0)} 购买`}
        </ActionButton>
      ) : null}
      {c.face === 'coupon' && task.status === 'completed' ? (
        <ActionButton kind="secondary" onClick={() => void navigateTo(routes.myCoupons)}>
          奖励券已发到券包，去看看
        </ActionButton>
      ) : null}
      {purchase && !purchase.orderId && !purchase.canBuy ? <Text className="assist__muted">已超过购买时间</Text> : null}
    </View>
  )
}

/**
 * A friend's view: the one button (claiming their own welcome coupon is the help — once per campaign:
 * a friend who has it helps with a tap), then the outcome.
 */
function FriendActions({ task, busy, onHelp, stopped }: { task: Task; busy: boolean; onHelp: () => void; stopped: boolean }) {
  const c = task.campaign
  const mine = task.myHelp
  // The help button is offered (and so the welcome coupon's hint beside it) only to one who may still help.
  const offered = (!mine || mine.retry) && task.status === 'open' && c.status === 'active'
  return (
    <View className="assist__actions">
      {/* Refused because the campaign stopped: the page's one line (活动已结束 / 活动暂停中) says it already. */}
      {mine && !mine.retry && stopped && !mine.counted && mine.reason === 'TASK_ENDED' ? null : mine && !mine.retry ? (
        <Text className={mine.counted ? 'assist__ok assist__outcome' : 'assist__warn assist__outcome'}>
          {mine.counted
            ? mine.welcomeCoupon === 'already'
              ? HELPED_WELCOME_TAKEN
              : '助力成功，谢谢你的帮忙！'
            : `未能助力：${mine.reason ? ASSIST_REASON_TEXT[mine.reason] : ''}`}
        </Text>
      ) : offered ? (
        <ActionButton loading={busy} onClick={onHelp}>
          {c.helperCoupon && !task.welcomeCouponHeld ? '领取新人券，帮TA助力' : '帮TA助力'}
        </ActionButton>
      ) : task.status === 'completed' ? (
        <Text className="assist__warn assist__outcome">已助力成功，无需再助力</Text>
      ) : null}
      {c.helperCoupon && offered ? (
        task.welcomeCouponHeld ? (
          <Text className="assist__muted">你已领过本活动的新人券（每人限领一次），助力仍会计入</Text>
        ) : (
          <Text className="assist__muted">
            你将获得「{c.helperCoupon.title}」{c.helperCoupon.ruleText}
          </Text>
        )
      ) : null}
      {mine?.counted && mine.welcomeCoupon === 'granted' ? <Text className="assist__muted">新人券已放入你的券包</Text> : null}
      {mine?.counted && mine.welcomeCoupon === 'already' ? (
        <Text className="assist__muted">你已在该活动领过新人券，本次助力已计入</Text>
      ) : null}
      {/* Starting is open only while the campaign runs: no 我也要发起 into a refusal. */}
      {c.status === 'active' && task.status !== 'expired' ? (
        <ActionButton kind="plain" onClick={() => void navigateTo(routes.assistCampaign(c.campaignId))}>
          我也要发起
        </ActionButton>
      ) : null}
    </View>
  )
}

/**
 * 好友助力 / 砍价 task page (`taskId`): the starter sees the progress, the countdown, the published
 * terms, every friend who tried (with why it did not count) and shares or buys; a friend sees the
 * same progress and helps with one tap, then reads the outcome.
 */
export default function AssistTaskPage() {
  const { params } = useRouter()
  const taskId = params.taskId ?? ''
  const entry = useAssistStore((s) => s.tasks[taskId])
  const busy = useAssistStore((s) => s.busy[taskId] ?? false)
  const { openTask, help } = useAssistStore.getState()
  const shown = useRef(false)

  useLoad(() => {
    if (taskId) void openTask(taskId)
  })
  useDidShow(() => {
    // Back from checkout or the order page: the purchase may have changed.
    if (shown.current && taskId) void openTask(taskId)
    shown.current = true
  })
  usePullDownRefresh(() => {
    void openTask(taskId).finally(() => Taro.stopPullDownRefresh())
  })
  useShareAppMessage(() => {
    return { title: entry?.data ? shareTitle(entry.data) : '帮我助力一下', path: routes.assistTask(taskId) }
  })

  if (!taskId) return <StateView kind="error" text="助力链接无效" />
  const task = entry?.data
  if (!task) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void openTask(taskId)} />
    return <StateView kind="loading" />
  }
  const c = task.campaign
  // One clear line when the campaign stopped: paused (helps don't count for now) or ended (task.status
  // is then expired unless it completed; the task's own time running out says 助力已结束 in the progress).
  const campaignEnded = c.status === 'ended' || new Date(c.endsAt).getTime() <= serverNow()
  const stopped =
    task.status === 'completed'
      ? null
      : campaignEnded
        ? '活动已结束'
        : c.status === 'paused' && task.status === 'open'
          ? '活动暂停中，暂不能助力'
          : null
  const doHelp = async () => {
    const r = await help(taskId)
    if (!r) return
    if ('error' in r) toast(r.error)
    else if (r.counted && r.welcomeCoupon === 'already') toast(HELPED_WELCOME_TAKEN, 'none')
    else toast(r.counted ? '助力成功' : `未能助力：${r.reason ? ASSIST_REASON_TEXT[r.reason] : ''}`, r.counted ? 'success' : 'none')
  }

  return (
    <View className="assist">
      <View className="assist__card">
        <View className="assist__starter">
          {task.starter.avatarUrl ? (
            <Image className="assist__avatar" src={assetUrl(task.starter.avatarUrl)} />
          ) : (
            <View className="assist__avatar assist__avatar--text">{task.starter.nickname.slice(0, 1) || '友'}</View>
          )}
          <Text className="assist__starter-name">{task.isStarter ? '我发起的助力' : `${task.starter.nickname} 邀你助力`}</Text>
        </View>
        <Text className="assist__title">{c.title}</Text>
        {c.product ? (
          <View className="assist__product">
            <Image className="assist__cover" src={assetUrl(c.product.cover)} mode="aspectFill" />
            <View className="assist__product-info">
              <Text className="assist__product-title">{c.product.title}</Text>
              <Text className="assist__muted">当前价</Text>
              <Price fen={task.priceNowFen ?? c.product.priceFen} listFen={c.product.priceFen} size="lg" />
            </View>
          </View>
        ) : null}
        <Text className="assist__terms">{termsText(c)}</Text>
        <Progress task={task} />
        <Countdown task={task} onZero={() => void openTask(taskId)} />
        {stopped ? <Text className="assist__warn assist__stopped">{stopped}</Text> : null}
        {task.isStarter ? (
          <StarterActions task={task} />
        ) : (
          <FriendActions task={task} busy={busy} onHelp={() => void doHelp()} stopped={stopped !== null} />
        )}
      </View>
      <View className="assist__card">
        <Text className="assist__section">{task.isStarter ? '为我助力的好友' : '助力好友'}</Text>
        {task.helpers.length === 0 ? (
          <Text className="assist__muted">
            {task.isStarter && task.status === 'open' && c.status === 'active' ? '还没有好友助力，快分享给好友吧' : '还没有好友助力'}
          </Text>
        ) : null}
        {task.helpers.map((h) => (
          <View key={h.at + h.nickname} className="assist__helper">
            <Text className="assist__helper-name">{h.nickname}</Text>
            <Text className={h.counted ? 'assist__ok' : 'assist__muted'}>
              {h.counted ? '已助力' : task.isStarter && h.reason ? `未计入：${ASSIST_REASON_TEXT[h.reason]}` : '未计入'}
            </Text>
          </View>
        ))}
      </View>
      <View className="assist__card">
        <Text className="assist__section">活动规则</Text>
        <Text className="assist__muted">{termsText(c)}。</Text>
        <Text className="assist__muted">{helpRulesText(c)}。</Text>
        <Text className="assist__muted">好友助力以好友本人的操作为准，分享本身不计为助力。</Text>
      </View>
    </View>
  )
}
