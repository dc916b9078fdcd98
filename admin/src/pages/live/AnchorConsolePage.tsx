/**
 * 主播控制台 in the browser: 开始直播 / 结束直播 (confirmed), the live figures polled every few seconds,
 * the shelf (push a product, 讲解 one), coupons (drop a shop coupon, create a room-only one, see
 * claims), lotteries (commit shows the commitment, draw shows the masked winners), and after the end
 * the top-sharer award and a coupon to every viewer. Everything the mini-program's console does.
 */
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Avatar,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ActionOutput, AdminRoom, CenterCoupon, LotteryPool, LotteryView, ProductSummary, RoomView } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { sendConfirmed } from '../../lib/confirm-warnings'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen, parseYuan } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { shopTime } from '../../lib/time'
import { linkProps } from '../../router'
import { ruleText } from '../../lib/coupon-text'
import { POOL_LABEL, ROOM_STATUS_COLOR, ROOM_STATUS_LABEL } from './labels'

/** How often the live figures are read while the show is on. */
const POLL_MS = 4000

type Stats = ActionOutput<'admin', 'roomStats'>
type RoomCoupon = CenterCoupon & { dropped: boolean }

export default function AnchorConsolePage({ id }: { id: string | null }) {
  const roomId = id ?? ''
  const { message, modal } = App.useApp()
  const [room, setRoom] = useState<AdminRoom | null>(null)
  const [view, setView] = useState<RoomView | null>(null)
  const [stats, setStats] = useState<Stats | null>(null)
  const [coupons, setCoupons] = useState<RoomCoupon[]>([])
  const [lotteries, setLotteries] = useState<LotteryView[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  // When the data on screen was last fetched, and why the latest fetch (poll or 刷新) failed: the
  // console keeps what it shows and says so inline instead of going blank.
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null)
  const [staleError, setStaleError] = useState<string | null>(null)

  const loadAll = useCallback(async () => {
    const [r, v, s, c, l] = await Promise.all([
      call('admin', 'liveRoom', { roomId }),
      call('live', 'sync', { roomId }),
      call('admin', 'roomStats', { roomId }),
      call('admin', 'roomCoupons', { roomId }),
      call('live', 'lotteries', { roomId }),
    ])
    setRoom(r.room)
    if (v.room) setView(v.room)
    setStats(s)
    setCoupons(c.items)
    setLotteries(l.items)
    setUpdatedAt(new Date())
    setStaleError(null)
  }, [roomId])

  // The first load fails to a full-page error; a 刷新 of a console already shown keeps its data.
  const loaded = room !== null
  const first = useCallback(() => {
    setLoadError(null)
    loadAll().catch((err: unknown) => (loaded ? setStaleError(`刷新失败：${messageOf(err)}`) : setLoadError(messageOf(err))))
  }, [loadAll, loaded])
  useEffect(() => {
    setLoadError(null)
    loadAll().catch((err: unknown) => setLoadError(messageOf(err)))
  }, [loadAll])

  // The live figures: stats and the peak every few seconds while live (claims too). An upcoming
  // room is polled too, so a show started elsewhere (another tab, the phone) shows here.
  const status = room?.status
  const polling = useRef(false)
  useEffect(() => {
    if (!status || status === 'ended') return
    const t = setInterval(() => {
      if (polling.current) return
      polling.current = true
      const next =
        status === 'live'
          ? Promise.all([
              call('admin', 'roomStats', { roomId }),
              call('admin', 'liveRoom', { roomId }),
              call('admin', 'roomCoupons', { roomId }),
            ]).then(([s, r, c]) => {
              setStats(s)
              setRoom(r.room)
              setCoupons(c.items)
              setUpdatedAt(new Date())
              setStaleError(null)
            })
          : call('admin', 'roomStats', { roomId }).then((s) => {
              setStats(s)
              setUpdatedAt(new Date())
              setStaleError(null)
              return s.status !== status ? loadAll() : undefined
            })
      next
        .catch(() => setStaleError('数据更新失败，正在重试'))
        .finally(() => {
          polling.current = false
        })
    }, POLL_MS)
    return () => clearInterval(t)
  }, [status, roomId, loadAll])

  /** Runs one console action (buttons disabled meanwhile), then reloads what it changed. */
  const act = async (name: string, run: () => Promise<unknown>, done?: string) => {
    setBusy(name)
    try {
      await run()
      await loadAll()
      if (done) message.success(done)
      return true
    } catch (err) {
      message.error(messageOf(err))
      // Started or ended elsewhere (another tab, a cut answer that did go through): show it as it is now.
      if (err instanceof ApiError && err.code === 'ROOM_STATUS_CHANGED') await loadAll().catch(() => undefined)
      return false
    } finally {
      setBusy(null)
    }
  }

  if (!id) return <LoadError message="直播间不存在" />
  if (loadError) return <LoadError message={loadError} onRetry={first} />
  if (!room || !stats) return <CenteredSpin />

  const setStatus = (to: 'live' | 'ended') =>
    modal.confirm({
      title: to === 'live' ? '开始直播？' : '结束直播？',
      content:
        to === 'live' ? '开始后，预约的观众会收到开播提醒。' : '结束后观众只能看回放，直播专享券不能再领取，也不能再推送商品或新建抽奖。',
      okText: to === 'live' ? '开始直播' : '结束直播',
      okButtonProps: to === 'ended' ? { danger: true } : undefined,
      cancelText: '取消',
      onOk: () =>
        act(to, () => call('admin', 'setLiveStatus', { roomId, status: to }), to === 'live' ? '直播已开始' : '直播已结束').then(
          () => undefined,
        ),
    })

  const ended = room.status === 'ended'
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Button icon={<ArrowLeftOutlined />} {...linkProps('/live')}>
            返回
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="console-title">
            {room.title}
          </Typography.Title>
          <Tag color={ROOM_STATUS_COLOR[room.status]} data-testid="console-status">
            {ROOM_STATUS_LABEL[room.status]}
          </Tag>
          <Typography.Text type="secondary" data-testid="console-start">
            {room.startedAt ? `开播于 ${shopTime(room.startedAt, 'MM-DD HH:mm')}` : `预计开播 ${shopTime(room.startsAt, 'MM-DD HH:mm')}`}
          </Typography.Text>
        </Space>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={first}>
            刷新
          </Button>
          <Button {...linkProps(`/live/${encodeURIComponent(roomId)}/edit`)}>编辑</Button>
          <Button {...linkProps(`/live/${encodeURIComponent(roomId)}/report`)}>查看报告</Button>
          {room.status === 'upcoming' ? (
            <Button type="primary" loading={busy === 'live'} disabled={busy !== null} onClick={() => setStatus('live')}>
              开始直播
            </Button>
          ) : null}
          {room.status === 'live' ? (
            <Button danger type="primary" loading={busy === 'ended'} disabled={busy !== null} onClick={() => setStatus('ended')}>
              结束直播
            </Button>
          ) : null}
        </Space>
      </Space>

      {staleError ? (
        <Alert
          type="warning"
          showIcon
          data-testid="console-stale"
          message={`${staleError}${updatedAt ? `（显示的是 ${shopTime(updatedAt.toISOString(), 'HH:mm:ss')} 的数据）` : ''}`}
        />
      ) : null}
      <Card size="small" title={room.status === 'live' ? `实时数据（每 ${POLL_MS / 1000} 秒刷新）` : '数据'}>
        <Row gutter={16} data-testid="console-figures">
          <Col span={3}>
            <Statistic title="观看人数" value={stats.viewers} />
          </Col>
          <Col span={3}>
            <Statistic title="最高在线" value={room.peakViewers} />
          </Col>
          <Col span={3}>
            <Statistic title="点赞" value={stats.likes} />
          </Col>
          <Col span={3}>
            <Statistic title="评论" value={stats.comments} />
          </Col>
          <Col span={3}>
            <Statistic title="邀请成功" value={stats.credits} />
          </Col>
          <Col span={3}>
            <Statistic title="订单" value={stats.orders} />
          </Col>
          <Col span={6}>
            <Statistic title="成交额" value={formatFen(stats.gmvFen)} />
          </Col>
        </Row>
      </Card>

      <Row gutter={16}>
        <Col span={12}>
          <GoodsCard view={view} ended={ended} busy={busy} act={act} roomId={roomId} />
        </Col>
        <Col span={12}>
          <LotteryCard lotteries={lotteries} ended={ended} busy={busy} act={act} roomId={roomId} />
        </Col>
      </Row>
      <CouponsCard coupons={coupons} live={room.status === 'live'} ended={ended} busy={busy} act={act} roomId={roomId} />
      {ended ? <AfterShowCard busy={busy} act={act} roomId={roomId} loadedAt={updatedAt} /> : null}
    </Space>
  )
}

type Act = (name: string, run: () => Promise<unknown>, done?: string) => Promise<boolean>

function GoodsCard({
  view,
  ended,
  busy,
  act,
  roomId,
}: {
  view: RoomView | null
  ended: boolean
  busy: string | null
  act: Act
  roomId: string
}) {
  const [options, setOptions] = useState<ProductSummary[]>([])
  const [searching, setSearching] = useState(false)
  const [picked, setPicked] = useState<string | undefined>()
  const seq = useRef(0)
  const search = useCallback(async (q: string) => {
    const mine = ++seq.current
    setSearching(true)
    try {
      const r = q.trim() ? await call('catalog', 'search', { q: q.trim(), limit: 20 }) : await call('catalog', 'list', { limit: 20 })
      if (seq.current === mine) setOptions(r.items)
    } catch {
      if (seq.current === mine) setOptions([])
    } finally {
      if (seq.current === mine) setSearching(false)
    }
  }, [])
  useEffect(() => {
    void search('')
  }, [search])

  const goods = view?.goods ?? []
  const pinnedId = view?.pinned?.id ?? null
  const push = (productId: string, pin: boolean) =>
    act(`push:${productId}`, () => call('admin', 'pushGoods', { roomId, productId }), pin ? '已设为讲解中' : '商品已推送到直播间')

  return (
    <Card size="small" title="直播商品" data-testid="console-goods">
      {ended ? null : (
        <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
          <Select
            showSearch
            allowClear
            style={{ width: '100%' }}
            placeholder="搜索在售商品"
            filterOption={false}
            onSearch={(q) => void search(q)}
            loading={searching}
            value={picked}
            onChange={(v: string | undefined) => setPicked(v)}
            notFoundContent={searching ? '搜索中…' : '没有找到在售商品'}
            options={options.map((p) => ({
              value: p.id,
              label: `${p.title}（${formatFen(p.priceFen)}${p.memberPriceFen != null ? `，会员价 ${formatFen(p.memberPriceFen)}` : ''}，库存 ${p.stock}）`,
            }))}
            aria-label="选择商品"
            data-testid="goods-picker"
          />
          <Button
            type="primary"
            disabled={!picked || busy !== null}
            loading={busy === `push:${picked}`}
            onClick={() => picked && void push(picked, false).then((ok) => ok && setPicked(undefined))}
          >
            推送并讲解
          </Button>
        </Space.Compact>
      )}
      <List
        dataSource={goods}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有推送商品" /> }}
        renderItem={(g) => (
          <List.Item
            actions={
              ended || g.id === pinnedId
                ? []
                : [
                    <Button
                      key="pin"
                      size="small"
                      disabled={busy !== null}
                      loading={busy === `push:${g.id}`}
                      onClick={() => void push(g.id, true)}
                    >
                      讲解
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              avatar={<Avatar shape="square" size={48} src={g.cover || undefined} alt="" />}
              title={
                <Space>
                  {g.title}
                  {g.id === pinnedId ? <Tag color="red">讲解中</Tag> : null}
                </Space>
              }
              description={`${formatFen(g.priceFen)}${g.memberPriceFen != null ? ` · 会员价 ${formatFen(g.memberPriceFen)}` : ''} · 库存 ${g.stock}`}
            />
          </List.Item>
        )}
      />
    </Card>
  )
}

interface RoomCouponDraft {
  title: string
  kind: 'fixed' | 'percent'
  value: string
  percentOff: number | null
  maxOff: string
  threshold: string
  stock: number | null
  perUserLimit: number | null
}

const emptyCoupon = (): RoomCouponDraft => ({
  title: '直播专享券',
  kind: 'fixed',
  value: '',
  percentOff: null,
  maxOff: '',
  threshold: '0',
  stock: 100,
  perUserLimit: 1,
})

function CouponsCard({
  coupons,
  live,
  ended,
  busy,
  act,
  roomId,
}: {
  coupons: RoomCoupon[]
  live: boolean
  /** An ended room takes no new room-only coupon: 新建直播专享券 is not offered. */
  ended: boolean
  busy: string | null
  act: Act
  roomId: string
}) {
  const { modal } = App.useApp()
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState<RoomCouponDraft>(emptyCoupon)
  const [key, setKey] = useState(newRequestKey)
  const [problem, setProblem] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)

  const create = async () => {
    const threshold = parseYuan(draft.threshold || '0')
    const value = parseYuan(draft.value)
    const maxOff = draft.maxOff.trim() ? parseYuan(draft.maxOff) : null
    if (!draft.title.trim()) return setProblem('请输入优惠券名称')
    if (threshold === null) return setProblem('使用门槛格式不正确')
    if (draft.kind === 'fixed' && (value === null || value < 1)) return setProblem('请输入减免金额')
    if (draft.kind === 'percent' && !draft.percentOff) return setProblem('请输入折扣（减免百分比）')
    if (draft.maxOff.trim() && maxOff === null) return setProblem('最多减免金额格式不正确')
    if (!draft.stock || !draft.perUserLimit) return setProblem('请输入发放数量和每人限领')
    const { stock, perUserLimit } = draft
    const input = {
      title: draft.title.trim(),
      kind: draft.kind,
      ...(draft.kind === 'fixed' ? { valueFen: value! } : { percentOff: draft.percentOff!, ...(maxOff ? { maxOffFen: maxOff } : {}) }),
      thresholdFen: threshold,
      stock,
      perUserLimit,
      roomId,
      idempotencyKey: key,
    }
    setProblem(null)
    setCreating(true)
    try {
      // Legal but probably a mistake: the server lists its warnings; going ahead sends their codes.
      const made = await sendConfirmed(modal, '确认创建', (confirm) =>
        call('admin', 'createCoupon', { ...input, ...(confirm ? { confirm } : {}) }),
      )
      if (!made) return
      setOpen(false)
      setDraft(emptyCoupon())
      setKey(newRequestKey())
      await act('coupons', async () => undefined, '直播专享券已创建')
    } catch (err) {
      setProblem(messageOf(err))
    } finally {
      setCreating(false)
    }
  }

  return (
    <Card
      size="small"
      title="优惠券"
      data-testid="console-coupons"
      extra={
        ended ? null : (
          <Button size="small" onClick={() => setOpen(true)}>
            新建直播专享券
          </Button>
        )
      }
    >
      <Table<RoomCoupon>
        rowKey="couponId"
        size="small"
        pagination={false}
        dataSource={coupons}
        locale={{ emptyText: '没有可发的券：先在「营销 · 优惠券」建券，或新建直播专享券' }}
        columns={[
          {
            title: '券',
            dataIndex: 'title',
            render: (t: string, c) => (
              <Space>
                {t}
                {c.roomId ? <Tag color="magenta">直播专享</Tag> : null}
              </Space>
            ),
          },
          { title: '规则', width: 200, render: (_: unknown, c) => ruleText(c) },
          { title: '已领 / 总量', width: 120, align: 'right', render: (_: unknown, c) => `${c.claimed} / ${c.stock}` },
          {
            title: '发券',
            width: 120,
            render: (_: unknown, c) =>
              c.dropped ? (
                <Tag color="green">已发出</Tag>
              ) : (
                <Button
                  size="small"
                  type="primary"
                  disabled={!live || busy !== null}
                  loading={busy === `drop:${c.couponId}`}
                  title={live ? undefined : '直播中才能发券'}
                  onClick={() =>
                    void act(
                      `drop:${c.couponId}`,
                      () => call('admin', 'dropCoupon', { roomId, couponId: c.couponId }),
                      `「${c.title}」已发出`,
                    )
                  }
                >
                  发券
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={open}
        title="新建直播专享券"
        okText="创建"
        cancelText="取消"
        confirmLoading={creating}
        onOk={() => void create()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 12 }} /> : null}
        <Form layout="vertical">
          <Form.Item label="名称">
            <Input value={draft.title} maxLength={30} onChange={(e) => setDraft({ ...draft, title: e.target.value })} aria-label="券名称" />
          </Form.Item>
          <Form.Item label="类型">
            <Radio.Group
              value={draft.kind}
              onChange={(e) => setDraft({ ...draft, kind: e.target.value as 'fixed' | 'percent' })}
              options={[
                { value: 'fixed', label: '满减券' },
                { value: 'percent', label: '折扣券' },
              ]}
            />
          </Form.Item>
          {draft.kind === 'fixed' ? (
            <Form.Item label="减免金额（元）">
              <Input value={draft.value} onChange={(e) => setDraft({ ...draft, value: e.target.value })} aria-label="减免金额" />
            </Form.Item>
          ) : (
            <Space>
              <Form.Item label="减免百分比（15 即 8.5折）">
                <InputNumber min={1} max={99} value={draft.percentOff} onChange={(v) => setDraft({ ...draft, percentOff: v })} />
              </Form.Item>
              <Form.Item label="最多减（元，可空）">
                <Input value={draft.maxOff} onChange={(e) => setDraft({ ...draft, maxOff: e.target.value })} />
              </Form.Item>
            </Space>
          )}
          <Form.Item label="使用门槛（元，0 为无门槛）">
            <Input value={draft.threshold} onChange={(e) => setDraft({ ...draft, threshold: e.target.value })} aria-label="使用门槛" />
          </Form.Item>
          <Space>
            <Form.Item label="发放数量">
              <InputNumber min={1} max={10_000_000} value={draft.stock} onChange={(v) => setDraft({ ...draft, stock: v })} />
            </Form.Item>
            <Form.Item label="每人限领">
              <InputNumber min={1} max={100} value={draft.perUserLimit} onChange={(v) => setDraft({ ...draft, perUserLimit: v })} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  )
}

function LotteryCard({
  lotteries,
  ended,
  busy,
  act,
  roomId,
}: {
  lotteries: LotteryView[]
  ended: boolean
  busy: string | null
  act: Act
  roomId: string
}) {
  const [winners, setWinners] = useState<number | null>(3)
  const [pool, setPool] = useState<LotteryPool>('viewers')
  const [prize, setPrize] = useState('')
  // One key per filled form: a retry of the same form after a cut answer (发起抽奖 again) is answered
  // with the lottery already committed; a changed form or a committed one takes a new key.
  const requestKey = useRef(newRequestKey())
  const [formKey, setFormKey] = useState('')
  const formNow = `${winners}|${pool}|${prize.trim()}`
  if (formKey !== formNow) {
    setFormKey(formNow)
    requestKey.current = newRequestKey()
  }
  const commit = () =>
    act(
      'commit',
      () =>
        call('admin', 'commitLottery', {
          roomId,
          winners: winners ?? 1,
          pool,
          ...(prize.trim() ? { prize: prize.trim() } : {}),
          idempotencyKey: requestKey.current,
        }),
      '抽奖已创建，承诺值已公布',
    ).then((ok) => {
      if (!ok) return
      setPrize('')
      requestKey.current = newRequestKey()
    })

  return (
    <Card size="small" title="抽奖" data-testid="console-lottery">
      {ended ? null : (
        <Space wrap style={{ marginBottom: 12 }}>
          <InputNumber
            min={1}
            max={100}
            value={winners}
            onChange={setWinners}
            addonAfter="人中奖"
            style={{ width: 150 }}
            aria-label="中奖人数"
          />
          <Select
            value={pool}
            onChange={setPool}
            style={{ width: 200 }}
            options={(['viewers', 'sharers'] as LotteryPool[]).map((p) => ({ value: p, label: POOL_LABEL[p] }))}
          />
          <Input
            value={prize}
            maxLength={60}
            placeholder="奖品，如：明前龙井一盒"
            onChange={(e) => setPrize(e.target.value)}
            style={{ width: 220 }}
            aria-label="奖品"
          />
          <Button type="primary" disabled={!winners || busy !== null} loading={busy === 'commit'} onClick={() => void commit()}>
            发起抽奖
          </Button>
        </Space>
      )}
      <List
        dataSource={lotteries}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有抽奖" /> }}
        renderItem={(l) => (
          <List.Item
            data-testid="lottery-item"
            actions={
              l.status === 'committed'
                ? [
                    <Button
                      key="draw"
                      type="primary"
                      size="small"
                      disabled={busy !== null}
                      loading={busy === `draw:${l.lotteryId}`}
                      onClick={() =>
                        void act(`draw:${l.lotteryId}`, () => call('admin', 'drawLottery', { lotteryId: l.lotteryId }), '已开奖')
                      }
                    >
                      开奖
                    </Button>,
                  ]
                : []
            }
          >
            <Descriptions size="small" column={1} style={{ width: '100%' }}>
              <Descriptions.Item label="奖品">
                {l.prize || '—'}（{l.winners} 人，{POOL_LABEL[l.pool]}）
              </Descriptions.Item>
              <Descriptions.Item label="承诺值">
                <Typography.Text code copyable style={{ fontSize: 12 }} data-testid="lottery-commitment">
                  {l.commitment}
                </Typography.Text>
              </Descriptions.Item>
              {l.status === 'drawn' ? (
                <>
                  <Descriptions.Item label="中奖者">
                    <span data-testid="lottery-winners">
                      {l.winnerList && l.winnerList.length ? l.winnerList.map((w) => w.name).join('、') : '没有符合条件的参与者'}
                    </span>
                    （共 {l.candidateCount ?? 0} 人参与）
                  </Descriptions.Item>
                  <Descriptions.Item label="随机种子">
                    <Typography.Text code style={{ fontSize: 12 }}>
                      {l.seed}
                    </Typography.Text>
                  </Descriptions.Item>
                </>
              ) : null}
            </Descriptions>
          </List.Item>
        )}
      />
    </Card>
  )
}

function AfterShowCard({
  busy,
  act,
  roomId,
  loadedAt,
}: {
  busy: string | null
  act: Act
  roomId: string
  /** When the console last loaded (刷新, an action): the list is fetched again with it. */
  loadedAt: Date | null
}) {
  const { modal, message } = App.useApp()
  const [award, setAward] = useState<string | undefined>()
  const [issue, setIssue] = useState<string | undefined>()
  // The coupons a grant can give: active ones, stock 0 included (a prize coupon keeps no claim stock).
  const [coupons, setCoupons] = useState<RoomCoupon[]>([])
  useEffect(() => {
    call('admin', 'roomCoupons', { roomId, grantable: true })
      .then((r) => setCoupons(r.items))
      .catch((err: unknown) => message.error(messageOf(err)))
  }, [roomId, message, loadedAt])
  const options = coupons.map((c) => ({ value: c.couponId, label: `${c.title}（${ruleText(c)}）` }))
  const titleOf = (id: string | undefined) => coupons.find((c) => c.couponId === id)?.title ?? ''
  return (
    <Card size="small" title="直播结束后">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space>
          <span style={{ width: 150, display: 'inline-block' }}>奖励分享前三名：</span>
          <Select
            data-testid="award-coupon"
            style={{ width: 320 }}
            placeholder="选择奖励的券"
            value={award}
            onChange={setAward}
            options={options}
          />
          <Button
            disabled={!award || busy !== null}
            loading={busy === 'award'}
            onClick={() =>
              modal.confirm({
                title: `把「${titleOf(award)}」发给分享前三名？`,
                content: '每场直播只能奖励一次，店员不参与排名奖励。',
                okText: '发放',
                cancelText: '取消',
                onOk: () =>
                  act('award', async () => {
                    const r = await call('admin', 'awardTopSharers', { roomId, couponId: award! })
                    modal.success({ title: r.awarded.length ? `已奖励 ${r.awarded.length} 位分享者` : '还没有分享者，未发放' })
                  }).then(() => undefined),
              })
            }
          >
            发放奖励
          </Button>
        </Space>
        <Space>
          <span style={{ width: 150, display: 'inline-block' }}>给本场观众发券：</span>
          <Select
            data-testid="issue-coupon"
            style={{ width: 320 }}
            placeholder="选择要发的券"
            value={issue}
            onChange={setIssue}
            options={options}
          />
          <Button
            disabled={!issue || busy !== null}
            loading={busy === 'issue'}
            onClick={() =>
              modal.confirm({
                title: `把「${titleOf(issue)}」发给本场每位观众？`,
                content: '每位观众只发一张，重复操作不会重复发放。',
                okText: '发放',
                cancelText: '取消',
                onOk: () =>
                  act('issue', async () => {
                    const r = await call('admin', 'issueRoomCoupon', { roomId, couponId: issue! })
                    modal.success({ title: `已发给 ${r.issued} 位观众${r.already ? `（${r.already} 位之前已发过）` : ''}` })
                  }).then(() => undefined),
              })
            }
          >
            发券
          </Button>
        </Space>
      </Space>
    </Card>
  )
}
