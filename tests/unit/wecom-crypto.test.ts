/**
 * WeCom's callback crypto (cloud/adapters/wecom/crypto.ts) against known answers: the example of
 * WeCom's own documentation (加解密方案说明, URL verification), and a vector computed here by hand
 * from the rules (sorted sha1; AES-256-CBC, key = base64(EncodingAESKey + "="), IV = its first 16
 * bytes, PKCS#7 to 32; 16 random bytes + 4-byte big-endian length + message + corp id).
 */
import { createCipheriv, createHash } from 'node:crypto'
import { verifyEvent, verifyUrl, WECOM_BODY_LIMIT } from '../../cloud/adapters/wecom/callback'
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  signatureMatches,
  signatureOf,
  xmlFields,
  xmlOf,
} from '../../cloud/adapters/wecom/crypto'

// WeCom's documented example (corp "wx5823bf96d3bd56c7").
const DOC = {
  keys: { token: 'QDG6eK', corpId: 'wx5823bf96d3bd56c7', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' },
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  echo: '1616140317555161061',
}

test("WeCom's documented URL verification example: its signature and its echo", () => {
  expect(signatureOf(DOC.keys.token, DOC.timestamp, DOC.nonce, DOC.echostr)).toBe(DOC.signature)
  expect(decryptMessage(DOC.keys, DOC.echostr)).toEqual({ ok: true, message: DOC.echo })
  const q = { msg_signature: DOC.signature, timestamp: DOC.timestamp, nonce: DOC.nonce, echostr: DOC.echostr }
  expect(verifyUrl(DOC.keys, q)).toEqual({ ok: true, echo: DOC.echo })
  expect(verifyUrl(DOC.keys, { ...q, nonce: '263014781' })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
  expect(verifyUrl({ ...DOC.keys, corpId: 'wwother' }, q)).toEqual({ ok: false, reason: 'WRONG_RECEIVER' })
  expect(verifyUrl(DOC.keys, { ...q, echostr: undefined })).toEqual({ ok: false, reason: 'MISSING_PARAMS' })
  // A `+` that reached us unencoded (read as a space) is still the echostr WeCom signed.
  expect(verifyUrl(DOC.keys, { ...q, echostr: DOC.echostr.replaceAll('+', ' ') })).toEqual({ ok: true, echo: DOC.echo })
})

const KEYS = { token: 'tok3n', corpId: 'ww0123456789abcdef', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }
const RANDOM = Buffer.from('00112233445566778899aabbccddeeff', 'hex')

test('encryption matches the rules computed by hand, byte for byte', () => {
  const message = '<xml><A>会员</A></xml>'
  // By hand: the key, the plaintext, the padding to 32, the cipher with auto-padding off.
  const key = Buffer.from(`${KEYS.encodingAesKey}=`, 'base64')
  expect(key).toHaveLength(32)
  const msg = Buffer.from(message, 'utf8')
  const plain = Buffer.concat([RANDOM, Buffer.from([0, 0, 0, msg.length]), msg, Buffer.from(KEYS.corpId)])
  const pad = 32 - (plain.length % 32)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false)
  const expected = Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')

  const encrypted = encryptMessage(KEYS, message, RANDOM)
  expect(encrypted).toBe(expected)
  expect(Buffer.from(encrypted, 'base64').length % 32).toBe(0)
  expect(decryptMessage(KEYS, encrypted)).toEqual({ ok: true, message })
})

test('a plaintext that fills its blocks exactly gets a whole block of padding (32 × 0x20)', () => {
  // 16 + 4 + 12 + 18 (the corp id) = 50: pads 14. 16 + 4 + 26 + 18 = 64: pads a full 32.
  const encrypted = encryptMessage(KEYS, 'x'.repeat(26), RANDOM)
  expect(Buffer.from(encrypted, 'base64')).toHaveLength(96)
  expect(decryptMessage(KEYS, encrypted)).toEqual({ ok: true, message: 'x'.repeat(26) })
})

test('the signature is sha1 of the four strings sorted and joined, compared whatever the case', () => {
  const parts = ['tok3n', '1700000000', 'nonce1', 'Zm9v']
  const byHand = createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex')
  expect(signatureOf('tok3n', '1700000000', 'nonce1', 'Zm9v')).toBe(byHand)
  expect(signatureMatches(KEYS, byHand.toUpperCase(), '1700000000', 'nonce1', 'Zm9v')).toBe(true)
  expect(signatureMatches(KEYS, byHand.slice(0, 39), '1700000000', 'nonce1', 'Zm9v')).toBe(false)
})

test('round trips with random prefixes; anything altered is refused', () => {
  for (const message of ['', 'a', '<xml><ExternalUserID><![CDATA[wm]]></ExternalUserID></xml>', '茶'.repeat(300)]) {
    expect(decryptMessage(KEYS, encryptMessage(KEYS, message))).toEqual({ ok: true, message })
  }
  const encrypted = encryptMessage(KEYS, 'hello', RANDOM)
  const bytes = Buffer.from(encrypted, 'base64')
  const lastFlipped = Buffer.from(bytes)
  lastFlipped[lastFlipped.length - 1]! ^= 1
  expect(decryptMessage(KEYS, lastFlipped.toString('base64'))).toEqual({ ok: false, reason: 'BAD_PAYLOAD' })
  expect(decryptMessage(KEYS, bytes.subarray(0, 16).toString('base64'))).toMatchObject({ ok: false })
  expect(decryptMessage(KEYS, 'not base64!')).toEqual({ ok: false, reason: 'BAD_PAYLOAD' })
  expect(decryptMessage(KEYS, '')).toEqual({ ok: false, reason: 'BAD_PAYLOAD' })
  expect(decryptMessage({ ...KEYS, corpId: 'ww0123456789abcdeX' }, encrypted)).toEqual({ ok: false, reason: 'WRONG_RECEIVER' })
  expect(decryptMessage({ ...KEYS, encodingAesKey: 'bbcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }, encrypted)).toMatchObject({ ok: false })
})

test('only a 43-character EncodingAESKey is a key', () => {
  expect(aesKeyOf(KEYS.encodingAesKey)).toHaveLength(32)
  expect(aesKeyOf(KEYS.encodingAesKey.slice(1))).toBeNull()
  expect(aesKeyOf(`${KEYS.encodingAesKey.slice(1)}=`)).toBeNull()
})

test('flat XML is read as WeCom writes it, and written back', () => {
  const xml = xmlOf({ ToUserName: 'ww1', CreateTime: 1700000000, State: 'a]]>b' })
  expect(xml).toBe(
    '<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><State><![CDATA[a]]]]><![CDATA[>b]]></State></xml>',
  )
  expect(xmlFields('<xml><A><![CDATA[x<y]]></A><B>1 &amp; 2</B><C></C></xml>')).toEqual({ A: 'x<y', B: '1 & 2', C: '' })
  expect(xmlFields('<?xml version="1.0"?>\n<xml><A>1</A></xml>')).toEqual({ A: '1' })
  expect(xmlFields('<other><A>1</A></other>')).toEqual({})
})

const event = (fields: Record<string, string | number>) => {
  const encrypted = encryptMessage(KEYS, xmlOf(fields))
  return {
    query: { msg_signature: signatureOf(KEYS.token, '1', 'n', encrypted), timestamp: '1', nonce: 'n' },
    body: xmlOf({ ToUserName: KEYS.corpId, Encrypt: encrypted }),
  }
}
const base = { MsgType: 'event', Event: 'change_external_contact', UserID: 'guide', ExternalUserID: 'wmX', CreateTime: 1700000000 }

test('events are read into what the core applies; others are acknowledged and ignored', () => {
  const add = event({ ...base, ChangeType: 'add_external_contact', State: 'ms01' })
  expect(verifyEvent(KEYS, add.query, add.body)).toEqual({
    kind: 'event',
    event: {
      change: 'add',
      changeType: 'add_external_contact',
      externalUserId: 'wmX',
      followUserId: 'guide',
      state: 'ms01',
      createTime: 1700000000,
    },
  })
  const del = event({ ...base, ChangeType: 'del_external_contact', Source: 'DELETE_BY_TRANSFER' })
  expect(verifyEvent(KEYS, del.query, del.body)).toMatchObject({ kind: 'event', event: { change: 'remove', state: null } })
  const edit = event({ ...base, ChangeType: 'edit_external_contact' })
  expect(verifyEvent(KEYS, edit.query, edit.body)).toMatchObject({ kind: 'ignored' })
  const text = event({ MsgType: 'text', Content: 'hi' })
  expect(verifyEvent(KEYS, text.query, text.body)).toMatchObject({ kind: 'ignored' })
  const noId = event({ ...base, ChangeType: 'add_external_contact', ExternalUserID: '' })
  expect(verifyEvent(KEYS, noId.query, noId.body)).toEqual({ kind: 'refused', reason: 'BAD_EVENT' })
  expect(verifyEvent(KEYS, { ...add.query, msg_signature: '0'.repeat(40) }, add.body)).toEqual({ kind: 'refused', reason: 'BAD_SIGNATURE' })
  expect(verifyEvent(KEYS, add.query, '<xml></xml>')).toEqual({ kind: 'refused', reason: 'BAD_PAYLOAD' })
})

test('XML that does not close, or has a DOCTYPE or text between elements, reads as empty; a split CDATA reads whole', () => {
  expect(xmlFields(xmlOf({ State: 'a]]>b', Encrypt: 'e' }))).toEqual({ State: 'a]]>b', Encrypt: 'e' })
  expect(xmlFields('<xml>\n  <A>1</A>\n  <B><![CDATA[2]]></B>\n</xml>\n')).toEqual({ A: '1', B: '2' })
  expect(xmlFields('<xml><A>1</A><A>2</A></xml>')).toEqual({ A: '1' })
  expect(xmlFields('<xml><N><X>1</X></N><A>2</A></xml>')).toEqual({ A: '2' })
  expect(xmlFields('<!DOCTYPE x [<!ENTITY e "1">]><xml><A>&e;</A></xml>')).toEqual({})
  expect(xmlFields('<xml><A><![CDATA[1</A></xml>')).toEqual({})
  expect(xmlFields('<xml><A>1</A>junk<B>2</B></xml>')).toEqual({})
  expect(xmlFields('<xml><A>1</xml>')).toEqual({})
  expect(xmlFields('<xml>')).toEqual({})
})

/**
 * The least time (ms) of `samples` runs of `batch` calls: the least is what the work costs, whatever
 * else the machine is doing (a loaded machine only makes some runs slower).
 */
function leastMs(f: () => unknown, samples = 15, batch = 20): number {
  let least = Infinity
  for (let s = 0; s < samples; s++) {
    const t = performance.now()
    for (let b = 0; b < batch; b++) f()
    least = Math.min(least, (performance.now() - t) / batch)
  }
  return least
}
const signedBody = (message: string) => {
  const encrypted = encryptMessage(KEYS, message)
  return {
    query: { msg_signature: signatureOf(KEYS.token, '1', 'n', encrypted), timestamp: '1', nonce: 'n' },
    body: xmlOf({ ToUserName: KEYS.corpId, AgentID: '', Encrypt: encrypted }),
  }
}
// Each `<a><![CDATA[` opens an element and a section that never close: a parser that looks for the
// end of each from each start does work quadratic in the count.
const UNCLOSED = '<a><![CDATA['

test('an unsigned body of the largest size taken, however pathological, costs what a plain one of that size costs', () => {
  expect(WECOM_BODY_LIMIT).toBeLessThanOrEqual(16 * 1024)
  const unsigned = { msg_signature: '0'.repeat(40), timestamp: '1', nonce: 'n' }
  const pathological = `<xml>${UNCLOSED.repeat(Math.floor((WECOM_BODY_LIMIT - 11) / UNCLOSED.length))}</xml>`
  const plain = xmlOf({ ToUserName: KEYS.corpId, AgentID: '', Encrypt: 'A'.repeat(WECOM_BODY_LIMIT - 200) })
  expect(pathological.length).toBeLessThanOrEqual(WECOM_BODY_LIMIT)
  expect(plain.length).toBeLessThanOrEqual(WECOM_BODY_LIMIT)
  expect(verifyEvent(KEYS, unsigned, pathological)).toEqual({ kind: 'refused', reason: 'BAD_PAYLOAD' })
  expect(verifyEvent(KEYS, unsigned, plain)).toEqual({ kind: 'refused', reason: 'BAD_SIGNATURE' })
  const slow = leastMs(() => verifyEvent(KEYS, unsigned, pathological))
  const usual = leastMs(() => verifyEvent(KEYS, unsigned, plain))
  expect(slow).toBeLessThan(Math.max(usual * 10, 0.05))
  // The same shape 8 times as long costs about 8 times as much (linear), not 64 times.
  const long = `<xml>${UNCLOSED.repeat(8 * Math.floor((WECOM_BODY_LIMIT - 11) / UNCLOSED.length))}</xml>`
  expect(leastMs(() => xmlFields(long), 5, 5)).toBeLessThan(Math.max(leastMs(() => xmlFields(pathological)) * 24, 0.2))
  // Larger than WeCom ever sends: refused unread.
  expect(verifyEvent(KEYS, unsigned, plain + ' '.repeat(WECOM_BODY_LIMIT))).toEqual({ kind: 'refused', reason: 'BAD_PAYLOAD' })
})

test('a signed message of the largest size taken, however pathological, costs what a plain one of that size costs', () => {
  // As large as a message inside a body of WECOM_BODY_LIMIT can be (base64 adds a third, plus the corp id and padding).
  const room = Math.floor(((WECOM_BODY_LIMIT - 200) * 3) / 4) - 64
  const pathological = signedBody(`<xml>${UNCLOSED.repeat(Math.floor((room - 11) / UNCLOSED.length))}</xml>`)
  const plain = signedBody(xmlOf({ MsgType: 'event', Event: 'change_external_contact', Remark: 'x'.repeat(room - 150) }))
  for (const r of [pathological, plain]) expect(r.body.length).toBeLessThanOrEqual(WECOM_BODY_LIMIT)
  expect(verifyEvent(KEYS, pathological.query, pathological.body)).toMatchObject({ kind: 'ignored' })
  expect(verifyEvent(KEYS, plain.query, plain.body)).toMatchObject({ kind: 'ignored' })
  const slow = leastMs(() => verifyEvent(KEYS, pathological.query, pathological.body))
  const usual = leastMs(() => verifyEvent(KEYS, plain.query, plain.body))
  expect(slow).toBeLessThan(Math.max(usual * 2.5, 0.05))
})

test('a signed event with NUL or another character XML forbids is refused as a bad event', () => {
  for (const bad of ['wm\u0000x', 'wm\u0001x', 'wm\u001fx', 'wm\uffffx']) {
    const r = event({ ...base, ChangeType: 'del_follow_user', ExternalUserID: bad })
    expect(verifyEvent(KEYS, r.query, r.body)).toEqual({ kind: 'refused', reason: 'BAD_EVENT' })
  }
  for (const field of ['UserID', 'State', 'FromUserName']) {
    const r = event({ ...base, ChangeType: 'add_external_contact', State: 'ms01', [field]: 'a\u0000b' })
    expect(verifyEvent(KEYS, r.query, r.body)).toEqual({ kind: 'refused', reason: 'BAD_EVENT' })
  }
  // Tabs and line breaks are XML's own.
  const fine = event({ ...base, ChangeType: 'add_external_contact', State: 'ms01', FromUserName: 'a\tb\nc' })
  expect(verifyEvent(KEYS, fine.query, fine.body)).toMatchObject({ kind: 'event' })
})

test('a CreateTime before 2015 or more than 5 minutes ahead of the server clock is refused as a bad event', () => {
  const nowMs = 1_800_000_000_000
  const at = (createTime: number | string) => {
    const r = event({ ...base, ChangeType: 'add_external_contact', State: 'ms01', CreateTime: createTime })
    return verifyEvent(KEYS, r.query, r.body, nowMs)
  }
  const refused = { kind: 'refused', reason: 'BAD_EVENT' }
  expect(at(999_999_999_999)).toEqual(refused)
  expect(at(1_800_000_000 + 301)).toEqual(refused)
  expect(at(1_800_000_000 + 300)).toMatchObject({ kind: 'event', event: { createTime: 1_800_000_300 } })
  expect(at(1_800_000_000)).toMatchObject({ kind: 'event' })
  expect(at(1_420_070_400)).toMatchObject({ kind: 'event' })
  expect(at(1_420_070_399)).toEqual(refused)
  expect(at(0)).toEqual(refused)
  expect(at('-1')).toEqual(refused)
  expect(at('1.8e9')).toEqual(refused)
})
