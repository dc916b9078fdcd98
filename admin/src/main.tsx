/** The console's entry: antd in Chinese, dayjs in Chinese, the session, and the router's pages. */
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/es/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { lazy, StrictMode, Suspense, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { CenteredSpin, LoadError } from './components/states'
import { homeOf, type Area } from './roles'
import { navigate, useLocation } from './router'
import { loadSession, useSession } from './session'
import { Shell } from './Shell'

dayjs.locale('zh-cn')

const LoginPage = lazy(() => import('./pages/login/LoginPage'))
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'))
const ProductListPage = lazy(() => import('./pages/products/ProductListPage'))
const ProductEditorPage = lazy(() => import('./pages/products/ProductEditorPage'))
const OrderListPage = lazy(() => import('./pages/orders/OrderListPage'))
const StaffPage = lazy(() => import('./pages/staff/StaffPage'))
const AuditPage = lazy(() => import('./pages/audit/AuditPage'))
const CouponListPage = lazy(() => import('./pages/coupons/CouponListPage'))
const CouponEditorPage = lazy(() => import('./pages/coupons/CouponEditorPage'))
const CouponPage = lazy(() => import('./pages/coupons/CouponPage'))
const DealListPage = lazy(() => import('./pages/deals/DealListPage'))
const DealPage = lazy(() => import('./pages/deals/DealPage'))
const FlashListPage = lazy(() => import('./pages/flash/FlashListPage'))
const AssistListPage = lazy(() => import('./pages/assist/AssistListPage'))
const AssistPage = lazy(() => import('./pages/assist/AssistPage'))
const GroupListPage = lazy(() => import('./pages/group/GroupListPage'))
const GroupPage = lazy(() => import('./pages/group/GroupPage'))
const MembershipPage = lazy(() => import('./pages/membership/MembershipPage'))
const RoomListPage = lazy(() => import('./pages/live/RoomListPage'))
const RoomEditorPage = lazy(() => import('./pages/live/RoomEditorPage'))
const AnchorConsolePage = lazy(() => import('./pages/live/AnchorConsolePage'))
const RoomReportPage = lazy(() => import('./pages/live/RoomReportPage'))
const MemberListPage = lazy(() => import('./pages/customers/MemberListPage'))
const MemberPage = lazy(() => import('./pages/customers/MemberPage'))
const MemberWaysPage = lazy(() => import('./pages/customers/MemberWaysPage'))
const SharerListPage = lazy(() => import('./pages/sharers/SharerListPage'))
const WithdrawalListPage = lazy(() => import('./pages/withdrawals/WithdrawalListPage'))
const GuidePage = lazy(() => import('./pages/guide/GuidePage'))

/** `/prefix/<id>` and `/prefix/<id>/<suffix>`: the id, decoded; null when the path is not one. */
function idIn(path: string, prefix: string, suffix = ''): string | null {
  const m = new RegExp(`^${prefix}/([^/]+)${suffix ? `/${suffix}` : ''}$`).exec(path)
  return m ? decodeURIComponent(m[1]!) : null
}

/** The page of a console path, and the area whose menu item it lights up (and whose role check it needs). */
function route(path: string): { area: Area | null; page: React.ReactNode } | null {
  if (path === '/dashboard') return { area: 'dashboard', page: <DashboardPage /> }
  if (path === '/products') return { area: 'products', page: <ProductListPage /> }
  if (path === '/products/new') return { area: 'products', page: <ProductEditorPage productId={null} key="new" /> }
  const product = /^\/products\/([^/]+)$/.exec(path)
  if (product) return { area: 'products', page: <ProductEditorPage productId={decodeURIComponent(product[1]!)} key={product[1]} /> }
  if (path === '/orders') return { area: 'orders', page: <OrderListPage /> }
  if (path === '/staff') return { area: 'staff', page: <StaffPage /> }
  if (path === '/audit') return { area: 'audit', page: <AuditPage /> }
  // 营销
  if (path === '/marketing/coupons') return { area: 'coupons', page: <CouponListPage /> }
  if (path === '/marketing/coupons/new') return { area: 'coupons', page: <CouponEditorPage id={null} key="new" /> }
  const couponEdit = idIn(path, '/marketing/coupons', 'edit')
  if (couponEdit) return { area: 'coupons', page: <CouponEditorPage id={couponEdit} key={`e${couponEdit}`} /> }
  const coupon = idIn(path, '/marketing/coupons')
  if (coupon) return { area: 'coupons', page: <CouponPage id={coupon} key={coupon} /> }
  if (path === '/marketing/deals') return { area: 'deals', page: <DealListPage /> }
  if (path === '/marketing/deals/new') return { area: 'deals', page: <DealPage id={null} key="new" /> }
  const deal = idIn(path, '/marketing/deals')
  if (deal) return { area: 'deals', page: <DealPage id={deal} key={deal} /> }
  if (path === '/marketing/flash') return { area: 'flash', page: <FlashListPage /> }
  if (path === '/marketing/assist') return { area: 'assist', page: <AssistListPage /> }
  if (path === '/marketing/assist/new') return { area: 'assist', page: <AssistPage id={null} key="new" /> }
  const assist = idIn(path, '/marketing/assist')
  if (assist) return { area: 'assist', page: <AssistPage id={assist} key={assist} /> }
  if (path === '/marketing/group') return { area: 'group', page: <GroupListPage /> }
  if (path === '/marketing/group/new') return { area: 'group', page: <GroupPage id={null} key="new" /> }
  const group = idIn(path, '/marketing/group')
  if (group) return { area: 'group', page: <GroupPage id={group} key={group} /> }
  if (path === '/marketing/membership') return { area: 'membership', page: <MembershipPage /> }
  // 直播
  if (path === '/live') return { area: 'live', page: <RoomListPage /> }
  if (path === '/live/new') return { area: 'live', page: <RoomEditorPage id={null} key="new" /> }
  const roomEdit = idIn(path, '/live', 'edit')
  if (roomEdit) return { area: 'live', page: <RoomEditorPage id={roomEdit} key={`e${roomEdit}`} /> }
  const roomConsole = idIn(path, '/live', 'console')
  if (roomConsole) return { area: 'live', page: <AnchorConsolePage id={roomConsole} key={`c${roomConsole}`} /> }
  const roomReport = idIn(path, '/live', 'report')
  if (roomReport) return { area: 'live', page: <RoomReportPage id={roomReport} key={`r${roomReport}`} /> }
  // 客户, 分销, 导购
  if (path === '/customers') return { area: 'customers', page: <MemberListPage /> }
  if (path === '/customers/ways') return { area: 'customers', page: <MemberWaysPage /> }
  const member = idIn(path, '/customers')
  if (member) return { area: 'customers', page: <MemberPage id={member} key={member} /> }
  if (path === '/sharers') return { area: 'sharers', page: <SharerListPage /> }
  if (path === '/withdrawals') return { area: 'withdrawals', page: <WithdrawalListPage /> }
  if (path === '/guide') return { area: 'guide', page: <GuidePage /> }
  return null
}

function App() {
  const session = useSession()
  const { path, query } = useLocation()

  useEffect(() => {
    void loadSession()
  }, [])

  const signedIn = session.status === 'signedIn'
  const onLogin = path === '/login'
  useEffect(() => {
    if (session.status === 'signedOut' && !onLogin) {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + window.location.search)}`
      void navigate(`/login${next}`, { replace: true, force: true })
    }
    if (signedIn && (onLogin || path === '/')) {
      const next = query.get('next')
      const safe = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null
      void navigate(safe ?? homeOf(session.session.user.role), { replace: true, force: true })
    }
  }, [session, signedIn, onLogin, path, query])

  if (session.status === 'loading') return <CenteredSpin tip="正在进入商家后台…" />
  if (session.status === 'error') return <LoadError message={session.message} onRetry={() => void loadSession()} />
  if (onLogin || session.status === 'signedOut') {
    return <Suspense fallback={<CenteredSpin />}>{onLogin ? <LoginPage /> : <CenteredSpin />}</Suspense>
  }
  const r = route(path)
  return <Shell session={session.session} area={r?.area ?? null} page={r?.page ?? null} />
}

/** A merchant who asked their system for less motion gets no zooming dialogs or sliding menus. */
const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      // 完成, not 完 成: two-character buttons keep their words together (and tests find them by name).
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          motion: !reduceMotion,
          colorPrimary: '#2f7d32',
          borderRadius: 6,
          fontFamily: "-apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
)
