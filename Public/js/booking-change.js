// "Change" on My bookings: a dialog to move a booking to another room, day or time, or to change
// its purpose (PATCH /bookings/{id}). The times offered are the room's slots of that day, those
// taken by someone else marked "taken" and those begun "past" (the booking's own slots count as
// free); ends are offered after the start and within the role's longest booking, dates within its
// advance limit. For a booking of a weekly series the booker chooses "only this one" or "this and
// the following weeks" (only what is changed here; each week keeps the rest). A refusal
// (conflict, limit, faculty-only room) is shown inside the dialog, which stays open with what was
// entered; only what differs from the booking is sent. Resolves to the answer, or null if kept.
import { api } from "./api.js";
import { h, nextId, openDialog } from "./ui.js";
import { campusClock, dayLabel, slotLabel, datesInWords } from "./campus-time.js";
import { plainMessage } from "./plain.js";

/** The slots of `date` in `roomId`, each with `mark` "", "past" or "taken" (the booking's own slots are not taken). */
async function slotOptions(roomId, date, booking, clock) {
  const slots = await api("/api/bookings/available", { query: { room_id: roomId, date, limit: 200 } });
  const own = (slot) => String(booking.room_id) === String(roomId) && booking.date === date &&
    slot.start_time >= booking.start_time && slot.end_time <= booking.end_time;
  const past = (slot) => date < clock.today() || (date === clock.today() && slot.start_time <= clock.now());
  return slots.map((slot) => ({ ...slot, mark: past(slot) ? "past" : slot.available || own(slot) ? "" : "taken" }));
}

const minutes = (time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const labelled = (time, mark) => (mark ? `${time} (${mark})` : time);

function fill(selectEl, options, wanted) {
  selectEl.replaceChildren(...options.map(([value, label]) => h("option", { value, text: label })));
  if (options.some(([value]) => value === wanted)) selectEl.value = wanted;
}

/** `limits`: GET /bookings/limits (max_minutes, days_ahead), so only what may be booked is offered. */
export function changeBookingDialog({ booking, rooms, mayBookFacultyOnly, limits = null }) {
  return new Promise(async (resolve) => {
    const clock = await campusClock();
    const titleId = nextId("dlg");
    const id = (name) => nextId(`change-${name}`);
    const ids = { room: id("room"), date: id("date"), start: id("start"), end: id("end"), purpose: id("purpose") };
    const roomSelect = h("select", { id: ids.room, name: "room_id" },
      [...rooms.values()]
      .filter((room) => mayBookFacultyOnly || !room.faculty_only || String(room.id) === String(booking.room_id))
      .map((room) => h("option", { value: String(room.id), text: `${room.name} (${room.building}, ${room.capacity} seats)` })));
    roomSelect.value = String(booking.room_id);
    const dateInput = h("input", { id: ids.date, name: "date", type: "date", min: clock.today(), value: booking.date, required: true });
    if (limits?.days_ahead) dateInput.max = clock.addDays(clock.today(), limits.days_ahead);
    const startSelect = h("select", { id: ids.start, name: "start_time" });
    const endSelect = h("select", { id: ids.end, name: "end_time" });
    const purposeInput = h("input", { id: ids.purpose, name: "purpose", type: "text", maxlength: "200", value: booking.purpose, required: true });
    const slotNote = h("p", { class: "muted small", "aria-live": "polite" });
    const error = h("p", { class: "form-error", role: "alert" });
    const scope = booking.series_id ?
      h("fieldset", { class: "field radio-group" },
        h("legend", { text: "Change" }),
        h("label", { class: "radio" }, h("input", { type: "radio", name: "apply_to", value: "this", checked: true }), h("span", { text: "Only this booking" })),
        h("label", { class: "radio" }, h("input", { type: "radio", name: "apply_to", value: "following" }),
          h("span", { text: "This and the following weeks (only what you change here; each week keeps the rest)" }))) :
      null;
    const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "confirm", text: "Save changes" });
    const form = h("form", { method: "dialog", novalidate: "" },
      h("h2", { id: titleId, text: "Change booking" }),
      h("p", { class: "muted small", text: `${rooms.get(String(booking.room_id))?.name ?? `Room ${booking.room_id}`}, ${slotLabel(booking.date, booking.start_time, booking.end_time)}` }),
      h("div", { class: "field" }, h("label", { for: ids.room, text: "Room" }), roomSelect),
      h("div", { class: "field" }, h("label", { for: ids.date, text: "Date" }), dateInput),
      h("div", { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: ids.start, text: "From" }), startSelect),
        h("div", { class: "field" }, h("label", { for: ids.end, text: "To" }), endSelect)),
      slotNote,
      h("div", { class: "field" }, h("label", { for: ids.purpose, text: "Purpose" }), purposeInput),
      scope,
      error,
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", text: "Keep as it is" }),
        save));
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId }, form);

    let slots = [];
    /** End times after the chosen start, up to the longest booking allowed; the wanted one kept if it fits. */
    function fillEnds(wantedEnd) {
      const start = startSelect.value;
      const longest = limits?.max_minutes ?? Infinity;
      const ends = slots.filter((slot) => slot.end_time > start && minutes(slot.end_time) - minutes(start) <= longest);
      fill(endSelect, ends.map((slot) => [slot.end_time, labelled(slot.end_time, slot.mark)]), wantedEnd);
    }

    let slotsSeq = 0;
    async function refreshSlots() {
      const seq = ++slotsSeq;
      const wantedStart = startSelect.value || booking.start_time;
      const wantedEnd = endSelect.value || booking.end_time;
      if (!dateInput.value) {
        slotNote.textContent = "Pick a date to see its times.";
        return;
      }
      try {
        const answer = await slotOptions(roomSelect.value, dateInput.value, booking, clock);
        if (seq !== slotsSeq) return;
        slots = answer;
        fill(startSelect, slots.map((slot) => [slot.start_time, labelled(slot.start_time, slot.mark)]), wantedStart);
        fillEnds(wantedEnd);
        const busy = slots.filter((slot) => slot.mark).length;
        const day = dayLabel(dateInput.value);
        slotNote.textContent = busy === 0 ? `Every time on ${day} is free.` :
          busy === slots.length ? `No time on ${day} is free.` :
          `${busy} of ${slots.length} times on ${day} ${busy === 1 ? "is" : "are"} taken or past.`;
      } catch (problem) {
        if (seq !== slotsSeq) return;
        slotNote.textContent = datesInWords(plainMessage(problem));
      }
    }

    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    const clearError = () => { error.textContent = ""; };
    roomSelect.addEventListener("change", () => {
      clearError();
      refreshSlots();
    });
    dateInput.addEventListener("change", () => {
      clearError();
      refreshSlots();
    });
    for (const control of [startSelect, endSelect, purposeInput]) {
      control.addEventListener("input", clearError);
      control.addEventListener("change", clearError);
    }
    startSelect.addEventListener("change", () => fillEnds(endSelect.value));

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      if (roomSelect.value !== String(booking.room_id)) body.room_id = Number(roomSelect.value);
      if (dateInput.value !== booking.date) body.date = dateInput.value;
      if (startSelect.value && startSelect.value !== booking.start_time) body.start_time = startSelect.value;
      if (endSelect.value && endSelect.value !== booking.end_time) body.end_time = endSelect.value;
      const purpose = purposeInput.value.trim();
      if (!purpose) {
        error.textContent = "Purpose is required.";
        purposeInput.focus();
        return;
      }
      if (purpose !== booking.purpose) body.purpose = purpose;
      if (!dateInput.value) {
        error.textContent = "Pick a date.";
        dateInput.focus();
        return;
      }
      if (!Object.keys(body).length) {
        error.textContent = "Nothing is changed yet: pick another room, date or time, or edit the purpose.";
        return;
      }
      const applyTo = form.querySelector('input[name="apply_to"]:checked')?.value;
      if (applyTo === "following") body.apply_to = "following";
      save.disabled = true;
      save.classList.add("is-busy");
      try {
        const answer = await api(`/api/bookings/${encodeURIComponent(booking.id)}`, { method: "PATCH", body });
        done(answer);
      } catch (problem) {
        error.textContent = datesInWords(plainMessage(problem));
        save.disabled = false;
        save.classList.remove("is-busy");
        save.focus();
        refreshSlots(); // a conflict means the grid changed: show what is taken now
      }
    });
    openDialog(dialog, () => done(null));
    roomSelect.focus();
    refreshSlots();
  });
}
