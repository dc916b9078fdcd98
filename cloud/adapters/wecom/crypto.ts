/**
 * WeCom's (企业微信) callback crypto, as its documentation states it (加解密方案说明):
 * - msg_signature = sha1 of the four strings token, timestamp, nonce and the encrypted text, sorted
 *   (code-point order) and concatenated;
 * - the AES key is base64(EncodingAESKey + "=") (43 characters → 32 bytes); AES-256-CBC with the
 *   key's first 16 bytes as the IV, padded PKCS#7 to a multiple of 32 bytes (not 16);
 * - the plaintext is 16 random bytes, the message's length as 4 bytes big-endian, the message (XML)
 *   and the receiveid (the corp id for a company's callbacks), which the receiver checks.
 * The sandbox uses the same functions with keys of its own, so the sandbox exercises the real checks.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'

export interface WecomKeys {
  /** The callback's Token (the 接收消息 server settings). */
  token: string
  /** The 43-character EncodingAESKey. */
  encodingAesKey: string
  /** The receiveid the plaintext must end with: the corp id (企业ID). */
  corpId: string
}

const BLOCK = 32

/** The 32-byte AES key of a 43-character EncodingAESKey, or null when it is not one. */
export function aesKeyOf(encodingAesKey: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) return null
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  return key.length === 32 ? key : null
}

/** msg_signature over token, timestamp, nonce and the encrypted text (hex sha1 of them sorted and joined). */
export function signatureOf(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const parts = [token, timestamp, nonce, encrypted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return createHash('sha1').update(parts.join('')).digest('hex')
}

/** Whether `signature` is the msg_signature of the rest (compared in constant time). */
export function signatureMatches(keys: WecomKeys, signature: string, timestamp: string, nonce: string, encrypted: string): boolean {
  const expected = Buffer.from(signatureOf(keys.token, timestamp, nonce, encrypted), 'utf8')
  const given = Buffer.from(signature.toLowerCase(), 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The base64 ciphertext of `message` for `keys`; `random` (16 bytes) is fixed only by tests. */
export function encryptMessage(keys: WecomKeys, message: string, random: Buffer = randomBytes(16)): string {
  const key = aesKeyOf(keys.encodingAesKey)
  if (!key) throw new Error('EncodingAESKey must be 43 base64 characters')
  if (random.length !== 16) throw new Error('the random prefix is 16 bytes')
  const msg = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(msg.length, 0)
  const plain = Buffer.concat([random, length, msg, Buffer.from(keys.corpId, 'utf8')])
  const pad = BLOCK - (plain.length % BLOCK)
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)])
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64')
}

export type Decrypted = { ok: true; message: string } | { ok: false; reason: 'BAD_PAYLOAD' | 'WRONG_RECEIVER' }

/**
 * The message inside `encrypted`, once its padding, length and receiveid all hold; the receiveid
 * must be the corp id of `keys` (an event meant for another corp is refused).
 */
export function decryptMessage(keys: WecomKeys, encrypted: string): Decrypted {
  const key = aesKeyOf(keys.encodingAesKey)
  if (!key) throw new Error('EncodingAESKey must be 43 base64 characters')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) return { ok: false, reason: 'BAD_PAYLOAD' }
  const data = Buffer.from(encrypted, 'base64')
  if (data.length === 0 || data.length % 16 !== 0) return { ok: false, reason: 'BAD_PAYLOAD' }
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
    decipher.setAutoPadding(false)
    plain = Buffer.concat([decipher.update(data), decipher.final()])
  } catch {
    return { ok: false, reason: 'BAD_PAYLOAD' }
  }
  const pad = plain[plain.length - 1]!
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    return { ok: false, reason: 'BAD_PAYLOAD' }
  }
  const body = plain.subarray(0, plain.length - pad)
  if (body.length < 20) return { ok: false, reason: 'BAD_PAYLOAD' }
  const length = body.readUInt32BE(16)
  if (20 + length > body.length) return { ok: false, reason: 'BAD_PAYLOAD' }
  const message = body.subarray(20, 20 + length)
  const receiver = body.subarray(20 + length).toString('utf8')
  if (receiver !== keys.corpId) return { ok: false, reason: 'WRONG_RECEIVER' }
  const text = message.toString('utf8')
  // Not UTF-8 (a replacement character where the bytes were invalid): no message WeCom sends.
  if (Buffer.compare(Buffer.from(text, 'utf8'), message) !== 0) return { ok: false, reason: 'BAD_PAYLOAD' }
  return { ok: true, message: text }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }
const decodeText = (text: string) => text.replace(/&(lt|gt|amp|quot|apos);/g, (_e, n: string) => ENTITIES[n]!)
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const skipSpace = (s: string, i: number, end = s.length) => {
  while (i < end && isSpace(s.charCodeAt(i))) i++
  return i
}
const OPEN_TAG = /<([A-Za-z][A-Za-z0-9_]{0,63})>/y

/**
 * The text of each top-level element of a flat WeCom XML message (`<xml><A><![CDATA[x]]></A><B>1</B></xml>`),
 * the first of a name kept. Only what WeCom sends: no attributes, no entities beyond the five
 * predefined ones, a nested element skipped whole; anything else (a DOCTYPE, text between
 * elements, an unclosed element or CDATA section) and the message reads as empty.
 * One pass, no backtracking: every step moves forward past what it read, so the work is linear in
 * the message's length whatever it holds (this runs on unsigned bodies, before the signature is checked).
 */
export function xmlFields(xml: string): Record<string, string> {
  const out: Record<string, string> = {}
  let i = skipSpace(xml, 0)
  if (xml.startsWith('<?xml', i)) {
    const declEnd = xml.indexOf('?>', i)
    if (declEnd < 0) return {}
    i = skipSpace(xml, declEnd + 2)
  }
  if (!xml.startsWith('<xml>', i)) return {}
  i += 5
  let end = xml.length
  while (end > i && isSpace(xml.charCodeAt(end - 1))) end--
  if (end - i < 6 || !xml.startsWith('</xml>', end - 6)) return {}
  end -= 6
  for (i = skipSpace(xml, i, end); i < end; i = skipSpace(xml, i, end)) {
    OPEN_TAG.lastIndex = i
    const open = OPEN_TAG.exec(xml)
    if (!open) return {}
    const name = open[1]!
    const close = `</${name}>`
    i += open[0].length
    let value = ''
    let nested = false
    for (;;) {
      if (i >= end) return {}
      if (xml.startsWith(close, i)) {
        i += close.length
        break
      }
      if (xml.startsWith('<![CDATA[', i)) {
        const cdataEnd = xml.indexOf(']]>', i + 9)
        if (cdataEnd < 0 || cdataEnd + 3 > end) return {}
        value += xml.slice(i + 9, cdataEnd)
        i = cdataEnd + 3
      } else if (xml.charCodeAt(i) === 0x3c) {
        // A nested element (not in the events read here): skipped to its element's close, unread.
        const closeAt = xml.indexOf(close, i)
        if (closeAt < 0 || closeAt + close.length > end) return {}
        i = closeAt + close.length
        nested = true
        break
      } else {
        const lt = xml.indexOf('<', i)
        if (lt < 0 || lt >= end) return {}
        value += decodeText(xml.slice(i, lt))
        i = lt
      }
    }
    if (i > end) return {}
    if (!nested && !Object.prototype.hasOwnProperty.call(out, name)) out[name] = value
  }
  return out
}

/** `text` as a CDATA section (a `]]>` inside split across two sections). */
export const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`

/** A flat XML message of `fields` (numbers as text, strings in CDATA), as WeCom writes them. */
export function xmlOf(fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
  return `<xml>${parts.join('')}</xml>`
}
