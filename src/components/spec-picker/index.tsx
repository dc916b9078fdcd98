import { Text, View } from '@tarojs/components'
import type { SpecGroup } from '../../../cloud/contract'
import './index.scss'

interface Props {
  groups: SpecGroup[]
  selection: Record<string, string>
  /** Whether a value can still lead to a SKU in stock; others are shown disabled. */
  available: (group: string, value: string) => boolean
  onPick: (group: string, value: string) => void
}

export function SpecPicker({ groups, selection, available, onPick }: Props) {
  return (
    <View className="spec-picker">
      {groups.map((g) => (
        <View key={g.name} className="spec-picker__group">
          <Text className="spec-picker__name">{g.name}</Text>
          <View className="spec-picker__values">
            {g.values.map((v) => {
              const on = selection[g.name] === v
              const ok = available(g.name, v)
              return (
                <View
                  key={v}
                  className={`spec-picker__value ${on ? 'spec-picker__value--on' : ''} ${ok ? '' : 'spec-picker__value--off'}`}
                  onClick={() => ok && onPick(g.name, v)}
                >
                  {v}
                  {ok ? '' : '（缺货）'}
                </View>
              )
            })}
          </View>
        </View>
      ))}
    </View>
  )
}
