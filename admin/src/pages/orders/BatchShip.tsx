/**
 * 批量发货: a CSV (订单编号, 快递公司, 运单号; a template to download) read in the browser,
 * previewed with the problems seen before sending, submitted to admin.shipBatch, and the per-line
 * report — which lines failed and why — with the failures as a CSV to fix and upload again.
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons'
import { Alert, App, Button, Modal, Result, Space, Table, Tag, Typography, Upload } from 'antd'
import { useState } from 'react'
import type { ShipLineResult } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { csvText, downloadText } from '../../lib/download'
import { CARRIERS } from './labels'
import { HEADER, linesOf, MAX_LINES, type Line } from './ship-csv'

export function BatchShip({ open, onClose, onShipped }: { open: boolean; onClose: () => void; onShipped: () => void }) {
  const { message } = App.useApp()
  const [fileName, setFileName] = useState<string | null>(null)
  const [lines, setLines] = useState<Line[]>([])
  const [fileError, setFileError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [report, setReport] = useState<{
    shipped: number
    failed: number
    results: Array<ShipLineResult & { row: number; carrier: string; trackingNo: string }>
  } | null>(null)

  const reset = () => {
    setFileName(null)
    setLines([])
    setFileError(null)
    setReport(null)
  }

  const read = async (file: File) => {
    reset()
    setFileName(file.name)
    if (file.size > 1024 * 1024) return setFileError('文件太大（最多 1 MB）')
    const { lines, error } = linesOf(await file.text())
    setLines(lines)
    setFileError(error ?? (lines.length ? null : '文件里没有要发货的行'))
  }

  const submit = async () => {
    setSending(true)
    try {
      const r = await call('admin', 'shipBatch', {
        lines: lines.map(({ orderNo, carrier, trackingNo }) => ({ orderNo, carrier, trackingNo })),
      })
      // `line` is the 1-based position in what was sent: back to the file's row.
      const results = r.results
        .map((res) => {
          const l = lines[res.line - 1]
          return { ...res, row: l?.row ?? res.line + 1, carrier: l?.carrier ?? '', trackingNo: l?.trackingNo ?? '' }
        })
        .sort((a, b) => Number(a.ok) - Number(b.ok) || a.row - b.row)
      setReport({ shipped: r.shipped, failed: r.failed, results })
      if (r.shipped) onShipped()
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setSending(false)
    }
  }

  const failures = report?.results.filter((r) => !r.ok) ?? []
  const preProblems = lines.filter((l) => l.problem).length

  return (
    <Modal
      title="批量发货"
      open={open}
      width={820}
      onCancel={() => {
        reset()
        onClose()
      }}
      footer={
        report ? (
          <Space>
            {failures.length ? (
              <Button
                icon={<DownloadOutlined />}
                onClick={() =>
                  downloadText(
                    '发货失败明细.csv',
                    csvText([
                      ['行号', ...HEADER, '失败原因'],
                      ...failures.map((f) => [f.row, f.orderNo, f.carrier, f.trackingNo, f.message ?? f.code ?? '']),
                    ]),
                  )
                }
              >
                下载失败明细
              </Button>
            ) : null}
            <Button onClick={reset}>继续上传</Button>
            <Button
              type="primary"
              onClick={() => {
                reset()
                onClose()
              }}
            >
              完成
            </Button>
          </Space>
        ) : (
          <Space>
            <Button
              onClick={() => {
                reset()
                onClose()
              }}
            >
              取消
            </Button>
            <Button type="primary" disabled={!lines.length || !!fileError} loading={sending} onClick={() => void submit()}>
              提交发货（{lines.length} 行）
            </Button>
          </Space>
        )
      }
    >
      {report ? (
        <>
          <Result
            status={report.failed ? 'warning' : 'success'}
            title={`发货成功 ${report.shipped} 单${report.failed ? `，失败 ${report.failed} 单` : ''}`}
            subTitle={report.failed ? '失败的行没有发货，请修改后重新上传' : '全部发货成功'}
            style={{ padding: '8px 0 16px' }}
          />
          <Table
            size="small"
            rowKey={(r) => `${r.line}`}
            dataSource={report.results}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            data-testid="ship-report"
            columns={[
              { title: '行号', dataIndex: 'row', width: 70 },
              { title: '订单编号', dataIndex: 'orderNo' },
              {
                title: '结果',
                dataIndex: 'ok',
                width: 90,
                render: (ok: boolean) => (ok ? <Tag color="green">已发货</Tag> : <Tag color="red">失败</Tag>),
              },
              { title: '原因', dataIndex: 'message', render: (m: string | null) => m ?? '' },
            ]}
          />
        </>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>
            上传 CSV 文件，表头为 <Typography.Text code>{HEADER.join(',')}</Typography.Text>，每行一个订单，一次最多 {MAX_LINES}{' '}
            行。快递公司可填：
            {CARRIERS.join('、')}。
          </Typography.Paragraph>
          <Space>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => downloadText('批量发货模板.csv', csvText([[...HEADER], ['2026010112345678', '顺丰速运', 'SF1234567890']]))}
            >
              下载模板
            </Button>
            <Upload
              accept=".csv,text/csv"
              showUploadList={false}
              beforeUpload={(file) => {
                void read(file)
                return false
              }}
            >
              <Button type="primary" icon={<UploadOutlined />}>
                选择 CSV 文件
              </Button>
            </Upload>
            {fileName ? <Typography.Text type="secondary">{fileName}</Typography.Text> : null}
          </Space>
          {fileError ? <Alert type="error" showIcon message={fileError} /> : null}
          {lines.length ? (
            <>
              {preProblems ? (
                <Alert type="warning" showIcon message={`${preProblems} 行有问题，提交后这些行会失败，其余行照常发货`} />
              ) : null}
              <Table
                size="small"
                rowKey="row"
                dataSource={lines}
                pagination={{ pageSize: 8, hideOnSinglePage: true }}
                data-testid="ship-preview"
                columns={[
                  { title: '行号', dataIndex: 'row', width: 70 },
                  { title: '订单编号', dataIndex: 'orderNo' },
                  { title: '快递公司', dataIndex: 'carrier', width: 110 },
                  { title: '运单号', dataIndex: 'trackingNo' },
                  {
                    title: '检查',
                    dataIndex: 'problem',
                    render: (p: string | null) =>
                      p ? <Typography.Text type="danger">{p}</Typography.Text> : <Tag color="green">可提交</Tag>,
                  },
                ]}
              />
            </>
          ) : null}
        </Space>
      )}
    </Modal>
  )
}
