import type { NotificationSender } from '../../core/services.ports'
import type { Database } from '../../db/database'

/** The local stand-in for WeChat subscribe messages: it records what would have been sent. */
export function sandboxNotifier(db: Database): NotificationSender {
  return {
    async send(msg) {
      await db.transaction((repos) => repos.outbox.recordSandbox(msg))
    },
  }
}
