// Calendar arithmetic in a named time zone (the viewer's choice, not necessarily the
// browser's), with Intl only: wall-clock parts of an instant, and the instant of a wall time.

export interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The wall-clock time of `instant` in `zone`. */
export function wallTime(instant: Date, zone: string): WallTime {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

const asUtc = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);

/** The instant at which `zone`'s clocks show `wall` (the later one in a repeated hour). */
export function instantOf(wall: WallTime, zone: string): Date {
  const guess = asUtc(wall);
  const offset = asUtc(wallTime(new Date(guess), zone)) - guess;
  const first = guess - offset;
  // Across a change of offset the first guess lands an hour off; one correction settles it.
  const corrected = asUtc(wallTime(new Date(first), zone)) - first;
  return new Date(corrected === offset ? first : guess - corrected);
}

/** "YYYY-MM-DD" of a wall time: a key for a calendar day. */
export const dayKey = (wall: Pick<WallTime, 'year' | 'month' | 'day'>) =>
  `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;

/** The calendar day `offset` days after `wall`'s (pure date arithmetic, no zone). */
export function addDays(wall: Pick<WallTime, 'year' | 'month' | 'day'>, offset: number) {
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + offset));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export const weekday = (wall: Pick<WallTime, 'year' | 'month' | 'day'>) =>
  (new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay() + 6) % 7;

/** A value for <input type="datetime-local"> showing `instant` in `zone`. */
export function toZonedInput(instant: Date, zone: string): string {
  const wall = wallTime(instant, zone);
  return `${dayKey(wall)}T${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/** The instant a datetime-local value means in `zone`. */
export function fromZonedInput(value: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  return instantOf({ year, month, day, hour, minute }, zone);
}

/** The zones the browser knows, the viewer's own first. */
export function knownZones(): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [own, ...supported.filter((zone) => zone !== own)];
}
