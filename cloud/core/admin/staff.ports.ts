/** What staff management and the audit log need from storage. */
import type { GrantedRole, StaffRole } from '../../contract'

export interface StaffRow {
  userId: string
  openid: string
  nickname: string
  role: GrantedRole
  since: Date
}

export interface StaffRepo {
  /** Gives `userId` the role (replacing any other), granted by `grantedBy` at `at`. */
  set(userId: string, role: GrantedRole, grantedBy: string, at: Date): Promise<void>
  /** Takes the role away; whether there was one. */
  remove(userId: string): Promise<boolean>
  /** Every staff row, with the user's openid and nickname, earliest given first. */
  list(): Promise<StaffRow[]>
  /** The users of these openids that exist (the owners listed beside the staff). */
  usersByOpenid(openids: readonly string[]): Promise<Array<{ userId: string; openid: string; nickname: string }>>
}

export interface AuditAppend {
  at: Date
  actorId: string
  actorRole: StaffRole
  action: string
  target: string
  /** A JSON text (already trimmed: see audit.ts). */
  detail: string
}

export interface AuditRow {
  id: string
  seq: number
  at: string
  actorId: string
  actorName: string
  actorRole: StaffRole
  action: string
  target: string
  detail: Record<string, unknown>
}

export interface AuditRepo {
  append(entry: AuditAppend): Promise<void>
  /** Newest first, before `beforeSeq` when given; `limit` + 1 rows so the caller knows whether more follow. */
  page(q: { beforeSeq: number | null; actorId?: string; action?: string; limit: number }): Promise<AuditRow[]>
}
