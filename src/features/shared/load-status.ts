/** Where a store's data stands; pages choose the loading, error or content view from it. */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'
