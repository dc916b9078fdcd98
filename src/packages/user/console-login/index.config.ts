export default definePageConfig({ navigationBarTitleText: '登录商家后台' })
