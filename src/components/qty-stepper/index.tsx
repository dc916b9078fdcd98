import { Text, View } from '@tarojs/components'
import './index.scss'

interface Props {
  value: number
  min?: number
  max: number
  disabled?: boolean
  onChange: (qty: number) => void
}

export function QtyStepper({ value, min = 1, max, disabled, onChange }: Props) {
  const step = (d: number) => {
    const next = Math.min(Math.max(value + d, min), Math.max(max, min))
    if (!disabled && next !== value) onChange(next)
  }
  return (
    <View className={`qty-stepper ${disabled ? 'qty-stepper--disabled' : ''}`}>
      <Text className={`qty-stepper__btn ${value <= min ? 'qty-stepper__btn--off' : ''}`} onClick={() => step(-1)}>
        −
      </Text>
      <Text className="qty-stepper__value">{value}</Text>
      <Text className={`qty-stepper__btn ${value >= max ? 'qty-stepper__btn--off' : ''}`} onClick={() => step(1)}>
        +
      </Text>
    </View>
  )
}
