/** 操作日志 (owner): every write by staff, newest first — who, their role, what (in Chinese where known), which record, and the detail. */
import { ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Input, Space, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { AuditEntry } from '../../../../cloud/contract'
import { call } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { ROLE_LABEL } from '../../roles'
import { useLocation } from '../../router'

/** The actions' names in Chinese; an action not listed shows as written. */
export const ACTION_LABEL: Record<string, string> = {
  'admin.createProduct': '新建商品',
  'admin.updateProduct': '编辑商品',
  'admin.saveSkus': '保存规格',
  'admin.adjustStock': '调整库存',
  'admin.saveCategory': '保存分类',
  'admin.upload': '上传图片',
  'admin.ship': '发货',
  'admin.shipBatch': '批量发货',
  'admin.approveRefund': '同意退款',
  'admin.rejectRefund': '拒绝退款',
  'admin.refund': '主动退款',
  'admin.setStaff': '设置员工',
  'admin.createCoupon': '新建优惠券',
  'admin.issueCoupon': '发放优惠券',
  'admin.createDealCampaign': '新建9.9活动',
  'admin.createFlashSale': '新建秒杀',
  'admin.createLiveRoom': '新建直播间',
  'admin.setLiveStatus': '开播/结束直播',
  'admin.pushGoods': '直播讲解商品',
  'admin.dropCoupon': '直播发券',
  'admin.commitLottery': '发起抽奖',
  'admin.drawLottery': '开奖',
  'admin.awardTopSharers': '分享榜发奖',
  'admin.issueRoomCoupon': '发直播间券',
  'admin.approveWithdrawal': '同意提现',
  'admin.rejectWithdrawal': '拒绝提现',
  'auth.consoleLogin': '登录后台',
  'auth.consoleLogout': '退出后台',
}

export default function AuditPage() {
  const { query } = useLocation()
  const pages = useCursorPages()
  const action = query.get('action') ?? ''
  const [typed, setTyped] = useState(action)
  useEffect(() => setTyped(action), [action])
  const log = useLoad(
    () => call('admin', 'auditLog', { cursor: pages.cursor, ...(action ? { actionName: action } : {}) }),
    [pages.cursor, action],
  )

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        操作日志
      </Typography.Title>
      <Card size="small">
        <Space>
          <Input.Search
            allowClear
            placeholder="按操作筛选，如 admin.ship"
            style={{ width: 280 }}
            value={typed}
            maxLength={60}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(v) => pages.filter({ action: v.trim() })}
            enterButton="筛选"
          />
          <Button icon={<ReloadOutlined />} onClick={log.reload}>
            刷新
          </Button>
        </Space>
      </Card>
      {log.error ? (
        <LoadError message={log.error} onRetry={log.reload} />
      ) : (
        <Card size="small">
          <Table<AuditEntry>
            rowKey="id"
            loading={log.loading}
            dataSource={log.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '暂无操作记录' }}
            expandable={{
              expandedRowRender: (e) => (
                <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {JSON.stringify(e.detail, null, 2)}
                </pre>
              ),
              rowExpandable: (e) => Object.keys(e.detail).length > 0,
            }}
            columns={[
              { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => shopTime(v) },
              { title: '操作人', dataIndex: 'actorName', width: 140 },
              { title: '角色', dataIndex: 'actorRole', width: 80, render: (r: AuditEntry['actorRole']) => <Tag>{ROLE_LABEL[r]}</Tag> },
              {
                title: '操作',
                dataIndex: 'action',
                render: (a: string) => (
                  <span>
                    {ACTION_LABEL[a] ?? a}
                    {ACTION_LABEL[a] ? <span style={{ color: '#aaa', fontSize: 12, marginLeft: 6 }}>{a}</span> : null}
                  </span>
                ),
              },
              { title: '对象', dataIndex: 'target', render: (t: string) => (t ? <Typography.Text code>{t}</Typography.Text> : '—') },
            ]}
          />
          <Pager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={!!log.data?.nextCursor}
            onPrev={pages.prev}
            onNext={() => log.data?.nextCursor && pages.next(log.data.nextCursor)}
            onFirst={pages.first}
          />
        </Card>
      )}
    </Space>
  )
}
