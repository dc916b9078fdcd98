/**
 * Rules of the console's live shows: presence (who is watching now) and the peak's sampling.
 */
/** Watching = seen (a live.enter or live.sync) within the last 60 s. */
export const WATCHING_WINDOW_MS = 60_000
/** A viewer's last-seen is written at most once per 30 s (viewers poll every few seconds). */
export const SEEN_EVERY_MS = 30_000
/** A room's peak is sampled at most once per 15 s, by whichever poll comes first after that. */
export const PEAK_SAMPLE_EVERY_MS = 15_000
