// My bookings: upcoming first, change one (room, day, time, purpose; for a series this one or this
// and the following weeks: booking-change.js), cancel one, cancel the rest of a weekly series, and
// the .ics feed.
// Every page of the lists is read (rooms and bookings alike, past 200), `#/bookings?id=<id>` scrolls
// to that booking and highlights it (notices link there), and after a cancellation focus stays in
// the list, on the next booking. The confirmation's buttons say what they do ("Keep booking" /
// "Cancel booking"), and days read "Wed, Dec 2" as on the booking page (campus-time.js dayLabel).
// Below the list: the private address calendar apps subscribe to (calendar-feed.js).
import { api } from "../api.js";
import { h, clear, skeleton, empty, errorBox, pageHeader, confirmDialog, formatDay, formatDateTime, select, field } from "../ui.js";
import { campusClock, slotLabel, dayLabel, datesInWords, wallClock } from "../campus-time.js";
import { icon } from "../icons.js";
import { fetchAll, limitsLine } from "./book.js";
import { calendarFeedSection } from "../calendar-feed.js";
import { changeBookingDialog } from "../booking-change.js";
import { waitlistSection } from "../waitlist.js";

const STATUS_LABEL = { pending: "Awaiting approval", confirmed: "Confirmed", cancelled: "Cancelled" };
/** What became of it: a declined or expired request reads so, not just "Cancelled". */
const statusLabel = (booking) => booking.cancelled_by === "approver" ? "Declined" : booking.cancelled_by === "no_decision" ? "Expired" : booking.cancelled_by === "no_check_in" ? "Released" : STATUS_LABEL[booking.status] ?? booking.status;

/** confirmDialog whose dismissing button reads `keepLabel` instead of the ambiguous "Cancel". */
const confirmCancel = ({ keepLabel, ...options }) => confirmDialog({ ...options, cancelLabel: keepLabel });

function wantedId() {
  const query = location.hash.split("?")[1] ?? "";
  return new URLSearchParams(query).get("id");
}

export async function render(root, { user, onCleanup }) {
  const clock = await campusClock();
  const rooms = new Map();
  const ics = h("a", { class: "btn btn-ghost", href: "/api/bookings/calendar.ics", id: "ics-link", download: "campus-bookings.ics" }, icon("calendar"), "Calendar feed (.ics)");
  const status = h("p", { class: "bookings-status", id: "bookings-status", role: "status" });
  ics.addEventListener("click", async (event) => {
    // The feed needs the bearer token, so it is fetched and handed over as a file.
    event.preventDefault();
    try {
      const response = await api("/api/bookings/calendar.ics", { raw: true });
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: "campus-bookings.ics", hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
    } catch (error) {
      say(datesInWords(error.message), true);
    }
  });
  root.append(pageHeader("My bookings", "Your rooms, soonest first.", ics, h("a", { class: "btn btn-primary", href: "#/book", text: "Book a room" })));
  const limitsBar = limitsLine(user.role);
  root.append(limitsBar.el);
  limitsBar.refresh();

  const show = select([
    ["upcoming", "Upcoming"],
    ["all", "All, including past and cancelled"]
  ]);
  // How long before each booking a reminder comes (a notice, and e-mail as the profile says), saved as it changes.
  const REMIND = [
    ["15", "15 minutes before"],
    ["30", "30 minutes before"],
    ["60", "1 hour before"],
    ["120", "2 hours before"],
    ["1440", "1 day before"],
    ["off", "No reminders"]
  ];
  const remind = select(REMIND, { id: "booking-reminders", disabled: true });
  const remindSaved = h("span", { class: "muted small", id: "booking-reminders-status", role: "status" });
  let remindWas = null;
  root.append(h("div", { class: "toolbar" }, field("Show", show), field("Remind me", remind), remindSaved));
  api("/api/bookings/reminders").then((answer) => {
    remind.value = answer.minutes_before === null ? "off" : String(answer.minutes_before);
    remindWas = remind.value;
    remind.disabled = false;
  }, () => { remindSaved.textContent = "Reminders cannot be read just now."; });
  remind.addEventListener("change", async () => {
    const value = remind.value;
    remindSaved.textContent = "Saving…";
    try {
      await api("/api/bookings/reminders", { method: "PUT", body: { minutes_before: value === "off" ? null : Number(value) } });
      remindSaved.textContent = value === "off" ? "Saved: no reminders." : `Saved: reminders ${REMIND.find(([v]) => v === value)[1]}.`;
      remindWas = value;
    } catch (error) {
      if (remindWas !== null) remind.value = remindWas;
      remindSaved.textContent = datesInWords(error.message);
    }
  });
  root.append(status);
  const list = h("div", { class: "list card", id: "booking-list" }, skeleton(3));
  root.append(list);
  const waiting = waitlistSection({ rooms, say: (text, error) => say(text, error) });
  root.append(waiting.el);
  const feed = calendarFeedSection({ ownFeed: true });
  root.append(feed.el);
  feed.load(); // not awaited: the list does not wait for the address

  /** A sentence in the status line next to the list (instead of a toast that may cover the page). */
  function say(text, error = false) {
    status.textContent = text;
    status.classList.toggle("is-error", error);
  }

  /** Focus after the list was redrawn: the row at `index` (or the one before it), else the list. */
  function focusNear(index) {
    const rows = [...list.querySelectorAll("[data-booking-id]")];
    const target = rows[Math.min(index, rows.length - 1)];
    const control = target?.querySelector('[data-action="cancel"]') ?? target;
    if (control) {
      if (control === target) target.setAttribute("tabindex", "-1");
      control.focus({ preventScroll: true });
      control.scrollIntoView({ block: "nearest" });
    } else {
      list.setAttribute("tabindex", "-1");
      list.focus({ preventScroll: true });
    }
  }

  /** One action on a booking (`method` on `path`), then the list again, `done` said and focus kept nearby. */
  async function act(button, path, done, index, method = "DELETE", focus = () => focusNear(index)) {
    button.disabled = true;
    button.classList.add("is-busy");
    try {
      await api(path, method === "DELETE" ? { method } : { method, body: {} });
      await load();
      limitsBar.refresh();
      say(done);
      focus();
    } catch (error) {
      button.disabled = false;
      button.classList.remove("is-busy");
      say(datesInWords(error.message), true);
      button.focus();
    }
  }

  /** A room that requires check-in: when to check in, the button while it is open, or when it was done. */
  function checkInPart(booking, what, index) {
    const window = booking.check_in;
    if (!window || booking.status !== "confirmed") return { note: null, button: null };
    const time = (iso) => wallClock(clock.zone, new Date(iso)).time;
    if (window.checked_in_at) return { note: h("p", { class: "small check-in-note", text: `Checked in at ${time(window.checked_in_at)}.` }), button: null };
    const opensAt = Date.parse(window.opens_at);
    const closesAt = Date.parse(window.closes_at);
    const now = Date.now();
    if (now >= closesAt) return { note: h("p", { class: "small check-in-note", text: `Nobody checked in by ${time(window.closes_at)}; it is being released.` }), button: null };
    const note = h("p", { class: "small check-in-note", text: `Check in between ${time(window.opens_at)} and ${time(window.closes_at)}, or the booking is released for others.` });
    if (now < opensAt) {
      // Redrawn when check-in opens, if that is soon enough for the page to still be open.
      if (opensAt - now < 3 * 3600 * 1000) {
        const timer = setTimeout(() => load(), opensAt - now + 500);
        onCleanup?.(() => clearTimeout(timer));
      }
      return { note, button: null };
    }
    const button = h("button", { type: "button", class: "btn btn-primary btn-small", "data-action": "check-in", text: "Check in", "aria-label": `Check in to ${what}` });
    // Focus stays on the booking, saying it is checked in (not on its Cancel, a reflexive Enter away).
    const focusNote = () => {
      const note = list.querySelector(`[data-booking-id="${CSS.escape(String(booking.id))}"] .check-in-note`);
      note?.setAttribute("tabindex", "-1");
      note?.focus({ preventScroll: true });
    };
    button.addEventListener("click", () => act(button, `/api/bookings/${encodeURIComponent(booking.id)}/check-in`, `Checked in: ${what}.`, index, "POST", focusNote));
    return { note, button };
  }

  /** An instant as the campus clock reads it: "Fri, Dec 4 at 10:00". */
  function deadlineWords(iso) {
    const { date, time } = wallClock(clock.zone, new Date(iso));
    return `${dayLabel(date)} at ${time}`;
  }

  let loadSeq = 0;
  async function load({ highlight = null } = {}) {
    const seq = ++loadSeq;
    const today = clock.today();
    list.setAttribute("aria-busy", "true");
    try {
      if (!rooms.size)
        for (const room of await fetchAll("/api/rooms")) rooms.set(String(room.id), room);
      // Upcoming: confirmed bookings and requests still waiting for approval.
      const query = show.value === "upcoming" ? { from: today } : {};
      // Rooms a technician marked out of order (maintenance); without an answer, none is flagged.
      const health = api("/api/tickets/room-health").catch(() => []);
      const items = (await fetchAll("/api/bookings", query)).filter((b) => show.value !== "upcoming" || b.status !== "cancelled");
      const outOfOrder = new Set((await health).filter((r) => r.out_of_order).map((r) => String(r.room_id)));
      if (seq !== loadSeq) return false;
      if (highlight && show.value === "upcoming" && !items.some((b) => String(b.id) === highlight)) {
        // a past or cancelled booking: it is in the full list
        show.value = "all";
        return load({ highlight });
      }
      items.sort((a, b) => (a.date + a.start_time).localeCompare(b.date + b.start_time));
      if (!items.length) {
        clear(list, empty("No bookings yet", "Book a room and it will show up here.", "calendar-days"));
        return true;
      }
      const seriesSeen = new Set();
      clear(list, items.map((booking, index) => {
        const room = rooms.get(String(booking.room_id));
        const cancelled = booking.status === "cancelled";
        // Begun (today, its start passed on the campus clock): it can no longer be changed.
        const begun = booking.date === today && booking.start_time <= clock.now();
        const firstOfSeries = booking.series_id && !seriesSeen.has(booking.series_id) && !cancelled;
        if (booking.series_id) seriesSeen.add(booking.series_id);
        const what = `${room?.name ?? "Room"}, ${slotLabel(booking.date, booking.start_time, booking.end_time)}`;
        const pending = booking.status === "pending";
        const cancelOne = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "cancel", text: pending ? "Withdraw" : "Cancel", "aria-label": `${pending ? "Withdraw the request for" : "Cancel"} ${what}` });
        cancelOne.addEventListener("click", async () => {
          const ok = pending ?
            await confirmCancel({ title: "Withdraw this request?", message: `${what}. The slot is given up for others.`, keepLabel: "Keep request", confirmLabel: "Withdraw request", danger: true }) :
            await confirmCancel({ title: "Cancel this booking?", message: `${what}.`, keepLabel: "Keep booking", confirmLabel: "Cancel booking", danger: true });
          if (!ok) {
            cancelOne.focus();
            return;
          }
          await act(cancelOne, `/api/bookings/${encodeURIComponent(booking.id)}`, pending ? `Request withdrawn: ${what}.` : `Booking cancelled: ${what}.`, index);
        });
        const change = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "change", text: "Change", "aria-label": `Change ${what}` });
        change.addEventListener("click", async () => {
          const answer = await changeBookingDialog({ booking, rooms, mayBookFacultyOnly: user.role === "faculty", limits: limitsBar.limits });
          if (!answer) {
            change.focus();
            return;
          }
          const changed = answer.bookings ?? [answer];
          const first = changed[0];
          const newRoom = rooms.get(String(first.room_id))?.name ?? `Room ${first.room_id}`;
          await load({ highlight: String(first.id) });
          say(changed.length > 1 ?
            `${changed.length} bookings changed: now ${newRoom}, ${first.start_time}–${first.end_time} from ${dayLabel(first.date)}.` :
            `Booking changed: now ${newRoom}, ${slotLabel(first.date, first.start_time, first.end_time)}.`);
        });
        let cancelSeries = null;
        if (firstOfSeries) {
          cancelSeries = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "cancel-series", text: "Cancel series", "aria-label": `Cancel the weekly series from ${what}` });
          cancelSeries.addEventListener("click", async () => {
            const ok = await confirmCancel({ title: "Cancel the whole series?", message: `Every remaining week of this weekly series, from ${what} on, will be cancelled.`, keepLabel: "Keep series", confirmLabel: "Cancel series", danger: true });
            if (!ok) {
              cancelSeries.focus();
              return;
            }
            await act(cancelSeries, `/api/bookings/series/${encodeURIComponent(booking.series_id)}`, "Series cancelled.", index);
          });
        }
        const day = booking.date.split("-")[2];
        const checkIn = checkInPart(booking, what, index);
        const broken = !cancelled && booking.date >= today && outOfOrder.has(String(booking.room_id));
        const reason = booking.cancel_reason ?
          (booking.cancelled_by === "admin" ? `Cancelled by an administrator: ${booking.cancel_reason}` : booking.cancel_reason) : null;
        // A request: who decides it, and until when the slot is held for it.
        const approver = room?.approver?.name ?? "an administrator";
        const waiting = pending && booking.approval ?
          `Waiting for approval by ${approver}. The slot is held for you until ${deadlineWords(booking.approval.decide_by)}; you will be told the decision.` :
          booking.status === "confirmed" && booking.approval?.decided_by ? `Approved by ${booking.approval.decided_by}.` : null;
        return h("div", { class: `list-row booking${cancelled ? " is-cancelled" : ""}`, "data-booking-id": String(booking.id), "data-series": booking.series_id ?? "" },
          h("div", { class: "date-badge", "aria-hidden": "true" }, h("span", { class: "date-day", text: String(Number(day)) }), h("span", { class: "date-month", text: formatDay(booking.date, { month: "short" }) })),
          h("div", { class: "grow" },
            h("p", { class: "row-title", text: room?.name ?? `Room ${booking.room_id}` }),
            h("p", { class: "muted small", text: `${slotLabel(booking.date, booking.start_time, booking.end_time)}${booking.purpose ? ` · ${booking.purpose}` : ""}` }),
            reason ? h("p", { class: "small cancel-reason", text: reason }) : null,
            waiting ? h("p", { class: "small approval-note", text: waiting }) : null,
            broken ? h("p", { class: "small out-of-order-note", text: "Maintenance has marked this room out of order. Change the booking to another room, or cancel it." }) : null,
            checkIn.note,
            h("p", { class: "chips" },
              h("span", { class: `chip ${cancelled ? "chip-muted" : pending ? "chip-warning" : "chip-success"}`, text: statusLabel(booking) }),
              broken ? h("span", { class: "chip chip-danger", "data-out-of-order": "", text: "Room out of order" }) : null,
              booking.series_id ? h("span", { class: "chip chip-accent", text: "Weekly series" }) : null,
              booking.updated_at && !cancelled ? h("span", { class: "chip", text: "Changed", title: `Changed ${formatDateTime(booking.updated_at)}` }) : null)),
          cancelled || booking.date < today ? null : h("div", { class: "row-actions" }, checkIn.button, begun ? null : change, cancelSeries, cancelOne));
      }));
      if (highlight) showHighlight(highlight);
      return true;
    } catch (error) {
      if (seq === loadSeq) clear(list, errorBox(error.message));
      return false;
    } finally {
      if (seq === loadSeq) list.removeAttribute("aria-busy");
    }
  }

  /** `#/bookings?id=<id>`: scroll to that booking, mark it, and put focus on it. */
  function showHighlight(id) {
    const row = list.querySelector(`[data-booking-id="${CSS.escape(id)}"]`);
    if (!row) {
      say("That booking is not among yours any more.", true);
      return;
    }
    row.classList.add("is-highlighted");
    row.setAttribute("aria-current", "true");
    row.setAttribute("tabindex", "-1");
    row.scrollIntoView({ block: "center" });
    // the shell focuses the page title once render() returns: take focus after that
    const timer = setTimeout(() => row.focus({ preventScroll: true }), 0);
    onCleanup?.(() => clearTimeout(timer));
  }

  show.addEventListener("change", () => load());
  await load({ highlight: wantedId() });
  waiting.load(); // after the list: it reads the rooms the list has fetched
}
