/** An SQL expression that renders a timestamptz column as the ISO 8601 UTC string the contract wants. */
export const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
