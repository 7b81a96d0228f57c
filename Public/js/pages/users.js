// Admin: the users table — search, create, change role, delete with confirmation.
import { api } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, toast, busy, confirmDialog, formatDateTime, ROLE_LABEL } from "../ui.js";

const ROLES = Object.entries(ROLE_LABEL);

export async function render(root, { user: me }) {
  const newButton = h("button", { type: "button", class: "btn btn-primary", id: "new-user", "aria-expanded": "false", "aria-controls": "create-user", text: "+ New user" });
  root.append(pageHeader("Users", "Everyone with a Campus Hub account.", newButton));

  // Create ---------------------------------------------------------------------------------
  const name = h("input", { type: "text", id: "new-name", required: true, autocomplete: "off" });
  const email = h("input", { type: "email", id: "new-email", required: true, autocomplete: "off" });
  const password = h("input", { type: "password", id: "new-password", required: true, minlength: "8", autocomplete: "new-password" });
  const role = select(ROLES, { id: "new-role" });
  role.value = "student";
  const createError = h("p", { class: "form-error", role: "alert", id: "create-error" });
  const createSubmit = h("button", { type: "submit", class: "btn btn-primary", id: "create-submit", text: "Create user" });
  const createForm = h("form", {
      class: "card",
      id: "create-user",
      hidden: true,
      novalidate: true,
      "aria-label": "New user",
      onsubmit: async (event) => {
        event.preventDefault();
        createError.textContent = "";
        const body = { name: name.value.trim(), email: email.value.trim(), password: password.value, role: role.value };
        if (!body.name || !body.email || !body.password) { createError.textContent = "Name, email and password are all required."; return; }
        await busy(createSubmit, async () => {
          try {
            const created = await api("/api/users", { method: "POST", body });
            toast(`Created ${created.name}.`, "success");
            name.value = "";
            email.value = "";
            password.value = "";
            toggleCreate(false);
            await load();
          } catch (e) { createError.textContent = e.message; }
        });
      }
    },
    h("h2", { text: "New user" }),
    h("div", { class: "form-grid" }, field("Full name", name), field("Email", email), field("Password", password, "At least 8 characters."), field("Role", role)),
    createError, h("div", { class: "form-actions" }, h("button", { type: "button", class: "btn btn-ghost", text: "Cancel", onclick: () => toggleCreate(false) }), createSubmit));

  function toggleCreate(open) {
    createForm.hidden = !open;
    newButton.setAttribute("aria-expanded", String(open));
    if (open) name.focus();
  }
  newButton.addEventListener("click", () => toggleCreate(createForm.hidden));
  root.append(createForm);

  // Table --------------------------------------------------------------------------------------
  const search = h("input", { type: "search", id: "user-search", placeholder: "Search by name, email or role" });
  const roleFilter = select([
    ["", "All roles"], ...ROLES
  ], { id: "role-filter" });
  const total = h("span", { class: "muted small", "aria-live": "polite" });
  root.append(h("div", { class: "toolbar" }, field("Search", search), field("Role", roleFilter), total));
  const body = h("tbody", {});
  const tableWrap = h("div", { class: "card table-wrap", id: "users-table" }, skeleton(4));
  root.append(tableWrap);
  let users = [];

  function renderTable() {
    const q = search.value.trim().toLowerCase();
    const visible = users.filter((u) => (!roleFilter.value || u.role === roleFilter.value) && (!q || `${u.name} ${u.email} ${u.role}`.toLowerCase().includes(q)));
    total.textContent = `${visible.length} of ${users.length} users`;
    if (!visible.length) { clear(tableWrap, empty("No users match", "Try another search.", "🔍")); return; }
    clear(body, visible.map((u) => {
      const roleSelect = select(ROLES, { "aria-label": `Role of ${u.name}`, class: "ctl-role" });
      roleSelect.value = u.role;
      roleSelect.disabled = String(u.id) === String(me.id);
      roleSelect.addEventListener("change", async () => {
        try {
          const updated = await api(`/api/users/${encodeURIComponent(u.id)}`, { method: "PUT", body: { role: roleSelect.value } });
          Object.assign(u, updated);
          toast(`${u.name} is now ${ROLE_LABEL[u.role]}.`, "success");
        } catch (e) {
          toast(e.message, "error");
          roleSelect.value = u.role;
        }
      });
      const del = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "delete", "aria-label": `Delete ${u.name}`, text: "Delete", disabled: String(u.id) === String(me.id) });
      del.addEventListener("click", async () => {
        const ok = await confirmDialog({ title: `Delete ${u.name}?`, message: `${u.email} will lose access to Campus Hub. This cannot be undone.`, confirmLabel: "Delete user", danger: true });
        if (!ok) return;
        await busy(del, async () => {
          try {
            await api(`/api/users/${encodeURIComponent(u.id)}`, { method: "DELETE" });
            toast(`Deleted ${u.name}.`, "success");
            await load();
          } catch (e) { toast(e.message, "error"); }
        });
      });
      return h("tr", { "data-user-email": u.email },
        h("td", {}, h("div", { class: "user-cell" }, h("span", { class: `avatar avatar-small role-bg-${u.role}`, "aria-hidden": "true", text: (u.name || "?").charAt(0).toUpperCase() }), h("span", {}, h("span", { class: "row-title", text: u.name }), h("span", { class: "muted small block", text: u.email })))),
        h("td", {}, roleSelect),
        h("td", { class: "muted small nowrap", text: formatDateTime(u.created_at) }),
        h("td", { class: "num" }, del));
    }));
    clear(tableWrap, h("table", { class: "table" },
      h("caption", { class: "sr-only", text: "Users" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Name" }), h("th", { scope: "col", text: "Role" }), h("th", { scope: "col", text: "Created" }), h("th", { scope: "col", class: "num" }, h("span", { class: "sr-only", text: "Actions" })))),
      body));
  }

  async function load() {
    try {
      users = await api("/api/users", { query: { limit: 200 } });
      users.sort((a, b) => a.name.localeCompare(b.name));
      renderTable();
    } catch (e) { clear(tableWrap, errorBox(e.message)); }
  }
  search.addEventListener("input", renderTable);
  roleFilter.addEventListener("change", renderTable);
  await load();
}
