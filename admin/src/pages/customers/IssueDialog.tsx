/**
 * 发券: an active coupon to the selected customers or to a whole segment, after a confirm that says
 * how many. One grant key per dialog (request-key.ts): a retry after a lost answer, or a double click,
 * gives nobody a second coupon. The answer says 已发 N, 已有 M.
 */
import { App, Alert, Button, Modal, Radio, Result, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import type { MemberRow, Segment } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { newRequestKey } from '../../lib/request-key'
import { useLoad } from '../../lib/use-load'
import { SEGMENT_LABEL } from './segments'

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
  const [grantKey] = useState(newRequestKey)
  const [picked, setPicked] = useState<string | null>(couponId)
  const [target, setTarget] = useState<'selected' | 'segment'>(selected.length > 0 ? 'selected' : 'segment')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<{ issued: number; already: number } | null>(null)
  const coupons = useLoad(() => call('admin', 'coupons', { status: 'active' }), [])
  const options = (coupons.data?.items ?? []).map((c) => ({ value: c.couponId, label: `${c.title}（${c.ruleText}）` }))
  const chosen = coupons.data?.items.find((c) => c.couponId === picked) ?? null
  const canSegment = segment !== null
  const who = target === 'selected' ? selected.length : (segmentCount ?? 0)
  const targetText =
    target === 'selected'
      ? `已选的 ${selected.length} 位客户`
      : segment
        ? `「${SEGMENT_LABEL[segment]}」的 ${segmentCount ?? 0} 位客户`
        : ''
  const ready = !!picked && !busy && (target === 'selected' ? selected.length > 0 : canSegment)

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
        try {
          const r = await call('admin', 'issueCoupon', {
            couponId: picked,
            grantKey,
            ...(target === 'selected' ? { userIds: selected.map((m) => m.userId) } : { segment: segment! }),
          })
          setResult(r)
        } catch (err) {
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
              placeholder={coupons.loading ? '正在加载…' : '选择一张进行中的优惠券'}
              value={picked ?? undefined}
              onChange={setPicked}
              options={options}
              showSearch
              optionFilterProp="label"
              notFoundContent={coupons.error ?? '没有进行中的优惠券'}
            />
            {picked && coupons.data && !chosen ? (
              <Typography.Text type="warning">这张券不在进行中，可能已结束或已暂停</Typography.Text>
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
