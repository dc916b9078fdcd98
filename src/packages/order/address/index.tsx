import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { AddressFields } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { useAddressStore } from '../../../features/address/address-store'
import { toast } from '../../../lib/toast'
import './index.scss'

const EMPTY: AddressFields = { name: '', phone: '', province: '', city: '', district: '', detail: '' }
const FIELDS: Array<{ key: keyof AddressFields; label: string; placeholder: string }> = [
  { key: 'name', label: '收货人', placeholder: '姓名' },
  { key: 'phone', label: '手机号', placeholder: '11 位手机号' },
  { key: 'province', label: '省份', placeholder: '如 浙江省' },
  { key: 'city', label: '城市', placeholder: '如 杭州市' },
  { key: 'district', label: '区县', placeholder: '如 西湖区' },
  { key: 'detail', label: '详细地址', placeholder: '街道、门牌号' },
]

export default function AddressPage() {
  const { params } = useRouter()
  const picking = params.pick === '1'
  const items = useAddressStore((s) => s.items)
  const status = useAddressStore((s) => s.status)
  const error = useAddressStore((s) => s.error)
  const chosenId = useAddressStore((s) => s.chosenId)
  const { load, save, remove, choose } = useAddressStore.getState()
  const [form, setForm] = useState<AddressFields | null>(null)
  const [saving, setSaving] = useState(false)

  useDidShow(() => void load())

  const pick = (id: string) => {
    choose(id)
    if (picking) void Taro.navigateBack()
  }
  const submit = async (fields: AddressFields) => {
    const missing = FIELDS.find((f) => f.key !== 'district' && !fields[f.key].trim())
    if (missing) return toast(`请填写${missing.label}`)
    setSaving(true)
    const saved = await save(fields)
    setSaving(false)
    if (!saved.ok) return toast(saved.message)
    setForm(null)
    if (picking) pick(saved.value.id)
  }
  // Inside WeChat the shopper's saved WeChat addresses are one tap away.
  const fromWechat = async () => {
    try {
      const a = await Taro.chooseAddress()
      await submit({
        name: a.userName,
        phone: a.telNumber,
        province: a.provinceName,
        city: a.cityName,
        district: a.countyName,
        detail: a.detailInfo,
      })
    } catch {
      // the shopper closed the picker
    }
  }

  if (form) {
    return (
      <View className="address">
        <View className="address__form">
          {FIELDS.map((f) => (
            <View key={f.key} className="address__field">
              <Text className="address__label">{f.label}</Text>
              <Input
                className="address__input"
                value={form[f.key]}
                placeholder={f.placeholder}
                type={f.key === 'phone' ? 'number' : 'text'}
                onInput={(e) => setForm({ ...form, [f.key]: e.detail.value })}
              />
            </View>
          ))}
        </View>
        <ActionButton className="address__save" loading={saving} onClick={() => void submit(form)}>
          保存并使用
        </ActionButton>
        <Text className="address__back" onClick={() => setForm(null)}>
          取消
        </Text>
      </View>
    )
  }

  return (
    <View className="address">
      {items.length === 0 ? (
        status === 'error' ? (
          <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void load()} />
        ) : status === 'ready' ? (
          <StateView kind="empty" text="还没有收货地址" />
        ) : (
          <StateView kind="loading" />
        )
      ) : (
        items.map((a) => (
          <View key={a.id} className={`address__item ${a.id === chosenId ? 'address__item--on' : ''}`} onClick={() => pick(a.id)}>
            <View className="address__item-body">
              <Text className="address__who">
                {a.name} {a.phone} {a.isDefault ? <Text className="address__default">默认</Text> : null}
              </Text>
              <Text className="address__text">
                {a.province}
                {a.city}
                {a.district}
                {a.detail}
              </Text>
            </View>
            <Text
              className="address__remove"
              onClick={(e) => {
                e.stopPropagation()
                void remove(a.id).then((r) => !r.ok && toast(r.message))
              }}
            >
              删除
            </Text>
          </View>
        ))
      )}
      <View className="address__actions">
        {process.env.TARO_ENV === 'weapp' ? (
          <ActionButton className="address__wechat" kind="wechat" onClick={() => void fromWechat()}>
            使用微信地址
          </ActionButton>
        ) : null}
        <ActionButton className="address__save" onClick={() => setForm({ ...EMPTY })}>
          新增收货地址
        </ActionButton>
      </View>
    </View>
  )
}
