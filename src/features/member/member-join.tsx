import { Button, Image, Input, Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { PrivacyPopup } from '../../components/privacy-popup'
import { ActionButton } from '../../components/action-button'
import { assetUrl } from '../../lib/asset-url'
import { toast } from '../../lib/toast'
import { useJoinStore } from './join-store'
import './member-join.scss'

const weapp = process.env.TARO_ENV === 'weapp'
/** How often the shown 联系我 code asks whether the contact was added, and for how long. */
const POLL_MS = 3_000
const POLL_FOR_MS = 10 * 60_000

export type JoinWay = 'phone' | 'wecom'

interface Props {
  /** Called once the caller is a member by one of the ways (the page then reloads member.status). */
  onJoined?: (way: JoinWay) => void
}

/**
 * The two ways into membership (docs/rules.md "Membership (会员)"): 手机号快捷开通 (weapp: WeChat's
 * getPhoneNumber button behind the privacy prompt; H5: the sandbox's form, sending
 * `sandbox-phone:<number>`) and 添加企业微信成为朋友会员 (the caller's 联系我 QR, recognised by a long
 * press on weapp; 模拟添加 in the sandbox), which polls until the contact is added.
 */
export function MemberJoin({ onJoined }: Props) {
  const joining = useJoinStore((s) => s.joining)
  const contact = useJoinStore((s) => s.contact)
  const contactStatus = useJoinStore((s) => s.contactStatus)
  const contactError = useJoinStore((s) => s.contactError)
  const simulating = useJoinStore((s) => s.simulating)
  const [phone, setPhone] = useState('')
  const [phoneError, setPhoneError] = useState<string | null>(null)
  const [joinedPhone, setJoinedPhone] = useState<string | null>(null)
  const [showQr, setShowQr] = useState(false)

  useEffect(() => () => useJoinStore.getState().reset(), [])

  const added = contact?.added === true
  // While the code is shown and not yet added, ask every few seconds (the shopper adds it in WeChat and comes back).
  useEffect(() => {
    if (!showQr || contactStatus !== 'ready' || added) return
    const started = Date.now()
    const timer = setInterval(() => {
      if (Date.now() - started > POLL_FOR_MS) return clearInterval(timer)
      void useJoinStore.getState().loadContact(true)
    }, POLL_MS)
    return () => clearInterval(timer)
  }, [showQr, contactStatus, added])
  useEffect(() => {
    if (showQr && added) onJoined?.('wecom')
    // onJoined is the parent's callback: a new function each render must not call it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [showQr, added])

  const join = async (code: string) => {
    const r = await useJoinStore.getState().joinByPhone(code)
    if (!r.ok) {
      setPhoneError(r.message)
      return toast(r.message)
    }
    setPhoneError(null)
    setJoinedPhone(r.phone)
    toast('开通成功', 'success')
    onJoined?.('phone')
  }

  const onPhoneNumber = (detail: { errMsg?: string; code?: string }) => {
    if (detail.code) return void join(detail.code)
    // Refused at the prompt (the privacy prompt or WeChat's own), or the mini-program lacks the permission.
    if (/privacy/i.test(detail.errMsg ?? '')) return toast('同意《用户隐私保护指引》后才能获取手机号')
    if (/deny|cancel/i.test(detail.errMsg ?? '')) return toast('已取消，可随时再开通')
    toast('暂时无法获取手机号，请稍后再试')
  }

  const submitSandboxPhone = () => {
    const digits = phone.replace(/\s/g, '')
    if (!/^1[3-9]\d{9}$/.test(digits)) return setPhoneError('请输入 11 位中国大陆手机号')
    void join(`sandbox-phone:${digits}`)
  }

  const openQr = () => {
    setShowQr(true)
    void useJoinStore.getState().loadContact()
  }

  const simulate = async () => {
    const r = await useJoinStore.getState().simulateAdd()
    if (!r.ok) return toast(r.message)
    await useJoinStore.getState().loadContact(true)
  }

  return (
    <View className="member-join">
      <View className="member-join__way">
        <Text className="member-join__title">手机号快捷开通</Text>
        <Text className="member-join__desc">验证微信绑定的手机号，立即成为会员，享会员价和积分</Text>
        {joinedPhone ? (
          <Text className="member-join__done">已开通会员，手机号 {joinedPhone}</Text>
        ) : weapp ? (
          <Button
            className="member-join__phone-button"
            openType="getPhoneNumber"
            disabled={joining}
            loading={joining}
            onGetPhoneNumber={(e) => onPhoneNumber(e.detail as { errMsg?: string; code?: string })}
          >
            手机号快捷开通
          </Button>
        ) : (
          <View className="member-join__sandbox">
            <Text className="member-join__badge">沙箱环境</Text>
            <Text className="member-join__hint">此处模拟微信手机号快速验证：输入手机号即视为验证通过</Text>
            <Input
              className="member-join__input"
              type="number"
              maxlength={11}
              value={phone}
              placeholder="输入 11 位手机号"
              onInput={(e) => {
                setPhone(e.detail.value)
                setPhoneError(null)
              }}
            />
            <ActionButton className="member-join__submit" loading={joining} onClick={submitSandboxPhone}>
              验证并开通
            </ActionButton>
          </View>
        )}
        {phoneError ? <Text className="member-join__error">{phoneError}</Text> : null}
        <Text className="member-join__note">手机号仅用于会员身份识别，展示时隐藏中间四位</Text>
      </View>

      <View className="member-join__way">
        <Text className="member-join__title">添加企业微信成为朋友会员</Text>
        <Text className="member-join__desc">添加店长的企业微信，即成为朋友会员；删除好友后朋友会员身份随之结束</Text>
        {!showQr ? (
          <ActionButton className="member-join__submit" kind="wechat" onClick={openQr}>
            显示企业微信二维码
          </ActionButton>
        ) : contactStatus === 'loading' || (contactStatus === 'idle' && !contact) ? (
          <Text className="member-join__hint">二维码生成中…</Text>
        ) : contactStatus === 'error' && !contact ? (
          <View className="member-join__sandbox">
            <Text className="member-join__error">{contactError ?? '二维码加载失败'}</Text>
            <ActionButton className="member-join__submit" kind="plain" onClick={openQr}>
              重试
            </ActionButton>
          </View>
        ) : contact && added ? (
          <Text className="member-join__done">已添加企业微信，你已是朋友会员</Text>
        ) : contact ? (
          <View className="member-join__qr-box">
            <Image className="member-join__qr" src={assetUrl(contact.qrCodeUrl)} mode="aspectFit" showMenuByLongpress />
            <Text className="member-join__hint">{weapp ? '长按识别二维码，添加后自动开通' : '用微信扫码添加，添加后自动开通'}</Text>
            <Text className="member-join__waiting">等待添加…</Text>
            {contact.sandboxAddUrl ? (
              <ActionButton className="member-join__submit" kind="secondary" loading={simulating} onClick={() => void simulate()}>
                模拟添加（沙箱）
              </ActionButton>
            ) : null}
          </View>
        ) : null}
      </View>
      <PrivacyPopup />
    </View>
  )
}
