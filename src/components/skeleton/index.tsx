import { View } from '@tarojs/components'
import './index.scss'

/** One grey placeholder with a light sweeping across it; its size comes from `className`. */
export function SkeletonBlock({ className = '' }: { className?: string }) {
  return <View className={`skeleton ${className}`} />
}

/**
 * Placeholders for a two-column product feed while its first page loads: the shape of what is
 * coming instead of a blank screen.
 */
export function SkeletonGrid({ count = 4 }: { count?: number }) {
  return (
    <View className="skeleton-grid" aria-busy="true" aria-label="加载中">
      {Array.from({ length: count }, (_, i) => (
        <View key={i} className="skeleton-grid__card">
          <SkeletonBlock className="skeleton-grid__cover" />
          <SkeletonBlock className="skeleton-grid__line" />
          <SkeletonBlock className="skeleton-grid__line skeleton-grid__line--short" />
        </View>
      ))}
    </View>
  )
}
