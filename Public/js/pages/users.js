// Admin: the users table — search and filter on the server, page with "Show more", create, change a
// role with an explicit save (making someone an Administrator asks first), delete with confirmation.
// After every action keyboard focus stays where the person was.
import { api, apiList } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, toast, confirmDialog, formatDateTime, debounce, ROLE_LABEL } from "../ui.js";
import { ROLE_PLURAL, plainMessage, steadyBusy } from "../plain.js";

const ROLES = Object.entries(ROLE_LABEL);
/** A role after "is now": "Faculty" takes no article ("Bella Good is now Faculty."). */
const ROLE_PHRASE = { admin: "an Administrator", faculty: "Faculty", student: "a Student", technician: "a Technician" };
const PAGE_SIZE = 50;

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
        if (!body.name || !body.email || !body.password) { createError.textContent = "Enter a name, an email address and a password."; return; }
        await steadyBusy(createSubmit, async () => {
          try {
            const created = await api("/api/users", { method: "POST", body });
            name.value = "";
            email.value = "";
            password.value = "";
            role.value = "student";
            toggleCreate(false);
            const cleared = await showCreated(created);
            toast(`Created ${created.name} (${ROLE_LABEL[created.role] ?? created.role}). ${cleared ? "The search was cleared so they" : "They"} are shown first in the list.`, "success");
          } catch (e) { createError.textContent = plainMessage(e); }
        });
      }
    },
    h("h2", { text: "New user" }),
    h("div", { class: "form-grid" }, field("Full name", name), field("Email", email), field("Password", password, "At least 8 characters."), field("Role", role)),
    createError, h("div", { class: "form-actions" }, h("button", { type: "button", class: "btn btn-ghost", id: "create-cancel", text: "Cancel", onclick: () => toggleCreate(false) }), createSubmit));

  /** Opens or closes the form; closing it gives focus back to the button that opened it. */
  function toggleCreate(open) {
    const wasOpen = !createForm.hidden;
    createForm.hidden = !open;
    newButton.setAttribute("aria-expanded", String(open));
    if (open) name.focus();
    else if (wasOpen) newButton.focus();
  }
  newButton.addEventListener("click", () => toggleCreate(createForm.hidden));
  createForm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") toggleCreate(false);
  });
  root.append(createForm);

  // Table --------------------------------------------------------------------------------------
  const search = h("input", { type: "search", id: "user-search", placeholder: "Name or email" });
  const roleFilter = select([
    ["", "Everyone"], ...Object.entries(ROLE_PLURAL)
  ], { id: "role-filter" });
  const total = h("p", { class: "muted small users-total", id: "user-total", role: "status" });
  root.append(h("div", { class: "toolbar" }, field("Search by name or email", search), field("Show", roleFilter)), total);
  const body = h("tbody", {});
  const table = h("table", { class: "table users-table" },
    h("caption", { class: "sr-only", text: "Users" }),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Name" }), h("th", { scope: "col", text: "Role" }), h("th", { scope: "col", text: "Created" }), h("th", { scope: "col", class: "num" }, h("span", { class: "sr-only", text: "Actions" })))),
    body);
  const tableWrap = h("div", { class: "card table-wrap", id: "users-table" }, skeleton(4));
  const more = h("button", { type: "button", class: "btn btn-ghost", id: "users-more", hidden: true, text: "Show more users" });
  root.append(tableWrap, h("div", { class: "load-more" }, more));

  let shown = []; // the users on screen, in order
  let fetched = 0; // how many of the server's list (this search) have been read: the next page's offset
  let totalCount = 0;
  let loadSeq = 0;

  function updateTotal() {
    const q = search.value.trim();
    const who = roleFilter.value ? ROLE_PLURAL[roleFilter.value].toLowerCase() : "users";
    const what = q ? `${who} matching “${q}”` : who;
    total.dataset.total = String(totalCount);
    total.textContent = totalCount === 0 ? `No ${what}.` : `Showing ${shown.length} of ${totalCount} ${what}.`;
    const left = totalCount - shown.length;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more`;
    more.setAttribute("aria-label", `Show ${Math.min(left, PAGE_SIZE)} more users (${shown.length} of ${totalCount} shown)`);
  }

  function showTable() {
    if (!shown.length) {
      clear(tableWrap, empty(search.value.trim() || roleFilter.value ? "No users match" : "No users yet", search.value.trim() ? "Try another name or email address." : "", "search"));
      return;
    }
    if (table.parentNode !== tableWrap) clear(tableWrap, table);
  }

  async function load({ append = false } = {}) {
    const seq = ++loadSeq;
    const offset = append ? fetched : 0;
    tableWrap.setAttribute("aria-busy", "true");
    try {
      const page = await apiList("/api/users", { q: search.value.trim() || undefined, role: roleFilter.value || undefined, limit: PAGE_SIZE, offset });
      if (seq !== loadSeq) return [];
      const known = new Set(append ? shown.map((u) => String(u.id)) : []);
      const fresh = page.items.filter((u) => !known.has(String(u.id)));
      if (!append) {
        shown = [];
        fetched = 0;
        clear(body);
      }
      fetched += page.items.length;
      shown.push(...fresh);
      body.append(...fresh.map(row));
      totalCount = page.total;
      showTable();
      updateTotal();
      return fresh;
    } catch (e) {
      if (seq === loadSeq) clear(tableWrap, errorBox(plainMessage(e)));
      return [];
    } finally {
      if (seq === loadSeq) tableWrap.removeAttribute("aria-busy");
    }
  }

  /** Whether a user is among those the search and the role filter ask for (as the server reads them). */
  function matchesFilters(u) {
    const q = search.value.trim().toLowerCase();
    if (roleFilter.value && u.role !== roleFilter.value) return false;
    return !q || [u.name, u.email].some((v) => String(v ?? "").toLowerCase().includes(q));
  }

  /**
   * A user just created goes first in the table, marked as new. The list and its count come from
   * the server again; when the new user is not among what the search asks for, the search and the
   * filter are cleared first (the count would not be true otherwise). Returns whether they were.
   */
  async function showCreated(created) {
    const cleared = !matchesFilters(created);
    if (cleared) {
      search.value = "";
      roleFilter.value = "";
    }
    await load();
    if (!shown.some((u) => String(u.id) === String(created.id))) shown.unshift(created);
    body.querySelector(`tr[data-user-id="${CSS.escape(String(created.id))}"]`)?.remove();
    const tr = row(created);
    tr.classList.add("row-new");
    tr.querySelector(".user-name")?.append(h("span", { class: "chip chip-accent", text: "New" }));
    body.prepend(tr);
    showTable();
    updateTotal();
    return cleared;
  }

  function row(u) {
    const self = String(u.id) === String(me.id);
    const roleSelect = select(ROLES, { "aria-label": `Role of ${u.name}`, class: "ctl-role", "data-user-id": String(u.id) });
    roleSelect.value = u.role;
    roleSelect.disabled = self;
    const save = h("button", { type: "button", class: "btn btn-primary btn-small", "data-action": "save-role", "aria-label": `Save role of ${u.name}`, text: "Save role", disabled: true });
    const pending = h("span", { class: "role-pending small", "aria-hidden": "true", hidden: true, text: "Not saved" });
    const dirty = () => {
      const changed = roleSelect.value !== u.role;
      save.disabled = !changed;
      pending.hidden = !changed;
      return changed;
    };
    roleSelect.addEventListener("change", dirty);
    roleSelect.addEventListener("input", dirty);
    save.addEventListener("click", () => saveRole(u, roleSelect, save, dirty));
    const del = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "delete", "aria-label": `Delete ${u.name}`, text: "Delete", disabled: self });
    del.addEventListener("click", () => deleteUser(u, del));
    return h("tr", { "data-user-email": u.email, "data-user-id": String(u.id) },
      h("td", { class: "ucol-main" }, h("div", { class: "user-cell" }, h("span", { class: `avatar avatar-small role-bg-${u.role}`, "aria-hidden": "true", text: (u.name || "?").charAt(0).toUpperCase() }), h("span", { class: "user-name" }, h("span", { class: "row-title", text: u.name }), h("span", { class: "muted small block", text: u.email })))),
      h("td", { class: "ucol-role" }, self ? h("span", { class: "role-edit" }, roleSelect, h("span", { class: "muted small", text: "(you)" })) : h("span", { class: "role-edit" }, roleSelect, save, pending)),
      h("td", { class: "muted small nowrap ucol-created", "data-label": "Created" }, h("time", { datetime: u.created_at, text: formatDateTime(u.created_at) })),
      h("td", { class: "num ucol-actions" }, del));
  }

  async function saveRole(u, roleSelect, save, dirty) {
    if (save.disabled || !dirty()) return;
    const wanted = roleSelect.value;
    if (wanted === "admin" && u.role !== "admin") {
      const ok = await confirmDialog({
        title: `Make ${u.name} an Administrator?`,
        message: `${u.name} (${u.email}) will be able to manage every account, room and notice on Campus Hub.`,
        confirmLabel: "Make administrator"
      });
      if (!ok) {
        save.focus();
        return;
      }
    }
    save.focus();
    await steadyBusy(save, async () => {
      try {
        const updated = await api(`/api/users/${encodeURIComponent(u.id)}`, { method: "PUT", body: { role: wanted } });
        Object.assign(u, updated);
        roleSelect.value = u.role;
        const avatar = roleSelect.closest("tr")?.querySelector(".avatar");
        if (avatar) avatar.className = `avatar avatar-small role-bg-${u.role}`;
        toast(`${u.name} is now ${ROLE_PHRASE[u.role] ?? ROLE_LABEL[u.role] ?? u.role}.`, "success");
      } catch (e) {
        toast(plainMessage(e), "error");
      }
    });
    // The button turns off once saved: keep focus on the role it saved, not the top of the page.
    if (!dirty()) roleSelect.focus();
  }

  async function deleteUser(u, del) {
    const ok = await confirmDialog({ title: `Delete ${u.name}?`, message: `${u.name} (${u.email}) will lose access to Campus Hub. This cannot be undone.`, confirmLabel: "Delete user", danger: true });
    if (!ok) {
      del.focus();
      return;
    }
    del.focus();
    await steadyBusy(del, async () => {
      try {
        await api(`/api/users/${encodeURIComponent(u.id)}`, { method: "DELETE" });
        toast(`Deleted ${u.name}.`, "success");
        const tr = del.closest("tr");
        const next = tr?.nextElementSibling ?? tr?.previousElementSibling;
        tr?.remove();
        shown = shown.filter((x) => String(x.id) !== String(u.id));
        totalCount = Math.max(0, totalCount - 1);
        fetched = Math.max(0, fetched - 1); // the server's list moved up by one: no one is skipped
        showTable();
        updateTotal();
        const target = next?.querySelector('[data-action="delete"]:not(:disabled)') ?? next?.querySelector(".ctl-role:not(:disabled)");
        (target ?? search).focus();
      } catch (e) { toast(plainMessage(e), "error"); }
    });
  }

  more.addEventListener("click", () => steadyBusy(more, async () => {
    const fresh = await load({ append: true });
    // Focus stays on "Show more" while there is more; at the end it goes to the first new row.
    if (more.hidden && fresh.length) body.querySelector(`tr[data-user-id="${CSS.escape(String(fresh[0].id))}"] .ctl-role`)?.focus();
  }));
  const reload = debounce(() => load(), 250);
  search.addEventListener("input", reload);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      load();
    }
  });
  roleFilter.addEventListener("change", () => load());
  await load();
}
