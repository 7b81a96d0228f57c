// Notifications: my notices with mark-read and mark-all-read; admins also send to a user,
// a role or everyone.
import { api } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, toast, busy, timeAgo, formatDateTime, nextId, ROLE_LABEL } from "../ui.js";

const LEVEL_ICON = { info: "ℹ️", success: "✅", warning: "⚠️", critical: "🚨" };

export async function render(root, { user, refreshBell, onCleanup }) {
  const markAll = h("button", { type: "button", class: "btn btn-ghost", id: "mark-all-read", text: "Mark all as read" });
  root.append(pageHeader("Notifications", "Campus notices and updates about your bookings and tickets.", markAll));
  if (user.role === "admin") root.append(await sendForm());

  const unreadOnly = h("input", { type: "checkbox", id: nextId("uo") });
  root.append(h("div", { class: "toolbar" }, h("label", { class: "check", for: unreadOnly.id }, unreadOnly, h("span", { text: "Unread only" }))));
  const list = h("div", { class: "list card", id: "notification-list", "aria-live": "polite" }, skeleton(3));
  root.append(list);

  let lastSignature = "";
  async function load(force = true) {
    try {
      const items = await api("/api/notifications", { query: { limit: 100, unread: unreadOnly.checked ? "true" : undefined } });
      const signature = JSON.stringify(items.map((n) => [n.id, n.read]));
      if (!force && signature === lastSignature) return;
      lastSignature = signature;
      markAll.disabled = !items.some((n) => !n.read);
      if (!items.length) {
        clear(list, empty(unreadOnly.checked ? "No unread notices" : "No notices yet", "You're all caught up.", "📭"));
        return;
      }
      clear(list, items.map((n) => {
        const read = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "mark-read", text: "Mark read" });
        read.addEventListener("click", () => busy(read, async () => {
          try {
            await api(`/api/notifications/${encodeURIComponent(n.id)}`, { method: "PUT", body: { read: true } });
            await load();
            refreshBell();
          } catch (e) { toast(e.message, "error"); }
        }));
        return h("article", { class: `list-row notice level-${n.level}${n.read ? "" : " unread"}`, "data-notification-id": String(n.id) },
          h("span", { class: "notice-icon", "aria-hidden": "true", text: LEVEL_ICON[n.level] ?? "🔔" }),
          h("div", { class: "grow" },
            h("h3", { class: "notice-title" }, n.title, n.read ? null : h("span", { class: "sr-only", text: " (unread)" })),
            h("p", { class: "notice-message", text: n.message }),
            h("p", { class: "muted small", title: formatDateTime(n.created_at), text: `${timeAgo(n.created_at)} · ${audienceText(n.audience)}` })),
          n.read ? h("span", { class: "chip chip-muted", text: "read" }) : read);
      }));
    } catch (e) {
      clear(list, errorBox(e.message));
    }
  }
  markAll.addEventListener("click", () => busy(markAll, async () => {
    try {
      const r = await api("/api/notifications/read-all", { method: "PUT" });
      toast(`${r?.updated ?? 0} marked as read.`, "success");
      await load();
      refreshBell();
    } catch (e) { toast(e.message, "error"); }
  }));
  unreadOnly.addEventListener("change", () => load());
  await load();
  // The bell polls the unread count; when it changes, reload the list.
  const onCount = () => load(false);
  window.addEventListener("unread-count", onCount);
  onCleanup(() => window.removeEventListener("unread-count", onCount));

  function audienceText(audience) {
    if (!audience) return "";
    if (audience.all) return "to everyone";
    if (audience.role) return `to all ${audience.role}s`;
    return "to you";
  }

  async function sendForm() {
    const title = h("input", { type: "text", id: "send-title", maxlength: "200", required: true });
    const message = h("textarea", { id: "send-message", rows: "3", maxlength: "2000", required: true });
    const level = select([
      ["info", "Info"],
      ["success", "Success"],
      ["warning", "Warning"],
      ["critical", "Critical"]
    ], { id: "send-level" });
    const audience = select([
      ["all", "Everyone"],
      ["role", "A role"],
      ["user", "One person"]
    ], { id: "send-audience" });
    const role = select(Object.entries(ROLE_LABEL).map(([v, l]) => [v, `${l}s`]), { id: "send-role" });
    const person = h("select", { id: "send-user" });
    const roleField = field("Role", role);
    const personField = field("Person", person);
    roleField.hidden = true;
    personField.hidden = true;
    audience.addEventListener("change", () => {
      roleField.hidden = audience.value !== "role";
      personField.hidden = audience.value !== "user";
    });
    try {
      const users = await api("/api/users", { query: { limit: 200 } });
      for (const u of users) person.append(h("option", { value: String(u.id), text: `${u.name} <${u.email}>` }));
    } catch { /* the field stays empty */ }
    const error = h("p", { class: "form-error", role: "alert", id: "send-error" });
    const submit = h("button", { type: "submit", class: "btn btn-primary", id: "send-submit", text: "Send notice" });
    const form = h("form", {
        class: "card send-form",
        "aria-labelledby": "send-heading",
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          error.textContent = "";
          if (!title.value.trim() || !message.value.trim()) { error.textContent = "A notice needs a title and a message."; return; }
          const body = {
            title: title.value.trim(),
            message: message.value.trim(),
            level: level.value,
            audience: audience.value === "all" ? { all: true } : audience.value === "role" ? { role: role.value } : { user_id: person.value }
          };
          await busy(submit, async () => {
            try {
              await api("/api/notifications", { method: "POST", body });
              toast("Notice sent.", "success");
              title.value = "";
              message.value = "";
              await load();
              refreshBell();
            } catch (e) { error.textContent = e.message; }
          });
        }
      },
      h("h2", { id: "send-heading", text: "Send a notice" }),
      h("div", { class: "form-row" }, field("Title", title), field("Level", level)),
      field("Message", message),
      h("div", { class: "form-row" }, field("Send to", audience), roleField, personField),
      error, h("div", { class: "form-actions" }, submit));
    return form;
  }
}
