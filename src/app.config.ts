export default defineAppConfig({
  pages: ['pages/index/index', 'pages/category/index', 'pages/cart/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/goods', pages: ['detail/index', 'search/index'] },
    { root: 'packages/order', pages: ['checkout/index', 'detail/index', 'list/index', 'address/index'] },
    { root: 'packages/coupon', pages: ['center/index', 'mine/index'] },
    { root: 'packages/live', pages: ['list/index', 'room/index', 'console/index'] },
    { root: 'packages/deal', pages: ['index', 'flash/index', 'earnings/index'] },
    { root: 'packages/user', pages: ['profile/index', 'console-login/index', 'member/index'] },
  ],
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['packages/goods'] },
    'pages/cart/index': { network: 'all', packages: ['packages/order'] },
  },
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '好茶小铺',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f6f6f6',
  },
  tabBar: {
    color: '#7a7e83',
    selectedColor: '#e4393c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/category/index',
        text: '分类',
        iconPath: 'assets/tab/category.png',
        selectedIconPath: 'assets/tab/category-active.png',
      },
      {
        pagePath: 'pages/cart/index',
        text: '购物车',
        iconPath: 'assets/tab/cart.png',
        selectedIconPath: 'assets/tab/cart-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
  // Privacy APIs the code calls that WeChat requires declared (the others need only the privacy guide, docs/wechat-setup.md).
  requiredPrivateInfos: ['chooseAddress'],
})
