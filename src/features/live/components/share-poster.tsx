import { Button, Canvas, Image, Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import type { RoomView } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { toast } from '../../../lib/toast'
import { renderPoster, savePosterToAlbum } from '../poster-canvas'
import './share-poster.scss'

interface Props {
  open: boolean
  onClose: () => void
  room: RoomView
  /** The room's mini-program code for the caller as the sharer (live.sharePoster). */
  load: () => Promise<{ code: string; path: string }>
}

const CANVAS_ID = 'share-poster-canvas'

/**
 * The code each room gave this viewer, kept while the app runs: it never changes for one viewer
 * and room, and on CloudBase each live.sharePoster makes and uploads a code.
 */
const codes = new Map<string, string>()

/**
 * The room's share poster for 朋友圈, in a bottom sheet: asks for the mini-program code, draws the
 * poster on an off-screen canvas and shows the picture. weapp: 保存到相册 (the album scope and the
 * privacy prompt handled); H5: the picture stays an <img> to long-press and save. Nothing is
 * rendered while closed.
 */
export function SharePosterSheet({ open, onClose, room, load }: Props) {
  if (!open) return null
  return <PosterSheet onClose={onClose} room={room} load={load} />
}

type Phase = 'loading' | 'failed' | 'ready'

function PosterSheet({ onClose, room, load }: Omit<Props, 'open'>) {
  const [phase, setPhase] = useState<Phase>('loading')
  const [image, setImage] = useState('')
  const [attempt, setAttempt] = useState(0)
  const [saving, setSaving] = useState(false)
  // The room as it was when the sheet opened: a poll while drawing does not start the drawing over.
  const roomRef = useRef(room)

  useEffect(() => {
    let alive = true
    setPhase('loading')
    void (async () => {
      try {
        const roomId = roomRef.current.id
        const code = codes.get(roomId) ?? (await load()).code
        codes.set(roomId, code)
        if (!alive) return
        const url = await renderPoster(CANVAS_ID, roomRef.current, code)
        if (!alive) return
        setImage(url)
        setPhase('ready')
      } catch {
        if (alive) setPhase('failed')
      }
    })()
    return () => {
      alive = false
    }
    // `load` may be a new function at each render of the page: a new attempt comes only from 重试.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt])

  const save = async () => {
    if (saving) return
    setSaving(true)
    const outcome = await savePosterToAlbum(image)
    setSaving(false)
    if (outcome === 'saved') toast('已保存到相册，可分享到朋友圈')
    else if (outcome === 'failed') toast('保存失败，请重试')
  }

  return (
    <BottomSheet open onClose={onClose} title="分享海报" className="share-poster">
      {phase === 'loading' ? (
        <>
          <Text className="share-poster__state">正在生成海报…</Text>
          {/* Off screen: only the exported picture is shown. */}
          <Canvas id={CANVAS_ID} type="2d" className="share-poster__canvas" />
        </>
      ) : phase === 'failed' ? (
        <Text className="share-poster__state share-poster__state--failed" onClick={() => setAttempt((n) => n + 1)}>
          海报生成失败，点击重试
        </Text>
      ) : (
        <View className="share-poster__ready">
          <Image className="share-poster__image" src={image} mode="aspectFit" showMenuByLongpress />
          {process.env.TARO_ENV === 'weapp' ? (
            <Button className="share-poster__save" disabled={saving} onClick={() => void save()}>
              保存到相册
            </Button>
          ) : (
            <Text className="share-poster__hint">长按图片保存，分享到朋友圈</Text>
          )}
        </View>
      )}
      {/* Saving to the album is a privacy API: its prompt lives with the one button that uses it. */}
      <PrivacyPopup />
    </BottomSheet>
  )
}
