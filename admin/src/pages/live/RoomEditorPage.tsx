/**
 * 创建直播 / 编辑直播: title, start time (shop clock), the stream, poster, community QR and the anchor's
 * name and avatar (uploaded like product images). The start time only while the room is upcoming; a
 * replay URL once it ended. A server refusal that names a field shows at that field; leaving with
 * unsaved changes asks first.
 */
import { ArrowLeftOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Form, Input, Select, Space, Typography } from 'antd'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import type { AdminRoom, StreamKind } from '../../../../cloud/contract'
import { ApiError, call, messageOf, upload } from '../../api'
import { ImageList } from '../../components/ImageList'
import { CenteredSpin, LoadError } from '../../components/states'
import { newRequestKey } from '../../lib/request-key'
import { useUnsavedGuard } from '../../lib/use-unsaved-guard'
import { SHOP_TZ } from '../../lib/time'
import { linkProps, navigate } from '../../router'
import { ROOM_STATUS_LABEL, STREAM_KIND_LABEL } from './labels'

const uploadUrl = async (file: File) => (await upload(file)).url

interface Draft {
  title: string
  /** datetime-local text on the shop's clock: 2026-12-01T20:00. */
  startsAt: string
  streamKind: StreamKind | ''
  streamUrl: string
  replayUrl: string
  poster: string[]
  communityQr: string[]
  anchorName: string
  anchorAvatar: string[]
}

const LOCAL = 'YYYY-MM-DDTHH:mm'
const toLocal = (iso: string) => dayjs(iso).tz(SHOP_TZ).format(LOCAL)
const fromLocal = (text: string) => dayjs.tz(text, SHOP_TZ).toISOString()
const one = (url: string) => (url ? [url] : [])

function draftOf(r: AdminRoom | null): Draft {
  if (!r) {
    return {
      title: '',
      startsAt: dayjs().tz(SHOP_TZ).add(1, 'hour').startOf('hour').format(LOCAL),
      streamKind: 'live-player',
      streamUrl: '',
      replayUrl: '',
      poster: [],
      communityQr: [],
      anchorName: '',
      anchorAvatar: [],
    }
  }
  return {
    title: r.title,
    startsAt: toLocal(r.startsAt),
    streamKind: r.streamKind ?? '',
    streamUrl: r.streamUrl ?? '',
    replayUrl: r.replayUrl ?? '',
    poster: one(r.poster),
    communityQr: one(r.communityQr),
    anchorName: r.anchorName,
    anchorAvatar: one(r.anchorAvatar),
  }
}

/** What is wrong with the draft before sending, by field. */
function problems(d: Draft): Record<string, string> {
  const p: Record<string, string> = {}
  if (!d.title.trim()) p.title = '请输入直播标题'
  else if (d.title.trim().length > 40) p.title = '直播标题最多 40 个字'
  if (!d.startsAt || !dayjs(d.startsAt).isValid()) p.startsAt = '请选择开播时间'
  if (d.streamUrl.trim().length > 500) p.streamUrl = '地址最多 500 个字符'
  if (d.anchorName.trim().length > 20) p.anchorName = '主播名称最多 20 个字'
  return p
}

export default function RoomEditorPage({ id }: { id: string | null }) {
  const { message } = App.useApp()
  const [room, setRoom] = useState<AdminRoom | null>(null)
  const [loading, setLoading] = useState(id !== null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<Draft>(() => draftOf(null))
  const [baseline, setBaseline] = useState(() => JSON.stringify(draftOf(null)))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  // A create whose answer was lost went through: the room it made, offered next to the button.
  const [madeRoom, setMadeRoom] = useState<string | null>(null)
  // 创建直播's idempotency key: one per editor session, sent again by every retry of the save.
  const [createKey] = useState(newRequestKey)

  const load = async () => {
    if (!id) return
    setLoading(true)
    setLoadError(null)
    try {
      const r = (await call('admin', 'liveRoom', { roomId: id })).room
      setRoom(r)
      const d = draftOf(r)
      setDraft(d)
      setBaseline(JSON.stringify(d))
    } catch (err) {
      setLoadError(messageOf(err))
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void load()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id])

  const dirty = JSON.stringify(draft) !== baseline
  useUnsavedGuard(dirty)

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }))
    setErrors((e) => ({ ...e, [k]: '' }))
  }

  const save = async () => {
    const p = problems(draft)
    setErrors(p)
    setRefusal(null)
    if (Object.values(p).some(Boolean)) return
    setSaving(true)
    const stream = draft.streamUrl.trim()
    try {
      if (!id) {
        const { roomId } = await call('admin', 'createLiveRoom', {
          title: draft.title.trim(),
          startsAt: fromLocal(draft.startsAt),
          ...(stream ? { streamUrl: stream, ...(draft.streamKind ? { streamKind: draft.streamKind } : {}) } : {}),
          poster: draft.poster[0] ?? '',
          communityQr: draft.communityQr[0] ?? '',
          ...(draft.anchorName.trim() ? { anchorName: draft.anchorName.trim() } : {}),
          anchorAvatar: draft.anchorAvatar[0] ?? '',
          idempotencyKey: createKey,
        })
        setBaseline(JSON.stringify(draft))
        message.success('直播已创建')
        await navigate(`/live/${encodeURIComponent(roomId)}/console`, { force: true })
        return
      }
      const before = draftOf(room)
      const { room: saved } = await call('admin', 'updateLiveRoom', {
        roomId: id,
        ...(draft.title !== before.title ? { title: draft.title.trim() } : {}),
        ...(room?.status === 'upcoming' && draft.startsAt !== before.startsAt ? { startsAt: fromLocal(draft.startsAt) } : {}),
        ...(draft.streamUrl !== before.streamUrl || draft.streamKind !== before.streamKind
          ? { streamUrl: stream || null, streamKind: draft.streamKind || null }
          : {}),
        ...(draft.replayUrl !== before.replayUrl ? { replayUrl: draft.replayUrl.trim() || null } : {}),
        // Only what changed is sent (and audited); an emptied 主播名称 puts the shop's name back.
        ...(draft.poster[0] !== before.poster[0] ? { poster: draft.poster[0] ?? '' } : {}),
        ...(draft.communityQr[0] !== before.communityQr[0] ? { communityQr: draft.communityQr[0] ?? '' } : {}),
        ...(draft.anchorName !== before.anchorName ? { anchorName: draft.anchorName.trim() || null } : {}),
        ...(draft.anchorAvatar[0] !== before.anchorAvatar[0] ? { anchorAvatar: draft.anchorAvatar[0] ?? '' } : {}),
      })
      setRoom(saved)
      const d = draftOf(saved)
      setDraft(d)
      setBaseline(JSON.stringify(d))
      message.success('已保存')
    } catch (err) {
      // The first try did create the room (its answer was lost) and the form was edited since.
      const made =
        err instanceof ApiError && err.code === 'IDEMPOTENCY_KEY_REUSED' ? (err.details as { roomId?: unknown } | undefined)?.roomId : null
      if (!id && typeof made === 'string') {
        setMadeRoom(made)
        return
      }
      if (err instanceof ApiError && err.fieldIssues().length) {
        setErrors(Object.fromEntries(err.fieldIssues().map((i) => [i.path.split('.')[0]!, i.message])))
      }
      setRefusal(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  if (loading) return <CenteredSpin />
  if (loadError) return <LoadError message={loadError} onRetry={() => void load()} />

  const startLocked = !!room && room.status !== 'upcoming'
  const field = (k: keyof Draft) => ({ validateStatus: errors[k] ? ('error' as const) : undefined, help: errors[k] || undefined })

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 880 }}>
      <Space>
        <Button icon={<ArrowLeftOutlined />} {...linkProps('/live')}>
          返回
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {id ? `编辑直播` : '创建直播'}
        </Typography.Title>
        {room ? <Typography.Text type="secondary">{ROOM_STATUS_LABEL[room.status]}</Typography.Text> : null}
      </Space>
      {refusal ? <Alert type="error" showIcon message={refusal} closable onClose={() => setRefusal(null)} /> : null}
      <Card>
        <Form layout="vertical" onFinish={() => void save()} disabled={saving}>
          <Form.Item label="直播标题" required {...field('title')}>
            <Input
              value={draft.title}
              maxLength={40}
              showCount
              placeholder="如：秋茶品鉴直播"
              onChange={(e) => set('title', e.target.value)}
              aria-label="直播标题"
            />
          </Form.Item>
          <Form.Item
            label="开播时间（北京时间）"
            required
            {...field('startsAt')}
            extra={startLocked ? '直播已开始，开播时间不能再修改' : '可设为过去一天到未来一年之内'}
          >
            <Input
              type="datetime-local"
              value={draft.startsAt}
              disabled={startLocked}
              onChange={(e) => set('startsAt', e.target.value)}
              style={{ width: 260 }}
              aria-label="开播时间"
            />
          </Form.Item>
          <Form.Item label="直播流" {...field('streamUrl')} extra="推流地址或视频号直播地址；留空则开播时只显示海报">
            <Space.Compact style={{ width: '100%' }}>
              <Select
                style={{ width: 260 }}
                value={draft.streamKind || undefined}
                placeholder="直播方式"
                onChange={(v: StreamKind) => set('streamKind', v)}
                options={(Object.keys(STREAM_KIND_LABEL) as StreamKind[]).map((k) => ({ value: k, label: STREAM_KIND_LABEL[k] }))}
              />
              <Input
                value={draft.streamUrl}
                maxLength={500}
                placeholder="https://…"
                onChange={(e) => set('streamUrl', e.target.value)}
                aria-label="直播流地址"
              />
            </Space.Compact>
          </Form.Item>
          {room?.status === 'ended' ? (
            <Form.Item label="回放地址" {...field('replayUrl')} extra="直播结束后观众看到的回放视频">
              <Input value={draft.replayUrl} maxLength={500} onChange={(e) => set('replayUrl', e.target.value)} aria-label="回放地址" />
            </Form.Item>
          ) : null}
          <Form.Item label="直播海报" {...field('poster')}>
            <ImageList value={draft.poster} onChange={(v) => set('poster', v)} max={1} upload={uploadUrl} testId="room-poster" />
          </Form.Item>
          <Form.Item label="社群二维码" {...field('communityQr')} extra="观众在直播间点「加入社群」时看到">
            <ImageList value={draft.communityQr} onChange={(v) => set('communityQr', v)} max={1} upload={uploadUrl} testId="room-qr" />
          </Form.Item>
          <Form.Item label="主播名称" {...field('anchorName')} extra="留空则显示店铺名">
            <Input
              value={draft.anchorName}
              maxLength={20}
              onChange={(e) => set('anchorName', e.target.value)}
              style={{ width: 260 }}
              aria-label="主播名称"
            />
          </Form.Item>
          <Form.Item label="主播头像" {...field('anchorAvatar')}>
            <ImageList
              value={draft.anchorAvatar}
              onChange={(v) => set('anchorAvatar', v)}
              max={1}
              upload={uploadUrl}
              testId="room-avatar"
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={saving}>
              {id ? '保存' : '创建直播'}
            </Button>
            {id ? <Button {...linkProps(`/live/${encodeURIComponent(id)}/console`)}>进入控制台</Button> : null}
            {madeRoom ? (
              <Typography.Text type="warning" data-testid="room-made">
                这个直播在网络中断前已经创建，修改未保存。
                <Typography.Link {...linkProps(`/live/${encodeURIComponent(madeRoom)}/console`)}>打开已创建的直播</Typography.Link>
                ，可在那里继续编辑。
              </Typography.Text>
            ) : null}
          </Space>
        </Form>
      </Card>
    </Space>
  )
}
