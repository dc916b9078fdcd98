// Full screen: the stream fills the page under its own top bar (WeChat's capsule stays at the top right).
export default definePageConfig({
  navigationBarTitleText: '直播间',
  navigationStyle: 'custom',
  navigationBarTextStyle: 'white',
  backgroundColor: '#000000',
  disableScroll: true,
  enableShareAppMessage: true,
  enableShareTimeline: true,
})
