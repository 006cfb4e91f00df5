// An advertiser's calendar day: TikTok reports, backfills and alert rules count days in the
// advertiser's own time zone.

/** YYYY-MM-DD of `ms` in `timeZone` (the advertiser's day); UTC when the zone is unknown. */
export function dayIn(ms: number, timeZone: string | null | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(ms);
  } catch {
    return new Date(ms).toISOString().slice(0, 10);
  }
}
