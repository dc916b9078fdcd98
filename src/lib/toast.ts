import Taro from '@tarojs/taro'

/** How pages tell the shopper what an action came to; stores answer outcomes and never toast. */
export function toast(title: string, icon: 'none' | 'success' = 'none'): void {
  void Taro.showToast({ title, icon })
}
