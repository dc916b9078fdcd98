/**
 * 提现审核 (owner only): the sharers' withdrawals by status (the tab lives in the URL), newest first,
 * paged. A pending one is 通过 (a confirm dialog naming the amount and the person; the transfer
 * then waits for the user to confirm receipt) or 拒绝 (a reason required, shown to the user; the
 * amount goes back to their balance). After any answer but success (a refusal, a lost answer: the
 * server may have decided) the list is reloaded, so the rows show what is true. 已到账 shows when the
 * money arrived (到账时间).
 */
import { ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Form, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { AdminWithdrawal, WithdrawalStatus } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { useLocation } from '../../router'

export const STATUS_LABEL: Record<WithdrawalStatus, string> = {
  pending: '待审核',
  transferring: '待确认收款',
  paid: '已到账',
  rejected: '已拒绝',
  failed: '转账失败',
}
const STATUS_COLOR: Record<WithdrawalStatus, string> = {
  pending: 'orange',
  transferring: 'blue',
  paid: 'green',
  rejected: 'default',
  failed: 'red',
}
type TabKey = WithdrawalStatus | 'all'
const TABS: Array<{ key: TabKey; label: string }> = [
  { key: 'pending', label: '待审核' },
  { key: 'transferring', label: '待确认收款' },
  { key: 'paid', label: '已到账' },
  { key: 'rejected', label: '已拒绝' },
  { key: 'failed', label: '转账失败' },
  { key: 'all', label: '全部' },
]

const personOf = (w: AdminWithdrawal) => w.nickname || w.userId

export default function WithdrawalListPage() {
  const { message, modal } = App.useApp()
  const { query } = useLocation()
  const pages = useCursorPages()
  const tabParam = query.get('status')
  const tab: TabKey = TABS.some((t) => t.key === tabParam) ? (tabParam as TabKey) : 'pending'
  /** The withdrawal a decision is being sent for: its buttons (and the others') wait. */
  const [busy, setBusy] = useState<string | null>(null)
  const [rejecting, setRejecting] = useState<AdminWithdrawal | null>(null)
  const [reasonForm] = Form.useForm<{ reason: string }>()

  const list = useLoad(
    () => call('admin', 'withdrawals', { ...(tab === 'all' ? {} : { status: tab }), cursor: pages.cursor }),
    [tab, pages.cursor],
  )

  /**
   * Sends one decision; the server's refusal is shown as it says it. Whatever went wrong, the list is
   * reloaded: a row decided elsewhere, or a decision whose answer was lost on the way back (the server
   * may have made it), shows its true state instead of waiting for a retry to be refused.
   */
  async function decide(w: AdminWithdrawal, send: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(w.id)
    try {
      await send()
      message.success(done)
      list.reload()
      return true
    } catch (err) {
      message.error(messageOf(err))
      list.reload()
      return false
    } finally {
      setBusy(null)
    }
  }

  const approve = (w: AdminWithdrawal) =>
    modal.confirm({
      title: '通过这笔提现？',
      content: (
        <span data-testid="approve-confirm">
          将向 <b>{personOf(w)}</b> 转账 <b>{formatFen(w.amountFen)}</b>。通过后将发起转账，用户在小程序确认收款后到账。
        </span>
      ),
      okText: '通过并转账',
      cancelText: '取消',
      onOk: () => decide(w, () => call('admin', 'approveWithdrawal', { withdrawalId: w.id }), '已通过，等待用户确认收款'),
    })

  const submitReject = async () => {
    const w = rejecting
    if (!w) return
    const { reason } = await reasonForm.validateFields()
    const ok = await decide(
      w,
      () => call('admin', 'rejectWithdrawal', { withdrawalId: w.id, reason: reason.trim() }),
      '已拒绝，金额已退回用户余额',
    )
    if (ok) {
      setRejecting(null)
      reasonForm.resetFields()
    }
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          提现审核
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </Space>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          size="small"
          tabBarStyle={{ marginBottom: 8 }}
          activeKey={tab}
          onChange={(k) => pages.filter({ status: k === 'pending' ? null : k })}
          items={TABS.map((t) => ({ key: t.key, label: t.label }))}
        />
        {list.error ? (
          <LoadError message={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<AdminWithdrawal>
              size="small"
              data-testid="withdrawal-table"
              rowKey="id"
              loading={list.loading}
              dataSource={list.data?.withdrawals ?? []}
              pagination={false}
              locale={{ emptyText: tab === 'pending' ? '没有待审核的提现' : '暂无提现记录' }}
              columns={[
                { title: '申请人', key: 'person', ellipsis: true, render: (_: unknown, w) => personOf(w) },
                { title: '金额', dataIndex: 'amountFen', width: 120, align: 'right', render: (v: number) => formatFen(v) },
                { title: '申请时间', dataIndex: 'createdAt', width: 150, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 110,
                  render: (s: WithdrawalStatus) => <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag>,
                },
                {
                  title: '处理时间',
                  key: 'decidedAt',
                  width: 150,
                  render: (_: unknown, w) => shopTime(w.decidedAt, 'YYYY-MM-DD HH:mm'),
                },
                ...(tab === 'paid' || tab === 'all'
                  ? [
                      {
                        title: '到账时间',
                        key: 'finishedAt',
                        width: 150,
                        render: (_: unknown, w: AdminWithdrawal) =>
                          w.status === 'paid' && w.finishedAt ? shopTime(w.finishedAt, 'YYYY-MM-DD HH:mm') : '—',
                      },
                    ]
                  : []),
                { title: '原因', dataIndex: 'reason', ellipsis: true, render: (v: string | null) => v || '—' },
                {
                  title: '操作',
                  key: 'actions',
                  width: 150,
                  render: (_: unknown, w) =>
                    w.status === 'pending' ? (
                      <Space size={4}>
                        <Button size="small" type="primary" disabled={busy !== null} loading={busy === w.id} onClick={() => approve(w)}>
                          通过
                        </Button>
                        <Button size="small" danger disabled={busy !== null} onClick={() => setRejecting(w)}>
                          拒绝
                        </Button>
                      </Space>
                    ) : (
                      <Typography.Text type="secondary">—</Typography.Text>
                    ),
                },
              ]}
            />
            <Pager
              page={pages.page}
              hasPrev={pages.hasPrev}
              hasNext={!!list.data?.nextCursor}
              onPrev={pages.prev}
              onNext={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
              onFirst={pages.first}
            />
          </>
        )}
      </Card>
      <Modal
        open={rejecting !== null}
        title="拒绝提现"
        okText="拒绝"
        okButtonProps={{ danger: true, loading: rejecting !== null && busy === rejecting.id }}
        cancelButtonProps={{ disabled: busy !== null }}
        cancelText="取消"
        onOk={() => void submitReject().catch(() => undefined)}
        onCancel={() => {
          setRejecting(null)
          reasonForm.resetFields()
        }}
        destroyOnHidden
      >
        {rejecting ? (
          <p>
            {personOf(rejecting)} 申请提现 {formatFen(rejecting.amountFen)}，拒绝后金额退回其可提现余额。
          </p>
        ) : null}
        <Form form={reasonForm} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label="拒绝原因（用户可见）"
            rules={[
              { required: true, whitespace: true, message: '请填写拒绝原因' },
              { max: 200, message: '原因最多 200 个字' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：账户信息有误，请核对后重新申请" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
