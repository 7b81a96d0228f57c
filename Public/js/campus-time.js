// The campus clock: "today", the wall-clock time "now" and date arithmetic in the campus's time
// zone (GET /auth/config → time_zone, e.g. Europe/London), not the browser's. The config is
// fetched once per page load; without it (an older gateway, no network) the browser's zone is used.

let configPromise = null;

/** GET /auth/config, cached; a failed fetch is retried on the next call. */
export function campusConfig() {
  if (!configPromise) {
    configPromise = fetch("/auth/config", { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : {}))
      .catch(() => {
        configPromise = null;
        return {};
      });
  }
  return configPromise;
}

function validZone(zone) {
  if (typeof zone !== "string" || !zone) return undefined;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** The parts of `date` as the wall clock in `zone` shows them: {date: "YYYY-MM-DD", time: "HH:MM"}. */
export function wallClock(zone, date = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date).map((part) => [part.type, part.value]));
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${hour}:${parts.minute}` };
}

/** "YYYY-MM-DD" `days` days after `iso` (calendar days, no time zone involved). */
export function addDays(iso, days) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The campus clock: {zone, today(), now(), addDays}. */
export async function campusClock() {
  const config = await campusConfig();
  const zone = validZone(config.time_zone);
  return {
    zone: zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    /** Today's date on the campus clock, "YYYY-MM-DD". */
    today: () => wallClock(zone).date,
    /** The campus wall-clock time now, "HH:MM". */
    now: () => wallClock(zone).time,
    addDays,
  };
}

// Booking days in words ---------------------------------------------------------------------------
// One form for every day the booking pages write: "Wed, Dec 2" (in the reader's language), for a
// calendar date "YYYY-MM-DD" as it is, whatever the browser's time zone.
const DAY_FORMAT = { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" };

/** "2026-12-02" → "Wed, Dec 2"; anything that is not such a date comes back as it is. */
export function dayLabel(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return iso;
  const [, y, m, d] = match.map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, DAY_FORMAT);
}

/** "Wed, Dec 2, 09:00–10:00" */
export function slotLabel(iso, start, end) {
  return `${dayLabel(iso)}, ${start}–${end}`;
}

/** A sentence from the server with its dates ("… on 2026-12-02 …") written as dayLabel does. */
export function datesInWords(text) {
  return String(text ?? "").replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => dayLabel(iso));
}
