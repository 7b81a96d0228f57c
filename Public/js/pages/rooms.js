// Admin: the room catalogue (list, add, remove).
import { api } from "../api.js";
import { h, clear, field, skeleton, empty, errorBox, pageHeader, toast, busy, confirmDialog, nextId } from "../ui.js";

export async function render(root) {
  root.append(pageHeader("Rooms", "The catalogue students and faculty book from."));
  const name = h("input", { type: "text", id: "room-name", required: true });
  const building = h("input", { type: "text", id: "room-building", required: true });
  const capacity = h("input", { type: "number", id: "room-capacity", min: "1", value: "10", required: true });
  const features = h("input", { type: "text", id: "room-features", placeholder: "projector, whiteboard" });
  const facultyOnly = h("input", { type: "checkbox", id: nextId("fo") });
  const error = h("p", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", text: "Add room" });
  root.append(h("form", {
      class: "card",
      "aria-label": "New room",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const body = { name: name.value.trim(), building: building.value.trim(), capacity: Number(capacity.value), features: features.value.split(",").map((f) => f.trim().replaceAll(" ", "_")).filter(Boolean), faculty_only: facultyOnly.checked };
        if (!body.name || !body.building) { error.textContent = "A room needs a name and a building."; return; }
        await busy(submit, async () => {
          try {
            await api("/api/rooms", { method: "POST", body });
            toast(`Added ${body.name}.`, "success");
            name.value = "";
            features.value = "";
            await load();
          } catch (e) { error.textContent = e.message; }
        });
      }
    }, h("h2", { text: "Add a room" }),
    h("div", { class: "form-grid" }, field("Name", name), field("Building", building), field("Capacity", capacity), field("Features", features, "Comma-separated.")),
    h("label", { class: "check", for: facultyOnly.id }, facultyOnly, h("span", { text: "Faculty only (lecture hall, lab)" })),
    error, h("div", { class: "form-actions" }, submit)));

  const list = h("div", { class: "list card", id: "room-list" }, skeleton(4));
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "Catalogue" }), list));
  async function load() {
    try {
      const rooms = await api("/api/rooms", { query: { limit: 200 } });
      if (!rooms.length) { clear(list, empty("No rooms", "Add the first one above.", "🏫")); return; }
      clear(list, rooms.map((room) => {
        const del = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "aria-label": `Remove ${room.name}`, text: "Remove" });
        del.addEventListener("click", async () => {
          if (!(await confirmDialog({ title: `Remove ${room.name}?`, message: "It will no longer be bookable.", confirmLabel: "Remove room", danger: true }))) return;
          await busy(del, async () => {
            try {
              await api(`/api/rooms/${encodeURIComponent(room.id)}`, { method: "DELETE" });
              toast("Room removed.", "success");
              await load();
            } catch (e) { toast(e.message, "error"); }
          });
        });
        return h("div", { class: "list-row" },
          h("div", { class: "grow" }, h("p", { class: "row-title", text: room.name }), h("p", { class: "muted small", text: `${room.building} · ${room.capacity} seats` }),
            h("p", { class: "chips" }, room.faculty_only ? h("span", { class: "chip chip-accent", text: "Faculty only" }) : null, room.features.map((f) => h("span", { class: "chip", text: f.replaceAll("_", " ") })))),
          del);
      }));
    } catch (e) { clear(list, errorBox(e.message)); }
  }
  await load();
}
