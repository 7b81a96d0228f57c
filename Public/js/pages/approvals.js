// Approvals (issue 19, point 4): the requests for rooms that require approval that the signed-in
// person decides — every room's for an admin, the rooms naming them for faculty — the nearest
// deadline first. Approve, or decline with a reason the booker reads; for a weekly series one
// decision covers every pending week unless "Only this week" is chosen. Focus stays in the list.
import { api, apiAll } from "../api.js";
import { h, clear, skeleton, empty, errorBox, pageHeader, textDialog, nextId } from "../ui.js";
import { plainMessage } from "../plain.js";
import { campusClock, slotLabel, wallClock, dayLabel, datesInWords } from "../campus-time.js";

export async function render(root, { user }) {
  const clock = await campusClock();
  root.append(pageHeader("Approvals", user.role === "admin" ?
    "Requests for rooms that need approval, the nearest deadline first. Undecided by their deadline, they expire and the slot is free again." :
    "Requests for the rooms you approve, the nearest deadline first. Undecided by their deadline, they expire and the slot is free again."));
  const status = h("p", { class: "bookings-status", id: "approvals-status", role: "status" });
  const list = h("div", { class: "list card", id: "approval-list" }, skeleton(3));
  root.append(status, list);
  const rooms = new Map();

  function say(text, error = false) {
    status.textContent = text;
    status.classList.toggle("is-error", error);
  }

  /** "Friday 4 December, 10:00 (in 3 hours)" on the campus clock. */
  function deadline(iso) {
    const at = new Date(iso);
    const { date, time } = wallClock(clock.zone, at);
    const hours = Math.round((at.getTime() - Date.now()) / 3600000);
    const left = hours < 1 ? "within the hour" : hours < 48 ? `in ${hours} hour${hours === 1 ? "" : "s"}` : `in ${Math.round(hours / 24)} days`;
    return `${dayLabel(date)} at ${time} (${left})`;
  }

  async function decide(button, request, verb, what, index, wholeSeries) {
    let body = wholeSeries ? { apply_to: "series" } : {};
    if (verb === "decline") {
      const reason = await textDialog({
        title: "Decline this request?",
        message: `${what}. ${request.approval.requested_by.name} is told your reason, and the slot is free again.`,
        label: "Reason",
        confirmLabel: "Decline request",
        cancelLabel: "Keep it waiting",
        maxLength: 500,
        requiredMessage: "Say why: the person who asked reads it.",
      });
      if (!reason) {
        button.focus();
        return;
      }
      body = { ...body, reason };
    }
    button.disabled = true;
    button.classList.add("is-busy");
    try {
      const answer = await api(`/api/bookings/${encodeURIComponent(request.id)}/${verb}`, { method: "POST", body });
      const count = answer.bookings ? answer.bookings.length : 1;
      const weeks = count > 1 ? ` (${count} weekly bookings)` : "";
      await load();
      say(verb === "approve" ? `Approved: ${what}${weeks}. ${request.approval.requested_by.name} is told.` : `Declined: ${what}${weeks}. ${request.approval.requested_by.name} is told why.`);
      const rows = [...list.querySelectorAll("[data-booking-id] button")];
      (rows[Math.min(index * 2, rows.length - 1)] ?? list).focus?.({ preventScroll: true });
    } catch (error) {
      button.disabled = false;
      button.classList.remove("is-busy");
      say(datesInWords(plainMessage(error)), true);
      button.focus();
      if (error.status === 409) await load();
    }
  }

  async function load() {
    list.setAttribute("aria-busy", "true");
    try {
      if (!rooms.size)
        for (const room of (await apiAll("/api/rooms")).items) rooms.set(String(room.id), room);
      const { items } = await apiAll("/api/bookings/approvals");
      if (!items.length) {
        clear(list, empty("Nothing to decide", user.role === "admin" ?
          "Requests for rooms that require approval show up here." :
          "Requests for the rooms you approve show up here. An administrator names a room's approver on the Rooms page.", "check"));
        return;
      }
      // A series' weeks waiting together: counted on its first row.
      const weeks = new Map();
      for (const request of items)
        if (request.series_id) weeks.set(request.series_id, (weeks.get(request.series_id) ?? 0) + 1);
      const shown = new Set();
      clear(list, items.map((request, index) => {
        const room = rooms.get(String(request.room_id));
        const what = `${room?.name ?? `Room ${request.room_id}`}, ${slotLabel(request.date, request.start_time, request.end_time)}`;
        const pendingWeeks = request.series_id ? weeks.get(request.series_id) : 1;
        const firstOfSeries = request.series_id && !shown.has(request.series_id);
        if (request.series_id) shown.add(request.series_id);
        const whole = h("input", { type: "checkbox", id: nextId("whole"), checked: Boolean(firstOfSeries && pendingWeeks > 1), "data-action": "whole-series" });
        const approve = h("button", { type: "button", class: "btn btn-primary btn-small", "data-action": "approve", text: "Approve", "aria-label": `Approve ${what}` });
        const decline = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "decline", text: "Decline", "aria-label": `Decline ${what}` });
        approve.addEventListener("click", () => decide(approve, request, "approve", what, index, whole.checked));
        decline.addEventListener("click", () => decide(decline, request, "decline", what, index, whole.checked));
        const asker = request.approval.requested_by;
        return h("div", { class: "list-row booking", "data-booking-id": String(request.id) },
          h("div", { class: "grow" },
            h("p", { class: "row-title", text: what }),
            h("p", { class: "small", text: request.purpose }),
            h("p", { class: "muted small", text: `Asked by ${asker.name}${asker.email ? ` (${asker.email})` : ""}${room ? ` · ${room.capacity} seats, ${room.building}` : ""}` }),
            h("p", { class: "small decide-by", text: `Decide by ${deadline(request.approval.decide_by)}, or it expires.` }),
            pendingWeeks > 1 ? h("label", { class: "check small", for: whole.id }, whole, h("span", { text: `All ${pendingWeeks} waiting weeks of this weekly series` })) : null),
          h("div", { class: "row-actions" }, approve, decline));
      }));
    } catch (error) {
      clear(list, errorBox(plainMessage(error)));
    } finally {
      list.removeAttribute("aria-busy");
    }
  }

  await load();
}
