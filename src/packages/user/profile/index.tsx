import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Image, Input, Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import type { AvatarUpload } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import { avatarUpload } from '../../../features/profile/avatar-image'
import { hasDefaultNickname, useProfileStore } from '../../../features/profile/profile-store'
import { useSessionStore } from '../../../features/session/session-store'
import { assetUrl } from '../../../lib/asset-url'
import { toast } from '../../../lib/toast'
import './index.scss'

const NICKNAME_MAX = 20
const weapp = process.env.TARO_ENV === 'weapp'

/**
 * Who I am: the avatar and nickname other shoppers see (comments, invites, the share leaderboard).
 * On weapp WeChat fills both (the chooseAvatar button, the nickname keyboard); on H5 an image from
 * the device and a typed name. Both pass the content check on the server before anyone sees them.
 */
export default function ProfilePage() {
  const user = useSessionStore((s) => s.user)
  const status = useSessionStore((s) => s.status)
  const error = useSessionStore((s) => s.error)
  const load = useSessionStore((s) => s.load)
  const saving = useProfileStore((s) => s.saving)
  const [nickname, setNickname] = useState('')
  const [avatar, setAvatar] = useState<{ preview: string; upload: AvatarUpload } | null>(null)
  const [errors, setErrors] = useState<{ nickname?: string; avatar?: string }>({})

  useDidShow(() => void load(true))
  // The field starts empty for the default name (微信用户…), so WeChat's nickname keyboard offers the real one.
  const stored = user ? (hasDefaultNickname(user) ? '' : user.nickname) : null
  useEffect(() => {
    if (stored !== null) setNickname(stored)
  }, [stored])

  const takeImage = async (path: string) => {
    try {
      setAvatar({ preview: path, upload: await avatarUpload(path) })
      setErrors((e) => ({ ...e, avatar: undefined }))
    } catch {
      setErrors((e) => ({ ...e, avatar: '这张图片无法使用，请换一张' }))
    }
  }
  const chooseOnH5 = async () => {
    try {
      const { tempFilePaths } = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
      if (tempFilePaths[0]) await takeImage(tempFilePaths[0])
    } catch {
      // closed the chooser
    }
  }

  const submit = async () => {
    if (!user) return
    const name = nickname.trim()
    const changes: { nickname?: string; avatar?: AvatarUpload } = {}
    if (name && name !== user.nickname) changes.nickname = name
    if (avatar) changes.avatar = avatar.upload
    if (!name && !avatar) return setErrors({ nickname: '请填写昵称' })
    if (Array.from(name).length > NICKNAME_MAX) return setErrors({ nickname: `昵称 1-${NICKNAME_MAX} 字` })
    if (!changes.nickname && !changes.avatar) return toast('资料没有变化')
    const saved = await useProfileStore.getState().save(changes)
    if (!saved.ok) {
      const byField = saved.fields ?? {}
      setErrors({ nickname: byField.nickname, avatar: byField.avatar ?? byField['avatar.base64'] ?? byField['avatar.mime'] })
      return toast(saved.message)
    }
    setErrors({})
    setAvatar(null)
    toast('资料已保存', 'success')
  }

  if (!user) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void load(true)} />
    return <StateView kind="loading" />
  }

  const shown = avatar?.preview ?? (user.avatarUrl ? assetUrl(user.avatarUrl) : null)
  const face = shown ? (
    <Image className="profile__avatar-img" src={shown} mode="aspectFill" />
  ) : (
    <Text className="profile__avatar-letter">{user.nickname.slice(0, 1)}</Text>
  )

  return (
    <View className="profile">
      <View className="profile__card">
        <View className="profile__field profile__field--avatar">
          <Text className="profile__label">头像</Text>
          {weapp ? (
            <Button
              className="profile__avatar"
              openType="chooseAvatar"
              onChooseAvatar={(e) => void takeImage(e.detail.avatarUrl as string)}
            >
              {face}
            </Button>
          ) : (
            <View className="profile__avatar" onClick={() => void chooseOnH5()}>
              {face}
            </View>
          )}
          <Text className="profile__arrow">›</Text>
        </View>
        {errors.avatar ? <Text className="profile__error">{errors.avatar}</Text> : null}
        <View className="profile__field">
          <Text className="profile__label">昵称</Text>
          <Input
            className="profile__input"
            type={weapp ? 'nickname' : 'text'}
            value={nickname}
            placeholder={weapp ? '点击使用微信昵称或输入' : '请输入昵称'}
            maxlength={NICKNAME_MAX + 10}
            onInput={(e) => {
              setNickname(e.detail.value)
              setErrors((x) => ({ ...x, nickname: undefined }))
            }}
            // WeChat's nickname keyboard fills the field without an input event on some devices.
            onBlur={(e) => setNickname(e.detail.value)}
          />
        </View>
        {errors.nickname ? (
          <Text className="profile__error">{errors.nickname}</Text>
        ) : (
          <Text className="profile__hint">1-{NICKNAME_MAX} 字，其他顾客在评论、邀请和排行榜中看到</Text>
        )}
      </View>
      <ActionButton className="profile__save" loading={saving} onClick={() => void submit()}>
        保存
      </ActionButton>
      <Text className="profile__note">头像和昵称经过内容安全检测后展示</Text>
      <PrivacyPopup />
    </View>
  )
}
