export default definePageConfig({ navigationBarTitleText: '新人专享 9.9', enableShareAppMessage: true })
