// Admin, on the Rooms page: what stands in a room's way — its upcoming bookings (everyone's, with the
// booker's name) and its closures. An admin closes the room for whole days (maintenance, exams);
// nobody can book into a closure, and the bookings already inside it are listed at once with
// "Cancel these N bookings", which asks for the reason their owners are told. Any single booking
// can be cancelled with a reason too, and a closure removed again ("Reopen").
import { api, apiAll } from "./api.js";
import { h, clear, nextId, textDialog, confirmDialog } from "./ui.js";
import { plainMessage, steadyBusy } from "./plain.js";
import { campusClock, slotLabel, dayLabel, datesInWords } from "./campus-time.js";

/** Booker names by user id, looked up once per page (the booking service knows only ids). */
const names = new Map();
async function nameOf(id) {
  const key = String(id);
  if (!names.has(key)) {
    names.set(key, api(`/api/users/${encodeURIComponent(key)}`).then((user) => user?.name ?? `User ${key}`, () => `User ${key}`));
  }
  return names.get(key);
}

/** A disclosure panel for `room`; `open()` shows and loads it (e.g. after a refused removal). */
export function roomAdminPanel(room, { onChange } = {}) {
  const panelId = nextId("room-admin");
  const toggle = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "manage", "aria-expanded": "false", "aria-controls": panelId, "aria-label": `Bookings and closures of ${room.name}`, text: "Bookings & closures" });
  const status = h("p", { class: "muted small room-admin-status", role: "status", tabindex: "-1" });
  const bookingList = h("div", { class: "room-admin-bookings" });
  const closureList = h("div", { class: "room-admin-closures" });
  const fromId = nextId("close-from");
  const toId = nextId("close-to");
  const reasonId = nextId("close-reason");
  const from = h("input", { type: "date", id: fromId, name: "from_date", required: true });
  const to = h("input", { type: "date", id: toId, name: "to_date", required: true });
  const reason = h("input", { type: "text", id: reasonId, name: "reason", maxlength: "500", required: true, placeholder: "Exams, repainting…" });
  const error = h("p", { class: "form-error", role: "alert" });
  const closeButton = h("button", { type: "submit", class: "btn btn-danger-ghost btn-small", "data-action": "close-room", text: "Close room" });
  const form = h("form", { class: "room-close-form", novalidate: true, "aria-label": `Close ${room.name}` },
    h("h4", { text: "Close the room" }),
    h("div", { class: "form-grid" },
      h("div", { class: "field" }, h("label", { for: fromId, text: "From" }), from),
      h("div", { class: "field" }, h("label", { for: toId, text: "To (last closed day)" }), to),
      h("div", { class: "field" }, h("label", { for: reasonId, text: "Reason (shown to whoever tries to book)" }), reason)),
    error, h("div", { class: "form-actions" }, closeButton));
  const panel = h("div", { class: "room-admin", id: panelId, hidden: true },
    status,
    h("h4", { text: "Upcoming bookings" }), bookingList,
    h("h4", { text: "Closures" }), closureList,
    form);

  /** Cancels `bookings` (who booked each in `who`) with one reason asked once; says what was done and what was refused. */
  async function cancelAll(bookings, who, suggested = "") {
    const one = bookings.length === 1;
    const what = one ? "this booking" : `these ${bookings.length} bookings`;
    const message = one ?
      `${who[0]}'s booking, ${slotLabel(bookings[0].date, bookings[0].start_time, bookings[0].end_time)}. ${who[0]} is told, with your reason, by a notice (and e-mail where it is set up).` :
      `Their owners are told, with your reason, by a notice each (and e-mail where it is set up).`;
    const text = await textDialog({ title: `Cancel ${what}?`, message, label: "Reason", confirmLabel: `Cancel ${what}`, cancelLabel: one ? "Keep booking" : "Keep bookings", maxLength: 500, value: suggested ? `The room is closed: ${suggested}` : "" });
    if (text === null) return false;
    let done = 0;
    const refused = [];
    for (const booking of bookings) {
      try {
        await api(`/api/bookings/${encodeURIComponent(booking.id)}/cancel`, { method: "POST", body: { reason: text } });
        done += 1;
      } catch (problem) {
        refused.push(datesInWords(plainMessage(problem)));
      }
    }
    await load();
    const told = done === 0 ? "" : `${done === 1 ? "1 booking" : `${done} bookings`} cancelled; ${done === 1 ? "its owner has" : "their owners have"} been told.`;
    const notDone = refused.length === 0 ? "" : `${refused.length === 1 ? "1 booking was" : `${refused.length} bookings were`} not cancelled: ${refused[0]}`;
    status.textContent = [told, notDone].filter(Boolean).join(" ");
    status.classList.toggle("is-error", refused.length > 0);
    onChange?.();
    status.focus();
    return true;
  }

  function bookingRow(booking, who, today, now) {
    // Begun: too late to cancel (the service says so too).
    const begun = booking.date < today || (booking.date === today && booking.start_time <= now);
    const cancel = begun ? h("span", { class: "muted small", text: "In progress" }) :
      h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "admin-cancel", text: "Cancel…", "aria-label": `Cancel ${who}'s booking, ${slotLabel(booking.date, booking.start_time, booking.end_time)}` });
    if (!begun) cancel.addEventListener("click", async () => { if (!(await cancelAll([booking], [who]))) cancel.focus(); });
    return h("div", { class: "list-row compact", "data-booking-id": String(booking.id) },
      h("div", { class: "grow" },
        h("p", { class: "row-title", text: slotLabel(booking.date, booking.start_time, booking.end_time) }),
        h("p", { class: "muted small", text: `${who} · ${booking.purpose}` }),
        booking.status === "pending" ? h("p", { class: "chips" }, h("span", { class: "chip chip-warning", text: "Awaiting approval (on Approvals)" })) : null),
      cancel);
  }

  function closureRow(closure, names, today, now) {
    const period = closure.from_date === closure.to_date ? dayLabel(closure.from_date) : `${dayLabel(closure.from_date)} – ${dayLabel(closure.to_date)}`;
    const reopen = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "reopen", text: "Reopen", "aria-label": `Reopen ${room.name} for ${period}` });
    reopen.addEventListener("click", async () => {
      const ok = await confirmDialog({ title: `Reopen ${room.name}?`, message: `${period} becomes bookable again. Bookings cancelled for the closure stay cancelled.`, confirmLabel: "Reopen", cancelLabel: "Keep closed" });
      if (!ok) { reopen.focus(); return; }
      await steadyBusy(reopen, async () => {
        try {
          await api(`/api/rooms/${encodeURIComponent(room.id)}/closures/${encodeURIComponent(closure.id)}`, { method: "DELETE" });
          await load();
          status.textContent = `${room.name} is bookable again for ${period}.`;
          onChange?.();
          from.focus();
        } catch (problem) { status.textContent = datesInWords(plainMessage(problem)); }
      });
    });
    // The bookings inside it that can still be cancelled (not begun).
    const waiting = closure.bookings.filter((b) => !(b.date < today || (b.date === today && b.start_time <= now)));
    const inside = closure.bookings.length;
    const cancelInside = waiting.length ?
      h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "cancel-inside", text: `Cancel the ${waiting.length === 1 ? "booking" : `${waiting.length} bookings`} inside…` }) :
      null;
    cancelInside?.addEventListener("click", async () => {
      if (!(await cancelAll(waiting, waiting.map((b) => names.get(String(b.user_id))), closure.reason))) cancelInside.focus();
    });
    return h("div", { class: "list-row compact", "data-closure-id": String(closure.id) },
      h("div", { class: "grow" },
        h("p", { class: "row-title", text: `Closed ${period}` }),
        h("p", { class: "muted small", text: closure.reason }),
        inside ? h("p", { class: "small closure-warning", text: `${inside === 1 ? "1 booking is" : `${inside} bookings are`} still inside it.` }) : null),
      h("div", { class: "row-actions" }, cancelInside, reopen));
  }

  let loaded = false;
  async function load() {
    bookingList.setAttribute("aria-busy", "true");
    try {
      const [{ items: bookings }, { items: closures }] = await Promise.all([
        apiAll(`/api/rooms/${encodeURIComponent(room.id)}/bookings`),
        apiAll(`/api/rooms/${encodeURIComponent(room.id)}/closures`),
      ]);
      const clock = await campusClock();
      const [today, now] = [clock.today(), clock.now()];
      const ids = [...new Set([...bookings, ...closures.flatMap((c) => c.bookings)].map((b) => String(b.user_id)))];
      const names = new Map(await Promise.all(ids.map(async (id) => [id, await nameOf(id)])));
      clear(bookingList, bookings.length ? bookings.map((b) => bookingRow(b, names.get(String(b.user_id)), today, now)) : h("p", { class: "muted small", text: "No upcoming bookings." }));
      clear(closureList, closures.length ? closures.map((c) => closureRow(c, names, today, now)) : h("p", { class: "muted small", text: "Not closed." }));
      loaded = true;
    } catch (problem) {
      clear(bookingList, h("p", { class: "form-error", text: plainMessage(problem) }));
    } finally {
      bookingList.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = { from_date: from.value, to_date: to.value || from.value, reason: reason.value.trim() };
    if (!body.from_date) {
      error.textContent = "Pick the first closed day.";
      from.focus();
      return;
    }
    if (!body.reason) {
      error.textContent = "Say why: whoever tries to book reads it.";
      reason.focus();
      return;
    }
    await steadyBusy(closeButton, async () => {
      try {
        const closure = await api(`/api/rooms/${encodeURIComponent(room.id)}/closures`, { method: "POST", body });
        reason.value = "";
        from.value = "";
        to.value = "";
        await load();
        const inside = closure.bookings.length;
        status.textContent = inside ?
          `${room.name} is closed. ${inside === 1 ? "1 booking falls" : `${inside} bookings fall`} inside the closure: cancel ${inside === 1 ? "it" : "them"} below, with a reason.` :
          `${room.name} is closed; no bookings fall inside.`;
        onChange?.();
        (panel.querySelector(`[data-closure-id="${closure.id}"] [data-action="cancel-inside"]`) ?? from).focus();
      } catch (problem) {
        error.textContent = datesInWords(plainMessage(problem));
      }
    });
  });

  async function open() {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    if (!from.min) {
      const clock = await campusClock();
      from.min = clock.today();
      to.min = clock.today();
    }
    await load();
  }
  toggle.addEventListener("click", async () => {
    if (!panel.hidden) {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      return;
    }
    await open();
  });
  return { toggle, panel, open, get loaded() { return loaded; } };
}
