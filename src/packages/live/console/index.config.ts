export default definePageConfig({ navigationBarTitleText: '主播控制台' })
