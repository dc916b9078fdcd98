import Taro from '@tarojs/taro'
import { Input, Picker, Switch, Text, View } from '@tarojs/components'
import { useMemo, useState } from 'react'
import type { AddressFields } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { checkAddress, FIELD_LIMITS, normalizePhone, type FieldErrors } from '../../../features/address/address-rules'
import { columnsAt, indexesOf } from '../../../features/address/regions'

export interface AddressDraft extends AddressFields {
  /** Set when editing a saved address. */
  id?: string
  isDefault: boolean
}

export const EMPTY_DRAFT: AddressDraft = { name: '', phone: '', province: '', city: '', district: '', detail: '', isDefault: false }

type Indexes = [number, number, number]

interface Props {
  initial: AddressDraft
  submitText: string
  /** The shopper's first address: the server makes it the default whatever the switch says, so the switch shows it. */
  first?: boolean
  /** Sends the form; answers the server's field messages when it refused fields, else null. */
  onSubmit: (draft: AddressDraft) => Promise<FieldErrors | null>
  onCancel: () => void
}

/** What WeChat's 微信地址 hands back, as the form's fields. */
function fromWechat(a: Taro.chooseAddress.SuccessCallbackResult): Partial<AddressDraft> {
  return {
    name: a.userName,
    phone: normalizePhone(a.telNumber),
    province: a.provinceName,
    city: a.cityName,
    district: a.countyName,
    detail: a.detailInfo,
  }
}

/**
 * Adding or editing an address. On weapp WeChat's own addresses come first (微信地址 fills the
 * form to check and save). The region is picked from China's divisions in three columns; each
 * field's limit is named under it, and a refused field says why there, whether the form or the
 * server refused it.
 */
export function AddressForm({ initial, submitText, first = false, onSubmit, onCancel }: Props) {
  const [draft, setDraft] = useState<AddressDraft>(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [saving, setSaving] = useState(false)
  const [pickerAt, setPickerAt] = useState<Indexes>(() => indexesOf(initial.province, initial.city, initial.district))
  const picker = useMemo(() => columnsAt(pickerAt), [pickerAt])
  const region = [draft.province, draft.city, draft.district].filter(Boolean).join(' ')

  const set = (patch: Partial<AddressDraft>) => {
    setDraft((d) => ({ ...d, ...patch }))
    // Editing a field clears its message (the region's three share one).
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(patch) as Array<keyof FieldErrors>) delete next[k]
      return next
    })
  }

  const chooseRegion = (value: number[]) => {
    const { columns, indexes } = columnsAt([value[0] ?? 0, value[1] ?? 0, value[2] ?? 0])
    setPickerAt(indexes)
    set({ province: columns[0][indexes[0]]!.name, city: columns[1][indexes[1]]?.name ?? '', district: columns[2][indexes[2]]?.name ?? '' })
  }
  const moveColumn = (column: number, value: number) => {
    const next: Indexes = column === 0 ? [value, 0, 0] : column === 1 ? [pickerAt[0], value, 0] : [pickerAt[0], pickerAt[1], value]
    setPickerAt(columnsAt(next).indexes)
  }

  const fillFromWechat = async () => {
    let picked: Taro.chooseAddress.SuccessCallbackResult
    try {
      picked = await Taro.chooseAddress()
    } catch {
      return // closed, or the privacy prompt was refused: the form stays as it was
    }
    const patch = fromWechat(picked)
    set(patch)
    setPickerAt(indexesOf(patch.province ?? '', patch.city ?? '', patch.district ?? ''))
    setErrors(checkAddress({ ...draft, ...patch }))
  }

  const submit = async () => {
    const local = checkAddress(draft)
    setErrors(local)
    if (Object.keys(local).length) return
    setSaving(true)
    const refused = await onSubmit({ ...draft, phone: normalizePhone(draft.phone) })
    setSaving(false)
    if (refused) setErrors(refused)
  }

  const message = (field: keyof FieldErrors, hint?: string) =>
    errors[field] ? (
      <Text className="address-form__error">{errors[field]}</Text>
    ) : hint ? (
      <Text className="address-form__hint">{hint}</Text>
    ) : null
  const regionError = errors.province ?? errors.city ?? errors.district

  return (
    <View className="address-form">
      {process.env.TARO_ENV === 'weapp' ? (
        <ActionButton className="address-form__wechat" kind="wechat" onClick={() => void fillFromWechat()}>
          使用微信地址
        </ActionButton>
      ) : null}
      <View className="address-form__card">
        <View className="address-form__field">
          <View className="address-form__row">
            <Text className="address-form__label">收货人</Text>
            <Input
              className="address-form__input address-form__input--name"
              value={draft.name}
              placeholder="姓名"
              maxlength={FIELD_LIMITS.name + 10}
              onInput={(e) => set({ name: e.detail.value })}
            />
          </View>
          {message('name', `1-${FIELD_LIMITS.name} 字`)}
        </View>
        <View className="address-form__field">
          <View className="address-form__row">
            <Text className="address-form__label">手机号</Text>
            <Input
              className="address-form__input address-form__input--phone"
              value={draft.phone}
              placeholder="11 位手机号"
              type="number"
              maxlength={20}
              onInput={(e) => set({ phone: e.detail.value })}
            />
          </View>
          {message('phone')}
        </View>
        <View className="address-form__field">
          <Picker
            mode="multiSelector"
            range={picker.columns.map((col) => (col.length ? col.map((r) => r.name) : ['—']))}
            value={picker.indexes}
            onColumnChange={(e) => moveColumn(e.detail.column, e.detail.value)}
            onChange={(e) => chooseRegion(e.detail.value as number[])}
          >
            <View className="address-form__row">
              <Text className="address-form__label">所在地区</Text>
              <Text className={`address-form__input address-form__region ${region ? '' : 'address-form__placeholder'}`}>
                {region || '请选择省 / 市 / 区'}
              </Text>
              <Text className="address-form__arrow">›</Text>
            </View>
          </Picker>
          {regionError ? <Text className="address-form__error">{regionError}</Text> : null}
        </View>
        <View className="address-form__field">
          <View className="address-form__row">
            <Text className="address-form__label">详细地址</Text>
            <Input
              className="address-form__input address-form__input--detail"
              value={draft.detail}
              placeholder="街道、楼牌号等"
              maxlength={FIELD_LIMITS.detail + 20}
              onInput={(e) => set({ detail: e.detail.value })}
            />
          </View>
          {message('detail', `最多 ${FIELD_LIMITS.detail} 字`)}
        </View>
        <View className="address-form__field address-form__row">
          <Text className="address-form__label address-form__label--wide">设为默认地址</Text>
          <Switch
            checked={first || draft.isDefault}
            disabled={first}
            color="#e4393c"
            onChange={(e) => set({ isDefault: e.detail.value })}
          />
        </View>
        {first ? <Text className="address-form__hint">首个地址将设为默认</Text> : null}
      </View>
      <ActionButton className="address-form__save" loading={saving} onClick={() => void submit()}>
        {submitText}
      </ActionButton>
      <Text className="address-form__cancel" onClick={onCancel}>
        取消
      </Text>
    </View>
  )
}
