/** The console's frame: the menu of what the role may open, the header (shop, who, 退出登录), the page. */
import {
  AuditOutlined,
  CrownOutlined,
  DashboardOutlined,
  DownOutlined,
  GiftOutlined,
  IdcardOutlined,
  LogoutOutlined,
  ProfileOutlined,
  QrcodeOutlined,
  ShareAltOutlined,
  ShopOutlined,
  ShoppingOutlined,
  TagsOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
  ThunderboltOutlined,
  VideoCameraOutlined,
  WalletOutlined,
} from '@ant-design/icons'
import { App, Dropdown, Layout, Menu, Space, Tag, Typography } from 'antd'
import { Suspense } from 'react'
import type { ConsoleSession } from '../../cloud/contract'
import { CenteredSpin, Forbidden, NotFound } from './components/states'
import { homeOf, mayOpen, ROLE_LABEL, showsRoleTag, type Area } from './roles'
import { BASE, navigate } from './router'
import { signOut } from './session'

const MENU: Array<{ area: Area; label: string; path: string; icon: React.ReactNode }> = [
  { area: 'dashboard', label: '概览', path: '/dashboard', icon: <DashboardOutlined /> },
  { area: 'products', label: '商品', path: '/products', icon: <ShopOutlined /> },
  { area: 'orders', label: '订单', path: '/orders', icon: <ProfileOutlined /> },
  { area: 'coupons', label: '优惠券', path: '/marketing/coupons', icon: <TagsOutlined /> },
  { area: 'deals', label: '新人9.9', path: '/marketing/deals', icon: <GiftOutlined /> },
  { area: 'flash', label: '秒杀', path: '/marketing/flash', icon: <ThunderboltOutlined /> },
  { area: 'assist', label: '助力砍价', path: '/marketing/assist', icon: <UsergroupAddOutlined /> },
  { area: 'group', label: '拼团', path: '/marketing/group', icon: <ShoppingOutlined /> },
  { area: 'membership', label: '会员', path: '/marketing/membership', icon: <CrownOutlined /> },
  { area: 'live', label: '直播', path: '/live', icon: <VideoCameraOutlined /> },
  { area: 'customers', label: '客户', path: '/customers', icon: <IdcardOutlined /> },
  { area: 'sharers', label: '分销员', path: '/sharers', icon: <ShareAltOutlined /> },
  { area: 'withdrawals', label: '提现审核', path: '/withdrawals', icon: <WalletOutlined /> },
  { area: 'guide', label: '导购码', path: '/guide', icon: <QrcodeOutlined /> },
  { area: 'staff', label: '员工', path: '/staff', icon: <TeamOutlined /> },
  { area: 'audit', label: '操作日志', path: '/audit', icon: <AuditOutlined /> },
]

export function Shell({ session, area, page }: { session: ConsoleSession; area: Area | null; page: React.ReactNode }) {
  const { modal } = App.useApp()
  const role = session.user.role
  const items = MENU.filter((m) => mayOpen(role, m.area))
  const home = () => void navigate(homeOf(role))
  const body = page === null ? <NotFound onHome={home} /> : area && !mayOpen(role, area) ? <Forbidden onHome={home} /> : page

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={200}
        theme="light"
        style={{ borderRight: '1px solid #eef0f2', position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <a
          href={`${BASE}/`}
          onClick={(e) => {
            e.preventDefault()
            home()
          }}
          style={{ display: 'block', padding: '18px 24px', fontWeight: 600, fontSize: 16, color: '#2f7d32' }}
        >
          好茶小铺
        </a>
        <Menu
          mode="inline"
          selectedKeys={area ? [area] : []}
          style={{ borderInlineEnd: 'none' }}
          items={items.map((m) => ({
            key: m.area,
            icon: m.icon,
            label: (
              <a
                href={BASE + m.path}
                onClick={(e) => {
                  if (e.metaKey || e.ctrlKey || e.shiftKey) return
                  e.preventDefault()
                  void navigate(m.path)
                }}
              >
                {m.label}
              </a>
            ),
          }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #eef0f2',
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }}>
            好茶小铺 · 商家后台
          </Typography.Text>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [{ key: 'logout', icon: <LogoutOutlined />, label: '退出登录' }],
              onClick: ({ key }) => {
                if (key !== 'logout') return
                modal.confirm({
                  title: '退出登录？',
                  content: '退出后需要重新扫码登录。',
                  okText: '退出登录',
                  cancelText: '取消',
                  onOk: () => signOut(),
                })
              },
            }}
          >
            <a onClick={(e) => e.preventDefault()} href="#" aria-label="账号菜单" data-testid="user-menu">
              <Space>
                <span>{session.user.nickname}</span>
                {showsRoleTag(session.user.nickname, role) ? <Tag color="green">{ROLE_LABEL[role]}</Tag> : null}
                <DownOutlined />
              </Space>
            </a>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<CenteredSpin />}>{body}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
