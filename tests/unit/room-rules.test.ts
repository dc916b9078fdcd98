import { replayUrlAtEnd } from '../../cloud/core/live/room.rules'

describe('room rules', () => {
  test('an ended room keeps its video as the replay; a live stream leaves none', () => {
    expect(replayUrlAtEnd({ streamKind: 'video', streamUrl: '/media/demo.mp4' })).toBe('/media/demo.mp4')
    expect(replayUrlAtEnd({ streamKind: 'live-player', streamUrl: 'rtmp://x/live' })).toBeNull()
    expect(replayUrlAtEnd({ streamKind: 'channels', streamUrl: 'sph123' })).toBeNull()
    expect(replayUrlAtEnd({ streamKind: null, streamUrl: null })).toBeNull()
  })
})
