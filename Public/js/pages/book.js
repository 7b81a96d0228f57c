// Booking: rooms with filters, a day × slot availability grid (all rooms for one day, or one
// room for a week), click a free slot to book; refusals are shown inline. Rooms with open
// maintenance tickets carry a warning (maintenance /tickets/room-health). "Today", past slots and
// the date limits follow the campus clock (campus-time.js), not the browser's time zone. Rooms the
// caller may not book (faculty-only rooms for a student) show their slots as "Faculty only", never
// as buttons; a date outside the allowed range empties the grid and says which dates are allowed.
// Every day the page writes reads "Wed, Dec 2" (campus-time.js dayLabel).
import { api, apiAll } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, nextId, toast } from "../ui.js";
import { campusClock, dayLabel, slotLabel, datesInWords } from "../campus-time.js";
import { icon } from "../icons.js";
import { joinWaitlistDialog, entryState } from "../waitlist.js";

/** Used when the booking service does not answer GET /bookings/limits (docs/contract.md §6). */
const FALLBACK_LIMITS = {
  student: { max_minutes: 120, days_ahead: 14, max_upcoming: 3, upcoming: null, faculty_only_rooms: false, series: false },
  faculty: { max_minutes: 480, days_ahead: 90, max_upcoming: 20, upcoming: null, faculty_only_rooms: true, series: true },
};
const FEATURE_LABEL = (feature) => feature.replaceAll("_", " ");
const GRID_DEBOUNCE_MS = 300;

/** Every item of a paged list. */
export const fetchAll = async (path, query = {}) => (await apiAll(path, query)).items;

/** The caller's booking limits and how many upcoming bookings they hold (GET /bookings/limits). */
export async function loadLimits(role) {
  try {
    return await api("/api/bookings/limits");
  } catch {
    return { ...(FALLBACK_LIMITS[role] ?? FALLBACK_LIMITS.student) };
  }
}

/** "2 h" / "1 h 30 min" / "45 min" */
export function duration(minutes) {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "2 h max · 14 days ahead · 1 of 3 upcoming bookings used" */
export function limitsSummary(limits) {
  const parts = [`${duration(limits.max_minutes)} max`, `${limits.days_ahead} days ahead`];
  if (typeof limits.upcoming === "number") parts.push(`${limits.upcoming} of ${limits.max_upcoming} upcoming bookings used`);
  else parts.push(`up to ${limits.max_upcoming} upcoming bookings`);
  return parts.join(" · ");
}

/** The limits line shown on the booking pages; `refresh()` reloads it after a booking or a cancellation. */
export function limitsLine(role) {
  const el = h("p", { class: "limits-line", id: "booking-limits", "aria-live": "polite" }, h("span", { class: "muted", text: "Loading your booking limits…" }));
  const line = {
    el,
    limits: null,
    async refresh() {
      line.limits = await loadLimits(role);
      const full = typeof line.limits.upcoming === "number" && line.limits.upcoming >= line.limits.max_upcoming;
      clear(el, h("span", { class: "limits-label", text: "Your limits: " }), h("span", { class: "limits-text", text: limitsSummary(line.limits) }),
        full ? h("span", { class: "limits-full", text: " · You hold as many upcoming bookings as you may; cancel one to book another." }) : null);
      el.classList.toggle("is-full", full);
      return line.limits;
    },
  };
  return line;
}

export async function render(root, { user, onCleanup }) {
  const clock = await campusClock();
  const limitsBar = limitsLine(user.role);
  let limits = await limitsBar.refresh();
  const today = clock.today();
  const maxDate = () => clock.addDays(clock.today(), limits.days_ahead);
  const state = { date: clock.addDays(today, 1), roomId: "all", minCapacity: "", feature: "", showFacultyOnly: user.role === "faculty", rooms: [], allRooms: [], health: new Map(), selection: null };

  root.append(pageHeader("Book a room", "Pick a free slot in the grid. Times are on the campus clock.",
    h("a", { class: "btn btn-ghost", href: "#/bookings", text: "My bookings" })));
  root.append(limitsBar.el);

  // Filters ---------------------------------------------------------------------------
  const dateHint = h("p", { class: "field-hint", id: nextId("dh"), text: `Today on campus is ${dayLabel(today)}.` });
  const dateInput = h("input", { type: "date", value: state.date, min: today, max: maxDate(), required: true, "aria-describedby": dateHint.id });
  const roomSelect = select([
    ["all", "All rooms"]
  ], { "aria-label": "Room" });
  const capacityInput = h("input", { type: "number", min: "1", step: "1", inputmode: "numeric", placeholder: "Any" });
  const featureSelect = select([
    ["", "Any feature"]
  ]);
  const facultyToggle = h("input", { type: "checkbox", id: nextId("fo"), checked: state.showFacultyOnly });
  const dateField = field("Date", dateInput);
  dateField.append(dateHint);
  const filters = h("form", { class: "card filters", role: "search", "aria-label": "Room filters", onsubmit: (e) => e.preventDefault() },
    dateField,
    field("Room", roomSelect),
    field("Min. capacity", capacityInput),
    field("Feature", featureSelect),
    user.role === "student" ? h("label", { class: "check", for: facultyToggle.id }, facultyToggle, h("span", { text: limits.faculty_only_rooms === false ? "Show faculty-only rooms (to look at; only faculty can book them)" : "Show faculty-only rooms" })) : null);
  root.append(filters);

  const roomsEl = h("div", { class: "room-strip", "aria-live": "polite" }, skeleton(1));
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "Rooms" }), roomsEl));

  const gridTitle = h("h2", { class: "section-title", id: nextId("gt") });
  const legend = h("div", { class: "legend", "aria-hidden": "true" },
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-free" }), "Free"),
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-taken" }), "Taken"),
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-past" }), "Past"),
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-selected" }), "Selected"),
    h("span", { class: "legend-item legend-faculty", hidden: true }, h("span", { class: "swatch swatch-faculty" }), "Faculty only"));
  const gridEl = h("div", { class: "grid-wrap", id: "availability" }, skeleton(5));
  const gridNote = h("p", { class: "grid-note", id: "grid-note", role: "status" });
  const panel = h("div", { class: "booking-panel", id: "booking-panel", hidden: true });
  root.append(h("section", { class: "section book-grid-section" }, h("div", { class: "section-head" }, gridTitle, legend), gridNote, gridEl, panel));

  // Data --------------------------------------------------------------------------------
  async function loadCatalogue() {
    const [all, health] = await Promise.all([
      fetchAll("/api/rooms"),
      api("/api/tickets/room-health").catch(() => []),
    ]);
    state.allRooms = all;
    state.health = new Map(health.map((entry) => [String(entry.room_id), entry]));
    const features = [...new Set(all.flatMap((room) => room.features))].sort();
    clear(featureSelect, h("option", { value: "", text: "Any feature" }), features.map((f) => h("option", { value: f, text: FEATURE_LABEL(f) })));
  }

  async function loadRooms() {
    const rooms = await fetchAll("/api/rooms", { min_capacity: state.minCapacity, feature: state.feature });
    state.rooms = rooms.filter((room) => state.showFacultyOnly || !room.faculty_only);
    const current = state.roomId;
    clear(roomSelect, h("option", { value: "all", text: "All rooms" }), state.rooms.map((room) => h("option", { value: String(room.id), text: room.name })));
    state.roomId = state.rooms.some((room) => String(room.id) === current) ? current : "all";
    roomSelect.value = state.roomId;
    renderRooms();
  }

  /** A technician marked the room out of order on an open ticket: not offered until it is fixed. */
  const outOfOrder = (roomId) => Boolean(state.health.get(String(roomId))?.out_of_order);

  function healthBadge(room) {
    const entry = state.health.get(String(room.id));
    if (!entry) return null;
    const count = entry.open_tickets;
    return h("span", { class: `warn-badge prio-${entry.highest_priority}`, "data-room-warning": String(room.id), title: "Open maintenance tickets" },
      icon("warning"),
      entry.out_of_order ? "Out of order" : `${count} open ${count === 1 ? "issue" : "issues"} · ${entry.highest_priority}`);
  }

  function renderRooms() {
    if (!state.rooms.length) {
      clear(roomsEl, empty("No rooms match", "Try a smaller capacity or another feature.", "search"));
      return;
    }
    clear(roomsEl, state.rooms.map((room) => h("button", {
        type: "button",
        class: `room-card${String(room.id) === state.roomId ? " active" : ""}`,
        "data-room-id": String(room.id),
        "aria-pressed": String(String(room.id) === state.roomId),
        onclick: () => {
          state.roomId = String(room.id) === state.roomId ? "all" : String(room.id);
          roomSelect.value = state.roomId;
          renderRooms();
          loadGrid();
        },
      },
      h("span", { class: "room-name", text: room.name }),
      h("span", { class: "room-meta", text: `${room.building} · ${room.capacity} seats` }),
      h("span", { class: "chips" }, room.faculty_only ? h("span", { class: "chip chip-accent", text: lockedOut(room) ? "Faculty only · not bookable by you" : "Faculty only" }) : null, room.check_in_required ? h("span", { class: "chip", text: "Check-in required" }) : null, room.approval_required ? h("span", { class: "chip chip-warning", "data-approval": "", text: "Needs approval" }) : null, room.features.slice(0, 3).map((f) => h("span", { class: "chip", text: FEATURE_LABEL(f) }))),
      healthBadge(room))));
  }

  function roomById(id) { return state.allRooms.find((room) => String(room.id) === String(id)); }

  /** A faculty-only room and a caller who may not book one (GET /bookings/limits → faculty_only_rooms). */
  function lockedOut(room) { return Boolean(room?.faculty_only) && limits.faculty_only_rooms === false; }

  /** Why the date in the field cannot be shown (empty, past, too far ahead), or "" when it can. */
  function dateProblem() {
    const value = dateInput.value;
    const first = clock.today();
    const last = maxDate();
    if (!value) return `Pick a date from ${dayLabel(first)} to ${dayLabel(last)} to see the free slots.`;
    if (value < first) return `${dayLabel(value)} has passed. Pick a date from ${dayLabel(first)} to ${dayLabel(last)}.`;
    if (value > last) return `${dayLabel(value)} is too far ahead: you can book up to ${limits.days_ahead} days ahead. Pick a date up to ${dayLabel(last)}.`;
    return "";
  }

  /** The date field holds a date the grid cannot show: the grid shows no day at all and says why. */
  function showDateProblem(problem) {
    gridSeq += 1; // an answer still on its way is no longer wanted
    hidePanel();
    const value = dateInput.value;
    if (value) dateInput.setAttribute("aria-invalid", "true");
    else dateInput.removeAttribute("aria-invalid");
    gridTitle.textContent = value ? `No slots shown for ${dayLabel(value)}` : "No date picked";
    gridNote.textContent = problem;
    gridNote.classList.add("is-error");
    gridEl.removeAttribute("aria-busy");
    gridEl.classList.remove("is-loading");
    clear(gridEl, empty(`Pick a date up to ${dayLabel(maxDate())}`, `Bookings can be made from ${dayLabel(clock.today())} to ${dayLabel(maxDate())}.`, "calendar-days"));
  }

  // Every grid load takes a number; an answer that arrives after a newer load started is dropped,
  // so a slow answer for an older date never replaces the grid of the date now in the field.
  let gridSeq = 0;

  /** Loads the grid; resolves to the rows shown, or null when a newer load took over or it failed. */
  async function loadGrid({ keepPanel = false } = {}) {
    const problem = dateProblem();
    if (problem) {
      showDateProblem(problem);
      return null;
    }
    dateInput.removeAttribute("aria-invalid");
    state.date = dateInput.value;
    const seq = ++gridSeq;
    if (!keepPanel) hidePanel();
    const single = state.roomId !== "all";
    const room = single ? roomById(state.roomId) : null;
    gridTitle.textContent = single ? `${room?.name ?? "Room"} — week from ${dayLabel(state.date)}` : `All rooms — ${dayLabel(state.date)}`;
    gridNote.textContent = "";
    gridNote.classList.remove("is-error");
    gridEl.setAttribute("aria-busy", "true");
    gridEl.classList.add("is-loading");
    // Rooms marked out of order (or fixed) since the page opened: asked again with every grid.
    const health = api("/api/tickets/room-health").catch(() => null);
    try {
      let rows;
      if (single) {
        const days = Array.from({ length: 7 }, (_, i) => clock.addDays(state.date, i)).filter((d) => d <= maxDate());
        const results = await Promise.all(days.map((date) => api("/api/bookings/available", { query: { room_id: state.roomId, date, limit: 200 } })));
        if (seq !== gridSeq) return null;
        rows = days.map((date, i) => ({ key: date, label: dayLabel(date), sub: "", roomId: state.roomId, date, slots: results[i], room }));
      } else {
        const all = await fetchAll("/api/bookings/available", { date: state.date });
        if (seq !== gridSeq) return null;
        const visible = new Set(state.rooms.map((r) => String(r.id)));
        rows = all.filter((entry) => visible.has(String(entry.room_id))).map((entry) => {
          const r = roomById(entry.room_id);
          return { key: String(entry.room_id), label: entry.room_name, sub: r ? `${r.capacity} seats` : "", roomId: String(entry.room_id), date: state.date, slots: entry.slots, room: r };
        });
      }
      // One's own bookings and lines on these days: a taken slot that is one's own reads "Yours", one
      // waited for "In line" (not fatal if they cannot be read: the grid is still right, only less personal).
      const to = rows.reduce((last, row) => (row.date > last ? row.date : last), state.date);
      const [mine, lines, fresh] = await Promise.all([
        // Confirmed bookings and pending requests alike hold their slots.
        fetchAll("/api/bookings", { from: state.date, to }).then((all) => all.filter((b) => b.status !== "cancelled"), () => []),
        fetchAll("/api/bookings/waitlist").catch(() => []),
        health,
      ]);
      if (seq !== gridSeq) return null;
      if (fresh) state.health = new Map(fresh.map((entry) => [String(entry.room_id), entry]));
      state.mine = mine;
      state.lines = lines.filter((entry) => entry.status === "waiting");
      renderGrid(rows);
      return rows;
    } catch (error) {
      if (seq !== gridSeq) return null;
      clear(gridEl, errorBox(error.message));
      return null;
    } finally {
      if (seq === gridSeq) {
        gridEl.removeAttribute("aria-busy");
        gridEl.classList.remove("is-loading");
      }
    }
  }

  /** Whether one of `items` (bookings or waiting-list entries) of the row's room and day overlaps `slot`. */
  function holds(items, row, slot) {
    return (items ?? []).some((item) => String(item.room_id) === String(row.roomId) && item.date === row.date &&
      item.start_time < slot.end_time && slot.start_time < item.end_time);
  }

  function isPast(date, slot) {
    const campusToday = clock.today();
    return date < campusToday || (date === campusToday && slot.start_time <= clock.now());
  }

  function renderGrid(rows) {
    const locked = rows.some((row) => lockedOut(row.room));
    legend.querySelector(".legend-faculty").hidden = !locked;
    if (locked) gridNote.textContent = state.roomId === "all" ? "Rooms marked “Faculty only” can be booked by faculty only: their slots are shown but you cannot book them." : `${rows[0].room?.name ?? "This room"} can be booked by faculty only: its slots are shown but you cannot book them.`;
    if (!rows.length) {
      clear(gridEl, empty("Nothing to show", "No room matches the filters.", "search"));
      return;
    }
    const slots = rows[0].slots;
    const table = h("table", { class: "avail", "aria-labelledby": gridTitle.id },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "avail-corner", text: state.roomId === "all" ? "Room" : "Day" }),
        slots.map((slot) => h("th", { scope: "col", text: slot.start_time })))),
      h("tbody", {}, rows.map((row) => h("tr", {},
        h("th", { scope: "row", class: "avail-row" }, h("span", { text: row.label }), row.sub ? h("span", { class: "muted small", text: row.sub }) : null,
          lockedOut(row.room) && state.roomId === "all" ? h("span", { class: "chip chip-accent row-faculty", text: "Faculty only" }) : null,
          outOfOrder(row.roomId) ? h("span", { class: "chip chip-danger row-out-of-order", text: "Out of order" }) : null,
          row.room && state.health.get(String(row.roomId)) ? h("span", { class: "warn-dot", title: "Open maintenance tickets" }, icon("warning", { label: "Open maintenance tickets" })) : null),
        row.slots.map((slot) => {
          const label = `${row.room?.name ?? row.label}, ${slotLabel(row.date, slot.start_time, slot.end_time)}`;
          const where = { "data-room": row.roomId, "data-date": row.date, "data-start": slot.start_time };
          if (isPast(row.date, slot)) return h("td", {}, h("span", { class: "slot slot-past", ...where, "data-state": "past", role: "img", "aria-label": `${label}: past`, title: "Past" }, h("span", { "aria-hidden": "true", text: "Past" })));
          if (outOfOrder(row.roomId)) return h("td", {}, h("span", { class: "slot slot-out-of-order", ...where, "data-state": "out-of-order", role: "img", "aria-label": `${label}: out of order until maintenance fixes it`, title: "Out of order: maintenance is on it" }, h("span", { "aria-hidden": "true", text: "Out of order" })));
          if (lockedOut(row.room)) return h("td", {}, h("span", { class: "slot slot-faculty", ...where, "data-state": "faculty-only", role: "img", "aria-label": `${label}: faculty only, students cannot book this room`, title: "Faculty only: students cannot book this room" }, h("span", { "aria-hidden": "true", text: "Faculty only" })));
          if (!slot.available && holds(state.mine, row, slot)) return h("td", {}, h("span", { class: "slot slot-taken slot-mine", ...where, "data-state": "mine", role: "img", "aria-label": `${label}: your booking`, title: "Your booking" }, h("span", { "aria-hidden": "true", text: "Yours" })));
          const line = !slot.available ? state.lines?.find((entry) => holds([entry], row, slot)) : null;
          if (line) return h("td", {}, h("span", { class: "slot slot-taken slot-waiting", ...where, "data-state": "waiting", role: "img", "aria-label": `${label}: taken; you are number ${line.position} in line`, title: `Taken: you are number ${line.position} in line` }, h("span", { "aria-hidden": "true", text: `#${line.position}` })));
          // Taken: a button to wait for it (told, or booked, if it frees up).
          if (!slot.available) return h("td", {}, h("button", {
            type: "button",
            class: "slot slot-taken",
            ...where,
            "data-state": "taken",
            "aria-label": `${label}: taken. Wait for it`,
            title: "Taken: join the waiting list",
            onclick: (event) => waitFor(row, slot, event.currentTarget),
          }, h("span", { "aria-hidden": "true", text: "—" })));
          return h("td", {}, h("button", {
            type: "button",
            class: "slot slot-free",
            ...where,
            "aria-label": `Book ${label}`,
            onclick: (event) => choose(row, slot, event.currentTarget),
          }, h("span", { "aria-hidden": "true", text: "+" })));
        })))));
    clear(gridEl, table);
  }

  async function waitFor(row, slot, button) {
    const entry = await joinWaitlistDialog({ room: row.room, date: row.date, startTime: slot.start_time, endTime: slot.end_time });
    button.focus();
    if (!entry) return;
    toast(`${entryState(entry)} for ${row.room?.name ?? "the room"}, ${slotLabel(row.date, slot.start_time, slot.end_time)}. See My bookings.`, "success");
    // The slot now says so, and keeps the focus.
    state.lines = [...(state.lines ?? []), entry];
    const label = `${row.room?.name ?? row.label}, ${slotLabel(row.date, slot.start_time, slot.end_time)}`;
    const marked = h("span", {
      class: "slot slot-taken slot-waiting",
      "data-room": row.roomId,
      "data-date": row.date,
      "data-start": slot.start_time,
      "data-state": "waiting",
      role: "img",
      tabindex: "-1",
      "aria-label": `${label}: taken; you are number ${entry.position} in line`,
      title: `Taken: you are number ${entry.position} in line`
    }, h("span", { "aria-hidden": "true", text: `#${entry.position}` }));
    button.replaceWith(marked);
    marked.focus();
  }

  function slotButton(roomId, date, start) {
    return gridEl.querySelector(`button.slot-free[data-room="${CSS.escape(String(roomId))}"][data-date="${CSS.escape(date)}"][data-start="${CSS.escape(start)}"]`);
  }

  // Booking panel -------------------------------------------------------------------------
  function hidePanel() {
    panel.hidden = true;
    clear(panel);
    state.selection = null;
    gridEl.querySelectorAll(".slot-selected").forEach((el) => el.classList.remove("slot-selected"));
  }

  function closePanel() {
    const selected = state.selection ? slotButton(state.selection.row.roomId, state.selection.row.date, state.selection.slot.start_time) : null;
    hidePanel();
    (selected ?? gridEl.querySelector("button.slot-free"))?.focus();
  }

  function choose(row, slot, button, { error = "" } = {}) {
    gridEl.querySelectorAll(".slot-selected").forEach((el) => el.classList.remove("slot-selected"));
    button.classList.add("slot-selected");
    state.selection = { row, slot };
    const slotIndex = row.slots.indexOf(slot);
    const ends = [];
    for (let i = slotIndex; i < row.slots.length; i++) {
      if (!row.slots[i].available) break;
      const [sh, sm] = slot.start_time.split(":").map(Number);
      const [eh, em] = row.slots[i].end_time.split(":").map(Number);
      if ((eh * 60 + em) - (sh * 60 + sm) > limits.max_minutes) break;
      ends.push(row.slots[i].end_time);
    }
    const endSelect = select(ends.map((end) => [end, end]), { name: "end" });
    const purpose = h("input", { type: "text", name: "purpose", maxlength: "200", placeholder: "e.g. Study group", value: "" });
    const repeat = h("input", { type: "checkbox", name: "repeat", id: nextId("rep") });
    const weeks = h("input", { type: "number", name: "weeks", min: "2", max: "15", value: "4", disabled: true });
    repeat.addEventListener("change", () => { weeks.disabled = !repeat.checked; });
    const message = h("div", { class: "form-error", id: "booking-error", role: "alert", tabindex: "-1", text: error });
    const room = row.room ?? roomById(row.roomId);
    // A room that needs approval takes a request, and the button says so.
    const asking = Boolean(room?.approval_required) && String(room?.approver?.id ?? "") !== String(user.id);
    const submit = h("button", { type: "submit", class: "btn btn-primary", id: "booking-submit", text: asking ? "Send request" : "Book it" });
    clear(panel,
      h("form", {
          class: "card booking-form",
          "aria-label": "New booking",
          onsubmit: async (event) => {
            event.preventDefault();
            message.textContent = "";
            const body = { room_id: Number(row.roomId), date: row.date, start_time: slot.start_time, end_time: endSelect.value, purpose: purpose.value.trim() || "Booking" };
            if (repeat.checked) body.repeat_weeks = Number(weeks.value);
            submit.disabled = true;
            submit.classList.add("is-busy");
            submit.setAttribute("aria-busy", "true");
            try {
              const result = await api("/api/bookings", { method: "POST", body });
              const made = result.bookings ?? [result];
              // Its confirmation notice reaches the bell live (the notification socket).
              await booked(row, body, made.length, room, made[0]?.status === "pending");
            } catch (error) {
              if (error.status === 409) {
                await refused(row, slot, datesInWords(error.message));
                return;
              }
              message.textContent = datesInWords(error.message);
              submit.disabled = false;
              submit.classList.remove("is-busy");
              submit.removeAttribute("aria-busy");
              message.focus();
              if (error.code === "booking_limit") limits = await limitsBar.refresh();
            }
          }
        },
        h("div", { class: "booking-summary" },
          h("p", { class: "eyebrow", text: "New booking" }),
          h("h3", { text: room?.name ?? row.label }),
          h("p", { class: "muted", text: `${dayLabel(row.date)} · from ${slot.start_time}` }),
          room && state.health.get(String(room.id)) ? h("p", { class: "alert alert-warn", text: `Heads-up: this room has ${state.health.get(String(room.id)).open_tickets} open maintenance issue(s), highest ${state.health.get(String(room.id)).highest_priority}.` }) : null,
          room?.check_in_required ? h("p", { class: "alert alert-info check-in-required", text: "This room requires check-in: check in on My bookings around the start, or the booking is released for others." }) : null,
          asking ? h("p", { class: "alert alert-warn approval-required", text: `This room needs approval by ${room.approver?.name ?? "an administrator"}: your booking is a request that holds the slot until they decide. You will be told the decision.` }) : null),
        h("div", { class: "form-row" },
          field("Until", endSelect),
          field("Purpose", purpose)),
        user.role === "faculty" && limits.series !== false ? h("div", { class: "form-row" },
          h("label", { class: "check", for: repeat.id }, repeat, h("span", { text: "Repeat weekly" })),
          field("Weeks in all (2–15)", weeks)) : null,
        message,
        h("div", { class: "form-actions" },
          h("button", { type: "button", class: "btn btn-ghost", text: "Cancel", onclick: closePanel }), submit)));
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    if (error) message.focus({ preventScroll: true });
    else purpose.focus({ preventScroll: true });
  }

  /** After a booking: the grid and the limits reloaded, a confirmation next to the grid, and focus
   * on the next free slot of the same row (the user was there), else on the confirmation. */
  async function booked(row, body, count, room, pending = false) {
    const [rows] = await Promise.all([loadGrid(), limitsBar.refresh().then((fresh) => { limits = fresh; })]);
    const when = slotLabel(row.date, body.start_time, body.end_time);
    const text = pending ?
      `Requested ${room?.name ?? "the room"}, ${when}${count > 1 ? ` and ${count - 1} more weeks` : ""}: it needs approval by ${room?.approver?.name ?? "an administrator"}. The slot is held for you until they decide; you will be told.` :
      count > 1 ? `Weekly series booked: ${count} bookings, the first on ${when}.` : `Booked ${room?.name ?? "the room"}, ${when}.`;
    const confirmation = showConfirmation(text);
    if (!rows) return;
    const sameRow = [...gridEl.querySelectorAll(`button.slot-free[data-room="${CSS.escape(row.roomId)}"][data-date="${CSS.escape(row.date)}"]`)];
    const next = sameRow.find((button) => button.dataset.start >= body.end_time) ?? sameRow.reverse().find((button) => button.dataset.start < body.start_time);
    (next ?? confirmation).focus({ preventScroll: true });
    (next ?? confirmation).scrollIntoView({ block: "nearest" });
  }

  /** A 409: someone else took the time. Reload the grid so it shows that; keep the panel open for
   * the same start if it is still free (a shorter booking may fit), else say so and offer to close. */
  async function refused(row, slot, text) {
    const rows = await loadGrid({ keepPanel: true });
    const fresh = rows?.find((r) => r.key === row.key);
    const freshSlot = fresh?.slots.find((s) => s.start_time === slot.start_time);
    const button = freshSlot ? slotButton(fresh.roomId, fresh.date, freshSlot.start_time) : null;
    const advice = " The grid has been refreshed: taken slots are marked taken.";
    if (fresh && freshSlot && button) {
      choose(fresh, freshSlot, button, { error: text + advice });
      return;
    }
    const message = h("p", { class: "form-error", id: "booking-error", role: "alert", tabindex: "-1", text: `${text}${advice} Pick another free slot.` });
    state.selection = null;
    clear(panel, h("div", { class: "card booking-form" }, message,
      h("div", { class: "form-actions" }, h("button", { type: "button", class: "btn btn-ghost", text: "Close", onclick: closePanel }))));
    panel.hidden = false;
    message.focus({ preventScroll: true });
  }

  function showConfirmation(text) {
    panel.hidden = false;
    const box = h("div", { class: "alert alert-success", role: "status", id: "booking-success", tabindex: "-1" },
      h("span", { text }), " ", h("a", { href: "#/bookings", text: "See my bookings" }));
    clear(panel, box);
    return box;
  }

  // Wiring -------------------------------------------------------------------------------
  // A date typed in the field changes its value at every keystroke: wait for a pause, and only
  // load a date the booking rules allow.
  let dateTimer = null;
  const onDate = () => {
    clearTimeout(dateTimer);
    dateTimer = setTimeout(() => {
      const value = dateInput.value;
      if (value === state.date && gridEl.querySelector("table") && !dateInput.hasAttribute("aria-invalid")) return;
      loadGrid(); // shows the grid of a date the rules allow, else no grid and why
    }, GRID_DEBOUNCE_MS);
  };
  dateInput.addEventListener("input", onDate);
  dateInput.addEventListener("change", onDate);
  roomSelect.addEventListener("change", () => {
    state.roomId = roomSelect.value;
    renderRooms();
    loadGrid();
  });
  const refilter = async () => {
    state.minCapacity = capacityInput.value;
    state.feature = featureSelect.value;
    state.showFacultyOnly = facultyToggle.checked || user.role === "faculty";
    await loadRooms();
    await loadGrid();
  };
  capacityInput.addEventListener("change", refilter);
  featureSelect.addEventListener("change", refilter);
  facultyToggle.addEventListener("change", refilter);

  try {
    await loadCatalogue();
    await loadRooms();
    await loadGrid();
  } catch (error) {
    clear(roomsEl, errorBox(error.message));
  }
  const timer = setInterval(async () => {
    try {
      const health = await api("/api/tickets/room-health");
      state.health = new Map(health.map((entry) => [String(entry.room_id), entry]));
      renderRooms();
    } catch { /* keep the last known */ }
  }, 30000);
  onCleanup(() => {
    clearInterval(timer);
    clearTimeout(dateTimer);
  });
}
