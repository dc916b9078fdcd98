/**
 * A row of images to upload, order and remove: the first is the cover (封面). Drag a picture onto
 * another to move it there (or use the arrows); uploads go through the `upload` prop (props in,
 * events out: this component knows nothing of the call seam).
 */
import { ArrowLeftOutlined, ArrowRightOutlined, DeleteOutlined, LoadingOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Image, Tooltip, Upload } from 'antd'
import { useRef, useState } from 'react'

export interface ImageListProps {
  value: string[]
  onChange: (next: string[]) => void
  max: number
  /** Uploads one file, answering the URL to keep; throws an Error whose message the merchant reads. */
  upload: (file: File) => Promise<string>
  /** Marks the first image 封面. */
  cover?: boolean
  testId?: string
}

const ACCEPT = ['image/jpeg', 'image/png', 'image/webp']
const MAX_BYTES = 8 * 1024 * 1024

export function ImageList({ value, onChange, max, upload, cover, testId }: ImageListProps) {
  const { message } = App.useApp()
  const [uploading, setUploading] = useState(0)
  const [dragFrom, setDragFrom] = useState<number | null>(null)
  // Uploads finish one by one; each adds to the latest list, not to the one it started from.
  const latest = useRef(value)
  latest.current = value

  const move = (from: number, to: number) => {
    if (to < 0 || to >= value.length || from === to) return
    const next = [...value]
    const [moved] = next.splice(from, 1)
    next.splice(to, 0, moved!)
    onChange(next)
  }
  const room = max - value.length - uploading

  return (
    <div data-testid={testId} style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
      {value.map((url, i) => (
        <div
          key={`${url}-${i}`}
          draggable
          onDragStart={() => setDragFrom(i)}
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault()
            if (dragFrom !== null) move(dragFrom, i)
            setDragFrom(null)
          }}
          style={{
            position: 'relative',
            width: 104,
            border: '1px solid #e5e7eb',
            borderRadius: 8,
            padding: 4,
            background: '#fff',
            cursor: 'grab',
            opacity: dragFrom === i ? 0.4 : 1,
          }}
        >
          <Image src={url} width={94} height={94} style={{ objectFit: 'cover', borderRadius: 4 }} alt={`图片 ${i + 1}`} />
          {cover && i === 0 ? (
            <span
              style={{
                position: 'absolute',
                left: 4,
                top: 4,
                background: '#2f7d32',
                color: '#fff',
                fontSize: 12,
                padding: '0 6px',
                borderRadius: '4px 0 4px 0',
              }}
            >
              封面
            </span>
          ) : null}
          <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 2 }}>
            <Tooltip title="前移">
              <Button
                size="small"
                type="text"
                icon={<ArrowLeftOutlined />}
                disabled={i === 0}
                onClick={() => move(i, i - 1)}
                aria-label="前移"
              />
            </Tooltip>
            <Tooltip title="删除">
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                aria-label="删除图片"
              />
            </Tooltip>
            <Tooltip title="后移">
              <Button
                size="small"
                type="text"
                icon={<ArrowRightOutlined />}
                disabled={i === value.length - 1}
                onClick={() => move(i, i + 1)}
                aria-label="后移"
              />
            </Tooltip>
          </div>
        </div>
      ))}
      {room > 0 || uploading > 0 ? (
        <Upload
          accept={ACCEPT.join(',')}
          multiple
          showUploadList={false}
          disabled={room <= 0}
          beforeUpload={(file) => {
            if (!ACCEPT.includes(file.type)) {
              message.error(`「${file.name}」不是 JPG、PNG 或 WebP 图片`)
              return Upload.LIST_IGNORE
            }
            if (file.size > MAX_BYTES) {
              message.error(`「${file.name}」超过 8 MB`)
              return Upload.LIST_IGNORE
            }
            return true
          }}
          customRequest={({ file, onSuccess, onError }) => {
            if (latest.current.length + 1 > max) {
              message.warning(`最多 ${max} 张图片`)
              onError?.(new Error('too many'))
              return
            }
            setUploading((n) => n + 1)
            upload(file as File).then(
              (url) => {
                setUploading((n) => n - 1)
                const next = [...latest.current, url].slice(0, max)
                latest.current = next
                onChange(next)
                onSuccess?.(url)
              },
              (err: unknown) => {
                setUploading((n) => n - 1)
                message.error(`上传失败：${err instanceof Error ? err.message : '请重试'}`)
                onError?.(err instanceof Error ? err : new Error(String(err)))
              },
            )
          }}
        >
          <div
            style={{
              width: 104,
              height: 128,
              border: '1px dashed #c9cdd4',
              borderRadius: 8,
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'center',
              justifyContent: 'center',
              color: '#666',
              cursor: room > 0 ? 'pointer' : 'not-allowed',
              background: '#fafafa',
            }}
          >
            {uploading > 0 ? <LoadingOutlined /> : <PlusOutlined />}
            <div style={{ marginTop: 6, fontSize: 12 }}>{uploading > 0 ? `上传中 ${uploading}` : '上传图片'}</div>
            <div style={{ fontSize: 12, color: '#aaa' }}>
              {value.length}/{max}
            </div>
          </div>
        </Upload>
      ) : null}
    </div>
  )
}
