/**
 * 员工 (owner): who has which role, and giving, changing or taking away a role by openid — the
 * openid typed, or picked from a lookup of the users who have signed in (by nickname, openid or id).
 */
import { PlusOutlined } from '@ant-design/icons'
import { Alert, App, Button, Card, Form, Input, List, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { GrantedRole, StaffMember } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { LoadError } from '../../components/states'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { ROLE_DUTIES, ROLE_LABEL } from '../../roles'

const GRANTED: GrantedRole[] = ['operator', 'service', 'anchor', 'guide']

export default function StaffPage() {
  const { message } = App.useApp()
  const staff = useLoad(() => call('admin', 'staff', {}), [])
  const [adding, setAdding] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [form] = Form.useForm<{ openid: string; role: GrantedRole }>()
  const [found, setFound] = useState<Array<{ userId: string; openid: string; nickname: string }> | null>(null)
  const [searching, setSearching] = useState(false)
  const picked = Form.useWatch('openid', form)

  const lookup = async (q: string) => {
    if (!q.trim()) return
    setSearching(true)
    try {
      setFound((await call('admin', 'users', { q: q.trim() })).items)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setSearching(false)
    }
  }

  const setRole = async (openid: string, role: GrantedRole | null, done: string) => {
    try {
      await call('admin', 'setStaff', { openid, role })
      message.success(done)
      staff.reload()
      return true
    } catch (err) {
      message.error(messageOf(err))
      return false
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          员工
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => {
            form.resetFields()
            setRefusal(null)
            setFound(null)
            setAdding(true)
          }}
        >
          添加员工
        </Button>
      </Space>
      <Card size="small">
        <Space wrap size={24}>
          {(['owner', ...GRANTED] as const).map((r) => (
            <span key={r}>
              <Tag color={r === 'owner' ? 'green' : 'blue'}>{ROLE_LABEL[r]}</Tag>
              {ROLE_DUTIES[r]}
            </span>
          ))}
        </Space>
      </Card>
      {staff.error ? (
        <LoadError message={staff.error} onRetry={staff.reload} />
      ) : (
        <Card size="small">
          <Table<StaffMember>
            rowKey="openid"
            loading={staff.loading}
            dataSource={staff.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '还没有员工' }}
            columns={[
              { title: '昵称', dataIndex: 'nickname' },
              {
                title: 'OpenID',
                dataIndex: 'openid',
                render: (v: string) => (
                  <Typography.Text copyable code>
                    {v}
                  </Typography.Text>
                ),
              },
              {
                title: '角色',
                dataIndex: 'role',
                width: 160,
                render: (role: StaffMember['role'], m) =>
                  role === 'owner' ? (
                    <Tag color="green">店主</Tag>
                  ) : (
                    <Select<GrantedRole>
                      size="small"
                      value={role}
                      style={{ width: 110 }}
                      options={GRANTED.map((g) => ({ label: ROLE_LABEL[g], value: g }))}
                      onChange={(next) => void setRole(m.openid, next, `已将 ${m.nickname} 改为${ROLE_LABEL[next]}`)}
                      aria-label={`${m.nickname} 的角色`}
                    />
                  ),
              },
              { title: '可使用', dataIndex: 'role', key: 'duties', render: (role: StaffMember['role']) => ROLE_DUTIES[role] },
              {
                title: '授权时间',
                dataIndex: 'since',
                width: 170,
                render: (v: string | null) => (v ? shopTime(v, 'YYYY-MM-DD HH:mm') : '店主（配置）'),
              },
              {
                title: '操作',
                key: 'actions',
                width: 90,
                render: (_: unknown, m) =>
                  m.role === 'owner' ? null : (
                    <Popconfirm
                      title={`移除 ${m.nickname} 的员工权限？`}
                      description="移除后立即生效，对方将无法再使用商家后台。"
                      okText="移除"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => setRole(m.openid, null, `已移除 ${m.nickname}`)}
                    >
                      <Button size="small" danger type="link">
                        移除
                      </Button>
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        title="添加员工"
        open={adding}
        onCancel={() => setAdding(false)}
        okText="添加"
        cancelText="取消"
        confirmLoading={saving}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields().catch(() => null)
          if (!v) return
          setSaving(true)
          setRefusal(null)
          try {
            await call('admin', 'setStaff', { openid: v.openid.trim(), role: v.role })
            message.success(`已添加${ROLE_LABEL[v.role]}`)
            setAdding(false)
            staff.reload()
          } catch (err) {
            setRefusal(messageOf(err))
          } finally {
            setSaving(false)
          }
        }}
      >
        <Form form={form} layout="vertical" initialValues={{ role: 'service' }}>
          <Form.Item label="查找顾客" extra="对方需先在小程序登录过；可按昵称、OpenID 或用户 ID 查找">
            <Input.Search
              placeholder="昵称、OpenID 或用户 ID"
              maxLength={64}
              enterButton="查找"
              loading={searching}
              onSearch={(q) => void lookup(q)}
              aria-label="查找顾客"
            />
          </Form.Item>
          {found ? (
            <List
              data-testid="user-lookup"
              size="small"
              bordered
              style={{ marginBottom: 16, maxHeight: 240, overflow: 'auto' }}
              locale={{ emptyText: '没有找到，请确认对方已在小程序登录' }}
              dataSource={found}
              renderItem={(u) => (
                <List.Item
                  actions={[
                    <Button
                      key="pick"
                      size="small"
                      type={picked === u.openid ? 'primary' : 'default'}
                      onClick={() => form.setFieldValue('openid', u.openid)}
                      aria-label={`选择 ${u.nickname}`}
                    >
                      {picked === u.openid ? '已选择' : '选择'}
                    </Button>,
                  ]}
                >
                  <List.Item.Meta title={u.nickname} description={`OpenID ${u.openid} · 用户 ID ${u.userId}`} />
                </List.Item>
              )}
            />
          ) : null}
          <Form.Item
            name="openid"
            label="员工的 OpenID"
            extra="请对方先打开小程序登录一次，再按昵称搜索选择；也可直接填写 OpenID"
            rules={[
              { required: true, whitespace: true, message: '请输入 OpenID' },
              { max: 64, message: 'OpenID 最多 64 个字符' },
            ]}
          >
            <Input placeholder="如 oAbC123…" maxLength={64} aria-label="OpenID" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Radio.Group>
              <Space direction="vertical">
                {GRANTED.map((g) => (
                  <Radio key={g} value={g}>
                    {ROLE_LABEL[g]}：{ROLE_DUTIES[g]}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        </Form>
        {refusal ? <Alert type="error" showIcon message={refusal} /> : null}
      </Modal>
    </Space>
  )
}
