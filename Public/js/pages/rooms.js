// Admin: the room catalogue (list every room, page after page; add; remove). Focus stays on the
// form after adding and moves to the next room after removing one. Below the catalogue: the
// private addresses of the rooms' calendars (calendar-feed.js; an admin's own bookings feed is
// always empty, so only the room calendars are offered). Each room's "Bookings & closures" panel
// (room-admin.js) lists everyone's upcoming bookings of it, closes it for some days and cancels
// bookings with a reason; a removal refused for its bookings opens that panel.
import { api, apiList, apiAll } from "../api.js";
import { h, clear, field, skeleton, empty, errorBox, pageHeader, toast, confirmDialog, nextId } from "../ui.js";
import { plainMessage, steadyBusy } from "../plain.js";
import { calendarFeedSection } from "../calendar-feed.js";
import { roomAdminPanel } from "../room-admin.js";

export async function render(root) {
  root.append(pageHeader("Rooms", "The catalogue students and faculty book from."));
  const name = h("input", { type: "text", id: "room-name", required: true });
  const building = h("input", { type: "text", id: "room-building", required: true });
  const capacity = h("input", { type: "number", id: "room-capacity", min: "1", value: "10", required: true });
  const features = h("input", { type: "text", id: "room-features", placeholder: "projector, whiteboard" });
  const facultyOnly = h("input", { type: "checkbox", id: nextId("fo") });
  const checkInRequired = h("input", { type: "checkbox", id: nextId("ci") });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", text: "Add room" });
  root.append(h("form", {
      class: "card",
      "aria-label": "New room",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const body = { name: name.value.trim(), building: building.value.trim(), capacity: Number(capacity.value), features: features.value.split(",").map((f) => f.trim().replaceAll(" ", "_")).filter(Boolean), faculty_only: facultyOnly.checked, check_in_required: checkInRequired.checked };
        if (!body.name || !body.building) { error.textContent = "A room needs a name and a building."; return; }
        await steadyBusy(submit, async () => {
          try {
            const room = await api("/api/rooms", { method: "POST", body });
            toast(`Added ${room?.name ?? body.name}.`, "success");
            name.value = "";
            features.value = "";
            await load();
            feed.refreshRooms();
          } catch (e) { error.textContent = plainMessage(e); }
        });
      }
    }, h("h2", { text: "Add a room" }),
    h("div", { class: "form-grid" }, field("Name", name), field("Building", building), field("Capacity", capacity), field("Features", features, "Comma-separated.")),
    h("label", { class: "check", for: facultyOnly.id }, facultyOnly, h("span", { text: "Faculty only (lecture hall, lab)" })),
    h("label", { class: "check", for: checkInRequired.id }, checkInRequired, h("span", { text: "Requires check-in (bookings nobody checks in to are released)" })),
    error, h("div", { class: "form-actions" }, submit)));

  const count = h("p", { class: "muted small", id: "room-count", role: "status" });
  const list = h("div", { class: "list card", id: "room-list" }, skeleton(4));
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "Catalogue" }), count, list));
  const feed = calendarFeedSection({ ownFeed: false });
  root.append(feed.el);
  feed.load(); // not awaited: the catalogue does not wait for the addresses

  function roomRow(room) {
    const admin = roomAdminPanel(room);
    const del = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "remove", "aria-label": `Remove ${room.name}`, text: "Remove" });
    del.addEventListener("click", async () => {
      const ok = await confirmDialog({ title: `Remove ${room.name}?`, message: `${room.name} in ${room.building} will no longer be bookable.`, confirmLabel: "Remove room", danger: true });
      del.focus();
      if (!ok) return;
      await steadyBusy(del, async () => {
        try {
          await api(`/api/rooms/${encodeURIComponent(room.id)}`, { method: "DELETE" });
          toast(`Removed ${room.name}.`, "success");
          const row = del.closest(".list-row");
          const next = row?.nextElementSibling ?? row?.previousElementSibling;
          row?.remove();
          shownCount(list.querySelectorAll(".list-row").length);
          feed.refreshRooms();
          (next?.querySelector('[data-action="remove"]') ?? name).focus();
        } catch (e) {
          toast(plainMessage(e), "error");
          // Its bookings stand in the way: show them, with what to do about them.
          if (e.code === "room_has_bookings") await admin.open();
        }
      });
    });
    // Check-in: binds bookings made from now on; those already made keep the rule they were made under.
    const checkIn = h("input", { type: "checkbox", id: nextId("room-ci"), "data-action": "check-in-required", checked: Boolean(room.check_in_required), "aria-label": `${room.name} requires check-in` });
    checkIn.addEventListener("change", async () => {
      const wanted = checkIn.checked;
      checkIn.disabled = true;
      try {
        const saved = await api(`/api/rooms/${encodeURIComponent(room.id)}`, { method: "PUT", body: { check_in_required: wanted } });
        room.check_in_required = saved.check_in_required;
        checkIn.checked = saved.check_in_required;
        toast(saved.check_in_required ?
          `${room.name} now requires check-in for bookings made from now on.` :
          `${room.name} no longer requires check-in for new bookings; those already made keep their check-in.`, "success");
      } catch (e) {
        checkIn.checked = !wanted;
        toast(plainMessage(e), "error");
      } finally {
        checkIn.disabled = false;
        checkIn.focus();
      }
    });
    const approval = approvalControl(room);
    return h("div", { class: "list-row", "data-room-id": String(room.id) },
      h("div", { class: "grow" }, h("p", { class: "row-title", text: room.name }), h("p", { class: "muted small", text: `${room.building} · ${room.capacity} ${room.capacity === 1 ? "seat" : "seats"}` }),
        h("p", { class: "chips" }, room.faculty_only ? h("span", { class: "chip chip-accent", text: "Faculty only" }) : null, room.features.map((f) => h("span", { class: "chip", text: f.replaceAll("_", " ") }))),
        h("label", { class: "check small", for: checkIn.id }, checkIn, h("span", { text: "Requires check-in" })),
        approval),
      h("div", { class: "row-actions" }, admin.toggle, del),
      admin.panel); // after its button: Tab goes from the button into the panel
  }

  /** "Requires approval", and who approves: a named faculty member or admin (found by e-mail), or any admin. */
  function approvalControl(room) {
    const required = h("input", { type: "checkbox", id: nextId("room-ap"), "data-action": "approval-required", checked: Boolean(room.approval_required), "aria-label": `${room.name} requires approval` });
    const who = h("p", { class: "muted small approver-line", role: "status" });
    const email = h("input", { type: "email", id: nextId("room-approver"), "data-action": "approver-email", placeholder: "Empty: any administrator" });
    const save = h("button", { type: "submit", class: "btn btn-ghost btn-small", "data-action": "save-approver", text: "Save approver" });
    const error = h("p", { class: "form-error", role: "alert" });
    const form = h("form", { class: "approver-form", novalidate: true, "aria-label": `Approver of ${room.name}` },
      h("label", { for: email.id, class: "small", text: "Approver's e-mail" }), h("div", { class: "inline-fields" }, email, save), error);
    const show = () => {
      who.textContent = room.approval_required ? `Requests decided by ${room.approver?.name ?? "any administrator"}.` : "";
      form.hidden = !room.approval_required;
    };
    async function put(body, done) {
      const saved = await api(`/api/rooms/${encodeURIComponent(room.id)}`, { method: "PUT", body });
      room.approval_required = saved.approval_required;
      room.approver = saved.approver;
      required.checked = saved.approval_required;
      show();
      toast(done(saved), "success");
    }
    required.addEventListener("change", async () => {
      const wanted = required.checked;
      required.disabled = true;
      try {
        await put(wanted ? { approval_required: true, approver_id: null } : { approval_required: false }, () => wanted ?
          `${room.name} now requires approval: bookings made from now on are requests an administrator decides. Name an approver below if someone else should.` :
          `${room.name} no longer requires approval for new bookings; requests already waiting stay on the Approvals page.`);
      } catch (e) {
        required.checked = !wanted;
        toast(plainMessage(e), "error");
      } finally {
        required.disabled = false;
        required.focus();
      }
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const address = email.value.trim().toLowerCase();
      await steadyBusy(save, async () => {
        try {
          let approverId = null;
          if (address) {
            const { items } = await apiList("/api/users", { q: address, limit: 20 });
            const person = items.find((u) => String(u.email).toLowerCase() === address);
            if (!person) {
              error.textContent = `No account has the e-mail ${address}.`;
              email.focus();
              return;
            }
            approverId = person.id;
          }
          await put({ approval_required: true, approver_id: approverId }, (saved) => `${room.name}: requests are now decided by ${saved.approver?.name ?? "any administrator"}.`);
          email.value = "";
        } catch (e) {
          // "approver_id: Sam Student is a student; …": said of the person typed, not of an id.
          error.textContent = e.code === "validation_error" ? e.message.replace(/^approver_id: /, "") : plainMessage(e);
          email.focus();
        }
      });
    });
    show();
    return h("div", { class: "approval-control" }, h("label", { class: "check small", for: required.id }, required, h("span", { text: "Requires approval" })), who, form);
  }

  function shownCount(n) {
    count.textContent = n === 1 ? "1 room." : `${n} rooms.`;
    count.dataset.total = String(n);
    if (!n) clear(list, empty("No rooms", "Add the first one above.", "door"));
  }

  async function load() {
    try {
      const { items: rooms, total } = await apiAll("/api/rooms");
      shownCount(total);
      if (!rooms.length) return;
      clear(list, rooms.map(roomRow));
    } catch (e) { clear(list, errorBox(plainMessage(e))); }
  }
  await load();
}
