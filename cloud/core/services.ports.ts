/**
 * The external services the core calls, as interfaces: cloud/adapters implements each with a sandbox
 * and a WeChat adapter.
 */
import type { PaymentParams, WithdrawalConfirm } from '../contract'

/** WeChat Pay through CloudBase, or the local sandbox: both behave like a payment provider. */
export interface PaymentProvider {
  readonly name: 'sandbox' | 'wechat'
  /** What the client needs to pay this order. */
  prepare(p: { orderId: string; amountFen: number; description: string; openid: string }): Promise<PaymentParams>
  /** Gives the money of a paid order back. */
  refund(p: { orderId: string; transactionId: string; amountFen: number; refundFen: number }): Promise<{ refundId: string }>
}

/** A payment notify whose signature the provider adapter has already verified (what onPaid settles). */
export interface VerifiedNotify {
  provider: string
  orderId: string
  transactionId: string
  amountFen: number
  raw: unknown
}

/** WeChat subscribe messages through CloudBase, or the local sandbox that records them. */
export interface NotificationSender {
  send(msg: { openid: string; template: string; page: string; data: Record<string, string> }): Promise<void>
}

/** Where a text to check is shown: msgSecCheck weighs a profile field and a comment differently. */
export type ContentScene = 'comment' | 'profile'

/** WeChat's msgSecCheck through CloudBase, or a local keyword filter. */
export interface ContentChecker {
  /** True when the text may be shown (a comment unless `scene` says otherwise). */
  check(text: string, openid: string, scene?: ContentScene): Promise<boolean>
}

/** An image a user sent, already known to be a JPEG or PNG of at most AVATAR_MAX_BYTES. */
export interface UploadedImage {
  bytes: Buffer
  mime: 'image/jpeg' | 'image/png'
}

/** WeChat's image check (imgSecCheck through CloudBase), or a local stand-in. */
export interface MediaChecker {
  /** True when the image may be shown to others. */
  check(image: UploadedImage, openid: string): Promise<boolean>
}

/** Where avatars are kept: cloud storage on CloudBase, the database behind /media/avatars/ on a host. */
export interface AvatarStore {
  /** Keeps the image under its content hash and answers the URL the app shows it by. */
  put(userId: string, image: UploadedImage, hash: string): Promise<string>
}

/** WeChat's user risk rank for marketing fraud (0-4), or a sandbox told the level by tests. */
export interface RiskChecker {
  level(openid: string): Promise<number>
}

/** What became of a transfer when it was asked for. */
export type TransferStarted =
  /** Paid already (no confirmation needed). */
  | { state: 'paid'; transferId: string }
  /**
   * Under way: waits for the user to confirm receipt in the mini-program (WAIT_USER_CONFIRM, with
   * `confirm`), or for the provider (accepted, processing: `confirm` null); the notify ends it.
   */
  | { state: 'awaiting_user'; transferId: string; confirm: WithdrawalConfirm | null }
  /** Refused or failed for good (FAIL, CANCELLED): the amount goes back. */
  | { state: 'failed'; reason: string }

/** The end of a transfer, from a notify whose signature the adapter has verified. */
export interface VerifiedTransferNotify {
  withdrawalId: string
  state: 'paid' | 'failed'
  transferId: string
  amountFen: number
  reason: string | null
}

/**
 * Pays a sharer's approved withdrawal into their WeChat balance (WeChat Pay 商家转账), or a sandbox
 * that behaves like it. Idempotent by withdrawal id: asking twice for one withdrawal is one transfer
 * (the bill number is derived from the withdrawal), and answers the same transfer.
 */
export interface TransferProvider {
  pay(transfer: { withdrawalId: string; openid: string; amountFen: number }): Promise<TransferStarted>
  /**
   * The withdrawal's bill at the provider, if one was ever made (an approval whose answer was lost
   * may have made it): `under_way` may still pay (accepted, processing, waiting for the user),
   * `paid` paid, `failed` ended without paying (FAIL, CANCELLED). Null: no bill. Throws when the
   * provider can't tell.
   */
  find(withdrawalId: string): Promise<TransferBill | null>
}

/** A withdrawal's bill at the transfer provider. */
export interface TransferBill {
  transferId: string
  state: 'under_way' | 'paid' | 'failed'
}

/** The invite poster's code: a mini-program code (wxacode.getUnlimited) or, locally, a QR code. */
export interface PosterCodes {
  /** An image for `page` opened with `scene` (at most 32 characters). */
  codeFor(page: string, scene: string): Promise<string>
}

/** Why WeChat refused a wx.login code (code2Session errcodes 40029, 40163, 45011, 40226). */
export type LoginRefusal = 'INVALID_CODE' | 'CODE_USED' | 'RATE_LIMITED' | 'BLOCKED'

/**
 * WeChat's code2Session: the OPENID a wx.login code stands for (self-hosted), or the local sandbox
 * that mints such codes. Throws when WeChat cannot answer (network, busy, unexpected errcode).
 */
export interface LoginProvider {
  code2Session(code: string): Promise<{ ok: true; openid: string } | { ok: false; reason: LoginRefusal }>
}

/** One size of a processed image: JPEG bytes and their dimensions. */
export interface ImageSize {
  bytes: Buffer
  width: number
  height: number
}

/**
 * Decodes an uploaded image and makes the sizes the mini-program shows (sharp on a host). Refuses,
 * with a message for the merchant, anything that is not a still JPEG, PNG or WebP of at most
 * MAX_IMAGE_PIXELS. Both sizes are oriented by the image's EXIF, stripped of metadata, flattened on
 * white, JPEG.
 */
export interface ImageProcessor {
  process(bytes: Uint8Array): Promise<{ ok: true; full: ImageSize; thumb: ImageSize } | { ok: false; reason: string }>
}

/** Where uploaded images are kept: files under DATA_DIR on a host, cloud storage on CloudBase. */
export interface ImageStore {
  /** Keeps `bytes` under `key` (relative to the uploads folder; the same key is the same content) and answers its URL. */
  put(key: string, bytes: Buffer, mime: string): Promise<string>
}

/** Why WeChat gave no number for a getPhoneNumber code: the code is unknown, used or expired; or the number isn't a mainland mobile. */
export type PhoneRefusal = 'INVALID_CODE' | 'NOT_MAINLAND'

/**
 * WeChat's phone number quick verification (`getuserphonenumber`): the number a getPhoneNumber
 * button's one-time code stands for, or the local sandbox (codes `sandbox-phone:<11 digits>`).
 * Throws when WeChat cannot answer (network, busy, unexpected errcode).
 */
export interface PhoneNumbers {
  readonly name: 'sandbox' | 'wechat'
  phoneOf(code: string): Promise<{ ok: true; phone: string } | { ok: false; reason: PhoneRefusal }>
}

/**
 * The merchant's 企业微信 (WeCom) for 朋友会员: 联系我 codes made per customer (externalcontact
 * add_contact_way, single person, QR scene), or the local sandbox that behaves like it and sends its
 * events, signed and encrypted, to the shop's callback.
 */
export interface WecomContacts {
  readonly name: 'sandbox' | 'wecom'
  /** A 联系我 code whose add events carry `state` (at most 30 characters): WeCom's config id and the QR image URL. */
  createContactWay(state: string): Promise<{ configId: string; qrCode: string }>
  /** The sandbox's "add" URL for `state` (posting to it sends the add event); null with the real WeCom. */
  sandboxAddUrl(state: string): string | null
}

/** A WeCom external-contact event whose signature, encryption and corp the callback has verified. */
export interface VerifiedWecomEvent {
  /** add_external_contact (add) or del_follow_user / del_external_contact (remove). */
  change: 'add' | 'remove'
  changeType: string
  externalUserId: string
  /** The staff member (WeCom UserID) the contact is with. */
  followUserId: string
  /** The 联系我 code's state (add events through one); null otherwise. */
  state: string | null
  /** The event's CreateTime (seconds since the epoch). */
  createTime: number
}
