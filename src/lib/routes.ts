/** Paths of the pages, in one place. */
export const routes = {
  home: '/pages/index/index',
  category: '/pages/category/index',
  cart: '/pages/cart/index',
  me: '/pages/me/index',
  product: (id: string) => `/packages/goods/detail/index?id=${encodeURIComponent(id)}`,
}
