// "Change" on My bookings: a dialog to move a booking to another room, day or time, or to change
// its purpose (PATCH /bookings/{id}). The times offered are the room's slots of that day, those
// taken by someone else marked "taken" (the booking's own slots count as free); for a booking of a
// weekly series the booker chooses "only this one" or "this and the following weeks". A refusal
// (conflict, limit, faculty-only room) is shown inside the dialog, which stays open with what was
// entered; only what differs from the booking is sent. Resolves to the answer, or null if kept.
import { api } from "./api.js";
import { h, nextId } from "./ui.js";
import { campusClock, dayLabel, datesInWords } from "./campus-time.js";

/** Start and end options for `date` in `roomId`: every slot, marked when someone else holds it. */
async function slotOptions(roomId, date, booking) {
  const slots = await api("/api/bookings/available", { query: { room_id: roomId, date, limit: 200 } });
  const own = (slot) => String(booking.room_id) === String(roomId) && booking.date === date &&
    slot.start_time >= booking.start_time && slot.end_time <= booking.end_time;
  return slots.map((slot) => ({ ...slot, free: slot.available || own(slot) }));
}

function fill(selectEl, options, wanted) {
  selectEl.replaceChildren(...options.map(([value, label]) => h("option", { value, text: label })));
  if (options.some(([value]) => value === wanted)) selectEl.value = wanted;
}

export function changeBookingDialog({ booking, rooms, mayBookFacultyOnly }) {
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
    const startSelect = h("select", { id: ids.start, name: "start_time" });
    const endSelect = h("select", { id: ids.end, name: "end_time" });
    const purposeInput = h("input", { id: ids.purpose, name: "purpose", type: "text", maxlength: "200", value: booking.purpose, required: true });
    const slotNote = h("p", { class: "muted small", "aria-live": "polite" });
    const error = h("p", { class: "form-error", role: "alert" });
    const scope = booking.series_id ?
      h("fieldset", { class: "field radio-group" },
        h("legend", { text: "Change" }),
        h("label", {}, h("input", { type: "radio", name: "apply_to", value: "this", checked: true }), " Only this booking"),
        h("label", {}, h("input", { type: "radio", name: "apply_to", value: "following" }), " This and the following weeks")) :
      null;
    const save = h("button", { type: "submit", class: "btn btn-primary", "data-action": "confirm", text: "Save changes" });
    const form = h("form", { method: "dialog", novalidate: "" },
      h("h2", { id: titleId, text: "Change booking" }),
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
        const slots = await slotOptions(roomSelect.value, dateInput.value, booking);
        if (seq !== slotsSeq) return;
        fill(startSelect, slots.map((slot) => [slot.start_time, slot.free ? slot.start_time : `${slot.start_time} (taken)`]), wantedStart);
        fill(endSelect, slots.map((slot) => [slot.end_time, slot.free ? slot.end_time : `${slot.end_time} (taken)`]), wantedEnd);
        const taken = slots.filter((slot) => !slot.free).length;
        slotNote.textContent = taken ? `${taken} of ${slots.length} times on ${dayLabel(dateInput.value)} are taken or past.` : `Every time on ${dayLabel(dateInput.value)} is free.`;
      } catch (problem) {
        if (seq !== slotsSeq) return;
        slotNote.textContent = datesInWords(problem.message);
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
    for (const control of [startSelect, endSelect, purposeInput]) control.addEventListener("input", clearError);

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
        error.textContent = datesInWords(problem.message);
        save.disabled = false;
        save.classList.remove("is-busy");
        save.focus();
        refreshSlots(); // a conflict means the grid changed: show what is taken now
      }
    });
    dialog.addEventListener("click", (event) => {
      if (event.target.closest("[data-action]")?.dataset.action === "cancel") done(null);
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      done(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    roomSelect.focus();
    refreshSlots();
  });
}
