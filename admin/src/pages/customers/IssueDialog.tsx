/**
 * 发券: a coupon in progress (进行中 or 已暂停: pausing stops claims, not the shop's own grants) to the
 * selected customers or to a whole segment, after a confirm that says how many. The coupons offered
 * are all of them, every page. One grant key per intended send (coupon + target), kept in the tab's
 * sessionStorage until the grant's answer arrives: a retry after a lost answer, a double click, or a
 * reload and 发放 again gives nobody a second coupon. The answer says 已发 N, 已有 M.
 */
import { App, Alert, Button, Modal, Radio, Result, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import type { AdminCoupon, MemberRow, Segment } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { newRequestKey } from '../../lib/request-key'
import { useLoad } from '../../lib/use-load'
import { SEGMENT_LABEL } from './segments'

/** At most this many pages of each status are read (20 a page): far more coupons than a shop runs at once. */
const MAX_PAGES = 50

/** Every coupon a grant can use: 进行中, then 已暂停, all pages. */
async function grantableCoupons(): Promise<AdminCoupon[]> {
  const all: AdminCoupon[] = []
  for (const status of ['active', 'paused'] as const) {
    let cursor: string | null = null
    for (let i = 0; i < MAX_PAGES; i++) {
      const page: { items: AdminCoupon[]; nextCursor: string | null } = await call('admin', 'coupons', { status, cursor })
      all.push(...page.items)
      cursor = page.nextCursor
      if (!cursor) break
    }
  }
  return all
}

/** Where the key of one intended send is kept: the coupon and the target (a segment, or the sorted ids). */
function storageKeyOf(couponId: string, to: { segment: Segment } | { userIds: string[] }): string {
  const target = 'segment' in to ? `segment:${to.segment}` : `users:${[...to.userIds].sort().join(',')}`
  return `weshop.grantKey:${couponId}:${target}`
}

/** The grant key of this send: the one kept for it (a send whose answer never came), else a new one kept. */
function grantKeyFor(storageKey: string): string {
  try {
    const kept = window.sessionStorage.getItem(storageKey)
    if (kept) return kept
    const key = newRequestKey()
    window.sessionStorage.setItem(storageKey, key)
    return key
  } catch {
    return newRequestKey()
  }
}

function forget(storageKey: string): void {
  try {
    window.sessionStorage.removeItem(storageKey)
  } catch {
    // storage unavailable: nothing was kept
  }
}

export function IssueDialog({
  couponId,
  selected,
  segment,
  segmentCount,
  onClose,
}: {
  couponId: string | null
  selected: MemberRow[]
  segment: Segment | null
  segmentCount: number | null
  onClose: (done: boolean) => void
}) {
  const { modal } = App.useApp()
  const [picked, setPicked] = useState<string | null>(couponId)
  const [target, setTarget] = useState<'selected' | 'segment'>(selected.length > 0 ? 'selected' : 'segment')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<{ issued: number; already: number } | null>(null)
  const coupons = useLoad(grantableCoupons, [])
  const options = (coupons.data ?? []).map((c) => ({
    value: c.couponId,
    label: `${c.title}（${c.ruleText}）${c.status === 'paused' ? ' · 已暂停' : ''}`,
  }))
  const chosen = coupons.data?.find((c) => c.couponId === picked) ?? null
  const canSegment = segment !== null
  const who = target === 'selected' ? selected.length : (segmentCount ?? 0)
  const targetText =
    target === 'selected'
      ? `已选的 ${selected.length} 位客户`
      : segment
        ? `「${SEGMENT_LABEL[segment]}」的 ${segmentCount ?? 0} 位客户`
        : ''
  const ready = !!picked && !busy && !(coupons.data && !chosen) && (target === 'selected' ? selected.length > 0 : canSegment)

  const send = () => {
    if (!picked) return
    modal.confirm({
      title: '确认发券',
      content: `将向${targetText}发放「${chosen?.title ?? '优惠券'}」，每人一张；本次已领到的客户不会重复发放。开启了到券提醒的客户会收到微信通知。`,
      okText: `发放给 ${who} 人`,
      cancelText: '取消',
      onOk: async () => {
        setBusy(true)
        setError(null)
        const to = target === 'selected' ? { userIds: selected.map((m) => m.userId) } : { segment: segment! }
        const storageKey = storageKeyOf(picked, to)
        try {
          const r = await call('admin', 'issueCoupon', { couponId: picked, grantKey: grantKeyFor(storageKey), ...to })
          forget(storageKey)
          setResult(r)
        } catch (err) {
          // A refusal is an answer (nothing was granted): the next send is a new one. A lost answer
          // keeps the key, so sending again, even after a reload, answers the first grant.
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) forget(storageKey)
          setError(messageOf(err))
        } finally {
          setBusy(false)
        }
      },
    })
  }

  return (
    <Modal
      open
      title="发券"
      width={560}
      onCancel={() => !busy && onClose(result !== null)}
      maskClosable={!busy}
      footer={
        result ? (
          <Button type="primary" onClick={() => onClose(true)}>
            完成
          </Button>
        ) : (
          <Space>
            <Button disabled={busy} onClick={() => onClose(false)}>
              取消
            </Button>
            <Button type="primary" loading={busy} disabled={!ready} onClick={send}>
              发放
            </Button>
          </Space>
        )
      }
    >
      {result ? (
        <Result
          status="success"
          title={`已发 ${result.issued} 张`}
          subTitle={result.already > 0 ? `已有 ${result.already} 位客户领过本次发放，未重复发放` : '每位客户一张'}
        />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <div>
            <Typography.Text strong>优惠券</Typography.Text>
            <Select
              style={{ width: '100%', marginTop: 8 }}
              placeholder={coupons.loading ? '正在加载…' : '选择一张进行中或已暂停的优惠券'}
              value={picked ?? undefined}
              onChange={setPicked}
              options={options}
              showSearch
              optionFilterProp="label"
              notFoundContent={coupons.error ?? '没有进行中或已暂停的优惠券'}
            />
            {picked && coupons.data && !chosen ? (
              <Typography.Text type="warning">这张券已结束或不存在，不能发放，请另选一张</Typography.Text>
            ) : chosen?.status === 'paused' ? (
              <Typography.Text type="secondary">这张券已暂停领取；发券不受影响，客户照常收到</Typography.Text>
            ) : null}
          </div>
          <div>
            <Typography.Text strong>发给</Typography.Text>
            <Radio.Group
              style={{ display: 'block', marginTop: 8 }}
              value={target}
              onChange={(e) => setTarget(e.target.value as 'selected' | 'segment')}
            >
              <Space direction="vertical">
                <Radio value="selected" disabled={selected.length === 0}>
                  已选的客户（{selected.length} 人）
                </Radio>
                <Radio value="segment" disabled={!canSegment}>
                  {segment
                    ? `整个「${SEGMENT_LABEL[segment]}」分群（${segmentCount ?? 0} 人，不限搜索条件）`
                    : '整个分群（先在列表上方选择一个分群）'}
                </Radio>
              </Space>
            </Radio.Group>
          </div>
          {!canSegment && selected.length === 0 ? <Alert type="info" showIcon message="请先在列表中勾选客户，或选择一个客户分群" /> : null}
          {error ? <Alert type="error" showIcon message={error} /> : null}
        </Space>
      )}
    </Modal>
  )
}
