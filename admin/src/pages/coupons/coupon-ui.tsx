/**
 * What the coupon desk's pages share: the status tag, the window's text, the shop-clock conversions
 * of the window pickers, and the 暂停 / 恢复 / 结束 buttons (the CONFIRM_REQUIRED dialog is lib/confirm-warnings).
 */
import { App, Button, Popconfirm, Space, Tag } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'
import type { AdminCoupon, CouponStatus } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { SHOP_TZ, shopTime } from '../../lib/time'

export const STATUS_LABEL: Record<CouponStatus, string> = { active: '进行中', paused: '已暂停', ended: '已结束' }
const STATUS_COLOR: Record<CouponStatus, string> = { active: 'green', paused: 'orange', ended: 'default' }

export function StatusTag({ status }: { status: CouponStatus }) {
  return <Tag color={STATUS_COLOR[status]}>{STATUS_LABEL[status]}</Tag>
}

/** 2026-12-01 10:00 至 2026-12-31 23:59 (the claim window, on the shop's clock). */
export function windowText(c: Pick<AdminCoupon, 'validFrom' | 'validTo'>): string {
  return `${shopTime(c.validFrom, 'YYYY-MM-DD HH:mm')} 至 ${shopTime(c.validTo, 'YYYY-MM-DD HH:mm')}`
}

/** An instant as a picker shows it: the shop's wall-clock time, whatever the computer's zone. */
export const pickerValue = (iso: string): Dayjs => dayjs(shopTime(iso, 'YYYY-MM-DD HH:mm:ss'))
/** A picked wall-clock time read on the shop's clock, as an ISO instant. */
export const pickedInstant = (d: Dayjs): string => dayjs.tz(d.format('YYYY-MM-DD HH:mm:ss'), SHOP_TZ).toISOString()

/** 暂停 / 恢复 / 结束 of one coupon, each asked first; disabled while one is on its way. */
export function StatusActions({ coupon, onChanged }: { coupon: AdminCoupon; onChanged: (c: AdminCoupon) => void }) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  if (coupon.status === 'ended') return null
  const set = async (status: CouponStatus, done: string) => {
    setBusy(true)
    try {
      const r = await call('admin', 'setCouponStatus', { couponId: coupon.couponId, status })
      onChanged(r.coupon)
      message.success(done)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Space size={4}>
      {coupon.status === 'active' ? (
        <Popconfirm
          title={`暂停发放「${coupon.title}」？`}
          description="暂停后领券中心和直播间不再发放，已领的券仍可使用；可随时恢复"
          okText="暂停"
          cancelText="取消"
          onConfirm={() => set('paused', '已暂停发放')}
        >
          <Button size="small" disabled={busy}>
            暂停
          </Button>
        </Popconfirm>
      ) : (
        <Popconfirm title={`恢复发放「${coupon.title}」？`} okText="恢复" cancelText="取消" onConfirm={() => set('active', '已恢复发放')}>
          <Button size="small" disabled={busy}>
            恢复
          </Button>
        </Popconfirm>
      )}
      <Popconfirm
        title={`结束「${coupon.title}」？`}
        description="结束后不能再领取，也不能恢复；已领的券仍可在有效期内使用"
        okText="结束"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        onConfirm={() => set('ended', '已结束')}
      >
        <Button size="small" danger disabled={busy}>
          结束
        </Button>
      </Popconfirm>
    </Space>
  )
}
