import { ApiError, errorMessage } from '../../api/errors'

/**
 * What an action the shopper started came to. Stores answer it and never toast, so the page
 * decides what to show and every refusal carries the backend's code and Chinese message.
 */
export type Outcome<T = void> =
  | { ok: true; value: T }
  | {
      ok: false
      code: ApiError['code']
      message: string
      /** Refused fields' messages by path, for a form to show under each field (may be empty). */
      fields?: Record<string, string>
    }

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

/** A caught error as a refused outcome; anything but an ApiError is a bug, reported as INTERNAL. */
export function refused(err: unknown): Outcome<never> {
  if (err instanceof ApiError) {
    return { ok: false, code: err.code, message: err.message, ...(Object.keys(err.fields).length ? { fields: err.fields } : {}) }
  }
  return { ok: false, code: 'INTERNAL', message: errorMessage(err) }
}

/** Runs a store action's calls and answers how it went instead of throwing. */
export async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return done(await run())
  } catch (err) {
    return refused(err)
  }
}
