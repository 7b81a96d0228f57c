// Booking: rooms with filters, a day × slot availability grid (all rooms for one day, or one
// room for a week), click a free slot to book; refusals are shown inline. Rooms with open
// maintenance tickets carry a warning (maintenance /tickets/room-health).
import { api } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, toast, busy, isoDate, addDays, formatDay, nextId } from "../ui.js";

const LIMITS = { student: { hours: 2, days: 14 }, faculty: { hours: 8, days: 90 } };
const FEATURE_LABEL = (feature) => feature.replaceAll("_", " ");

export async function render(root, { user, onCleanup, refreshBell }) {
  const limits = LIMITS[user.role] ?? LIMITS.student;
  const today = isoDate(new Date());
  const state = { date: addDays(today, 1), roomId: "all", minCapacity: "", feature: "", showFacultyOnly: user.role === "faculty", rooms: [], allRooms: [], health: new Map(), selection: null };

  root.append(pageHeader("Book a room", `Pick a free slot. You can book up to ${limits.hours} h at a time, up to ${limits.days} days ahead.`,
    h("a", { class: "btn btn-ghost", href: "#/bookings", text: "My bookings" })));

  // Filters ---------------------------------------------------------------------------
  const dateInput = h("input", { type: "date", value: state.date, min: today, max: addDays(today, limits.days), required: true });
  const roomSelect = select([
    ["all", "All rooms"]
  ], { "aria-label": "Room" });
  const capacityInput = h("input", { type: "number", min: "1", step: "1", inputmode: "numeric", placeholder: "Any" });
  const featureSelect = select([
    ["", "Any feature"]
  ]);
  const facultyToggle = h("input", { type: "checkbox", id: nextId("fo"), checked: state.showFacultyOnly });
  const filters = h("form", { class: "card filters", role: "search", "aria-label": "Room filters", onsubmit: (e) => e.preventDefault() },
    field("Date", dateInput),
    field("Room", roomSelect),
    field("Min. capacity", capacityInput),
    field("Feature", featureSelect),
    user.role === "student" ? h("label", { class: "check", for: facultyToggle.id }, facultyToggle, h("span", { text: "Show faculty-only rooms" })) : null);
  root.append(filters);

  const roomsEl = h("div", { class: "room-strip", "aria-live": "polite" }, skeleton(1));
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "Rooms" }), roomsEl));

  const gridTitle = h("h2", { class: "section-title", id: nextId("gt") });
  const legend = h("div", { class: "legend", "aria-hidden": "true" },
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-free" }), "Free"),
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-taken" }), "Taken"),
    h("span", { class: "legend-item" }, h("span", { class: "swatch swatch-selected" }), "Selected"));
  const gridEl = h("div", { class: "grid-wrap", id: "availability" }, skeleton(5));
  const panel = h("div", { class: "booking-panel", id: "booking-panel", hidden: true });
  root.append(h("section", { class: "section" }, h("div", { class: "section-head" }, gridTitle, legend), gridEl, panel));

  // Data --------------------------------------------------------------------------------
  async function loadCatalogue() {
    const [all, health] = await Promise.all([
      api("/api/rooms", { query: { limit: 200 } }),
      api("/api/tickets/room-health").catch(() => []),
    ]);
    state.allRooms = all;
    state.health = new Map(health.map((entry) => [String(entry.room_id), entry]));
    const features = [...new Set(all.flatMap((room) => room.features))].sort();
    clear(featureSelect, h("option", { value: "", text: "Any feature" }), features.map((f) => h("option", { value: f, text: FEATURE_LABEL(f) })));
  }

  async function loadRooms() {
    const rooms = await api("/api/rooms", { query: { limit: 200, min_capacity: state.minCapacity, feature: state.feature } });
    state.rooms = rooms.filter((room) => state.showFacultyOnly || !room.faculty_only);
    const current = state.roomId;
    clear(roomSelect, h("option", { value: "all", text: "All rooms" }), state.rooms.map((room) => h("option", { value: String(room.id), text: room.name })));
    state.roomId = state.rooms.some((room) => String(room.id) === current) ? current : "all";
    roomSelect.value = state.roomId;
    renderRooms();
  }

  function healthBadge(room) {
    const entry = state.health.get(String(room.id));
    if (!entry) return null;
    const count = entry.open_tickets;
    return h("span", { class: `warn-badge prio-${entry.highest_priority}`, "data-room-warning": String(room.id), title: "Open maintenance tickets" },
      h("span", { "aria-hidden": "true", text: "⚠ " }),
      `${count} open ${count === 1 ? "issue" : "issues"} · ${entry.highest_priority}`);
  }

  function renderRooms() {
    if (!state.rooms.length) {
      clear(roomsEl, empty("No rooms match", "Try a smaller capacity or another feature.", "🔍"));
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
      h("span", { class: "chips" }, room.faculty_only ? h("span", { class: "chip chip-accent", text: "Faculty only" }) : null, room.features.slice(0, 3).map((f) => h("span", { class: "chip", text: FEATURE_LABEL(f) }))),
      healthBadge(room))));
  }

  function roomById(id) { return state.allRooms.find((room) => String(room.id) === String(id)); }

  async function loadGrid() {
    hidePanel();
    const single = state.roomId !== "all";
    const room = single ? roomById(state.roomId) : null;
    gridTitle.textContent = single ? `${room?.name ?? "Room"} — week from ${formatDay(state.date)}` : `All rooms — ${formatDay(state.date, { weekday: "long", day: "numeric", month: "long" })}`;
    gridEl.setAttribute("aria-busy", "true");
    gridEl.classList.add("is-loading");
    try {
      let rows;
      if (single) {
        const days = Array.from({ length: 7 }, (_, i) => addDays(state.date, i)).filter((d) => d <= addDays(today, limits.days));
        const results = await Promise.all(days.map((date) => api("/api/bookings/available", { query: { room_id: state.roomId, date, limit: 200 } })));
        rows = days.map((date, i) => ({ key: date, label: formatDay(date), sub: "", roomId: state.roomId, date, slots: results[i], room }));
      } else {
        const all = await api("/api/bookings/available", { query: { date: state.date, limit: 200 } });
        const visible = new Set(state.rooms.map((r) => String(r.id)));
        rows = all.filter((entry) => visible.has(String(entry.room_id))).map((entry) => {
          const r = roomById(entry.room_id);
          return { key: String(entry.room_id), label: entry.room_name, sub: r ? `${r.capacity} seats` : "", roomId: String(entry.room_id), date: state.date, slots: entry.slots, room: r };
        });
      }
      renderGrid(rows);
    } catch (error) {
      clear(gridEl, errorBox(error.message));
    } finally {
      gridEl.removeAttribute("aria-busy");
      gridEl.classList.remove("is-loading");
    }
  }

  function renderGrid(rows) {
    if (!rows.length) {
      clear(gridEl, empty("Nothing to show", "No room matches the filters.", "🔍"));
      return;
    }
    const slots = rows[0].slots;
    const now = new Date();
    const table = h("table", { class: "avail", "aria-labelledby": gridTitle.id },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", class: "avail-corner", text: state.roomId === "all" ? "Room" : "Day" }),
        slots.map((slot) => h("th", { scope: "col", text: slot.start_time })))),
      h("tbody", {}, rows.map((row) => h("tr", {},
        h("th", { scope: "row", class: "avail-row" }, h("span", { text: row.label }), row.sub ? h("span", { class: "muted small", text: row.sub }) : null,
          row.room && state.health.get(String(row.roomId)) ? h("span", { class: "warn-dot", title: "Open maintenance tickets", text: "⚠" }) : null),
        row.slots.map((slot) => {
          const past = row.date === today && slot.start_time <= `${String(now.getHours()).padStart(2, "0")}:${String(now.getMinutes()).padStart(2, "0")}`;
          const label = `${row.room?.name ?? row.label}, ${formatDay(row.date)}, ${slot.start_time}–${slot.end_time}`;
          if (!slot.available) return h("td", {}, h("span", { class: "slot slot-taken", "aria-label": `${label}: taken`, title: "Taken" }, h("span", { "aria-hidden": "true", text: "—" })));
          return h("td", {}, h("button", {
            type: "button",
            class: `slot slot-free${past ? " slot-past" : ""}`,
            "data-room": row.roomId,
            "data-date": row.date,
            "data-start": slot.start_time,
            "aria-label": `Book ${label}`,
            onclick: (event) => choose(row, slot, event.currentTarget),
          }, h("span", { "aria-hidden": "true", text: "+" })));
        })))));
    clear(gridEl, table);
  }

  // Booking panel -------------------------------------------------------------------------
  function hidePanel() {
    panel.hidden = true;
    clear(panel);
    state.selection = null;
    gridEl.querySelectorAll(".slot-selected").forEach((el) => el.classList.remove("slot-selected"));
  }

  function choose(row, slot, button) {
    gridEl.querySelectorAll(".slot-selected").forEach((el) => el.classList.remove("slot-selected"));
    button.classList.add("slot-selected");
    state.selection = { row, slot };
    const slotIndex = row.slots.indexOf(slot);
    const ends = [];
    for (let i = slotIndex; i < row.slots.length; i++) {
      if (!row.slots[i].available) break;
      const [sh, sm] = slot.start_time.split(":").map(Number);
      const [eh, em] = row.slots[i].end_time.split(":").map(Number);
      if ((eh * 60 + em) - (sh * 60 + sm) > limits.hours * 60) break;
      ends.push(row.slots[i].end_time);
    }
    const endSelect = select(ends.map((end) => [end, end]), { name: "end" });
    const purpose = h("input", { type: "text", name: "purpose", maxlength: "200", placeholder: "e.g. Study group", value: "" });
    const repeat = h("input", { type: "checkbox", name: "repeat", id: nextId("rep") });
    const weeks = h("input", { type: "number", name: "weeks", min: "2", max: "15", value: "4", disabled: true });
    repeat.addEventListener("change", () => { weeks.disabled = !repeat.checked; });
    const message = h("div", { class: "form-error", id: "booking-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", id: "booking-submit", text: "Book it" });
    const room = row.room ?? roomById(row.roomId);
    clear(panel,
      h("form", {
          class: "card booking-form",
          "aria-label": "New booking",
          onsubmit: async (event) => {
            event.preventDefault();
            message.textContent = "";
            const body = { room_id: Number(row.roomId), date: row.date, start_time: slot.start_time, end_time: endSelect.value, purpose: purpose.value.trim() || "Booking" };
            if (repeat.checked) body.repeat_weeks = Number(weeks.value);
            await busy(submit, async () => {
              try {
                const result = await api("/api/bookings", { method: "POST", body });
                const count = result.bookings ? result.bookings.length : 1;
                toast(count > 1 ? `Booked ${room?.name ?? "the room"} every week, ${count} times.` : `Booked ${room?.name ?? "the room"} on ${formatDay(row.date)}, ${body.start_time}–${body.end_time}.`, "success");
                await loadGrid();
                showConfirmation(count > 1 ? `Weekly series booked: ${count} bookings starting ${formatDay(row.date)}.` : `Booked ${room?.name ?? ""}, ${formatDay(row.date)} ${body.start_time}–${body.end_time}.`);
                setTimeout(refreshBell, 1500);
              } catch (error) {
                message.textContent = error.message;
              }
            });
          }
        },
        h("div", { class: "booking-summary" },
          h("p", { class: "eyebrow", text: "New booking" }),
          h("h3", { text: room?.name ?? row.label }),
          h("p", { class: "muted", text: `${formatDay(row.date, { weekday: "long", day: "numeric", month: "long" })} · from ${slot.start_time}` }),
          room && state.health.get(String(room.id)) ? h("p", { class: "alert alert-warn", text: `Heads-up: this room has ${state.health.get(String(room.id)).open_tickets} open maintenance issue(s), highest ${state.health.get(String(room.id)).highest_priority}.` }) : null),
        h("div", { class: "form-row" },
          field("Until", endSelect),
          field("Purpose", purpose)),
        user.role === "faculty" ? h("div", { class: "form-row" },
          h("label", { class: "check", for: repeat.id }, repeat, h("span", { text: "Repeat weekly" })),
          field("Weeks in all (2–15)", weeks)) : null,
        message,
        h("div", { class: "form-actions" },
          h("button", { type: "button", class: "btn btn-ghost", text: "Cancel", onclick: hidePanel }), submit)));
    panel.hidden = false;
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    purpose.focus({ preventScroll: true });
  }

  function showConfirmation(text) {
    panel.hidden = false;
    clear(panel, h("div", { class: "alert alert-success", role: "status", id: "booking-success" },
      h("span", { text }), " ", h("a", { href: "#/bookings", text: "See my bookings" })));
  }

  // Wiring -------------------------------------------------------------------------------
  dateInput.addEventListener("change", () => {
    if (dateInput.value) {
      state.date = dateInput.value;
      loadGrid();
    }
  });
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
  onCleanup(() => clearInterval(timer));
}
