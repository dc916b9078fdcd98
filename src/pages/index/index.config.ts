export default definePageConfig({
  navigationBarTitleText: '好茶小铺',
  enablePullDownRefresh: true,
  onReachBottomDistance: 200,
})
