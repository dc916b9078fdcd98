import Taro from '@tarojs/taro'

/**
 * How pages tell the shopper what an action came to; stores answer outcomes and never toast. WeChat
 * cuts a toast with an icon at 7 characters: longer news goes without one.
 */
export function toast(title: string, icon: 'none' | 'success' = 'none'): void {
  void Taro.showToast({ title, icon: [...title].length <= 7 ? icon : 'none' })
}
