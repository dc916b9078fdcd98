import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { Address } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import type { FieldErrors } from '../../../features/address/address-rules'
import { useAddressStore } from '../../../features/address/address-store'
import { addressLine } from '../../../lib/address-text'
import { toast } from '../../../lib/toast'
import { AddressForm, EMPTY_DRAFT, type AddressDraft } from './address-form'
import './index.scss'

const draftOf = (a: Address): AddressDraft => ({
  id: a.id,
  name: a.name,
  phone: a.phone,
  province: a.province,
  city: a.city,
  district: a.district,
  detail: a.detail,
  isDefault: a.isDefault,
})

export default function AddressPage() {
  const { params } = useRouter()
  const picking = params.pick === '1'
  const items = useAddressStore((s) => s.items)
  const status = useAddressStore((s) => s.status)
  const error = useAddressStore((s) => s.error)
  const chosenId = useAddressStore((s) => s.chosenId)
  const { load, save, remove, choose } = useAddressStore.getState()
  const [editing, setEditing] = useState<AddressDraft | null>(null)

  useDidShow(() => void load())

  const pick = (id: string) => {
    choose(id)
    if (picking) void Taro.navigateBack()
  }

  const submit = async (draft: AddressDraft): Promise<FieldErrors | null> => {
    const { id, ...fields } = draft
    const saved = await save({ ...fields, ...(id ? { id } : {}) })
    if (!saved.ok) {
      toast(saved.message)
      return saved.fields ?? {}
    }
    toast(id ? '地址已更新' : '地址已保存', 'success')
    setEditing(null)
    // A new address is the one checkout ships to; an edit keeps the shopper's choice.
    if (picking && !id) pick(saved.value.id)
    return null
  }

  const confirmRemove = async (a: Address) => {
    const { confirm } = await Taro.showModal({
      title: '删除收货地址',
      content: `确定删除「${a.name} ${addressLine(a)}」吗？`,
      confirmText: '删除',
      confirmColor: '#e4393c',
      cancelText: '取消',
    })
    if (!confirm) return
    const r = await remove(a.id)
    toast(r.ok ? '已删除' : r.message, r.ok ? 'success' : 'none')
  }

  if (editing) {
    return (
      <View className="address">
        <AddressForm
          key={editing.id ?? 'new'}
          initial={editing}
          first={!editing.id && items.length === 0}
          submitText={editing.id ? '保存' : picking ? '保存并使用' : '保存'}
          onSubmit={submit}
          onCancel={() => setEditing(null)}
        />
        <PrivacyPopup />
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
            <Text className="address__who">
              {a.name} {a.phone} {a.isDefault ? <Text className="address__default">默认</Text> : null}
            </Text>
            <Text className="address__text">{addressLine(a)}</Text>
            <View className="address__ops">
              <Text
                className="address__op"
                onClick={(e) => {
                  e.stopPropagation()
                  setEditing(draftOf(a))
                }}
              >
                编辑
              </Text>
              <Text
                className="address__op"
                onClick={(e) => {
                  e.stopPropagation()
                  void confirmRemove(a)
                }}
              >
                删除
              </Text>
            </View>
          </View>
        ))
      )}
      <View className="address__actions">
        <ActionButton className="address__add" onClick={() => setEditing({ ...EMPTY_DRAFT, isDefault: items.length === 0 })}>
          新增收货地址
        </ActionButton>
      </View>
      <PrivacyPopup />
    </View>
  )
}
