// Notifications: my notices, newest first, paged with "Show older"; a notice about a ticket or a
// booking links to it (opening it marks it read); mark read and mark all read keep focus where it
// was. Admins also send to a person (search-as-you-type), a role or everyone.
// Live: a new notice from the bell's socket (ctx.notices) goes to the top of the list at once,
// each notice once (by id); after every (re)connect the list is loaded again once (what came
// while the socket was down).
import { api, apiList } from "../api.js";
import { h, clear, field, select, skeleton, empty, errorBox, pageHeader, toast, timeAgo, formatDateTime, nextId, debounce, confirmDialog, ROLE_LABEL } from "../ui.js";
import { ROLE_PLURAL, plainMessage, steadyBusy } from "../plain.js";
import { icon } from "../icons.js";

const LEVEL_ICON = { info: "info", success: "check-circle", warning: "warning", critical: "alert" };
const LEVEL_WORD = { info: "Information", success: "Done", warning: "Warning", critical: "Urgent" };
const PAGE_SIZE = 50;

/** The page a notice points at, or null (API: link = {kind: "ticket"|"booking", id}). */
export function noticeHref(link) {
  if (!link || link.id === undefined || link.id === null) return null;
  if (link.kind === "ticket") return `#/tickets?id=${encodeURIComponent(link.id)}`;
  if (link.kind === "booking") return `#/bookings?id=${encodeURIComponent(link.id)}`;
  return null;
}

export async function render(root, { user, notices, refreshBell, readChanged = refreshBell, onCleanup }) {
  const markAll = h("button", { type: "button", class: "btn btn-ghost", id: "mark-all-read", text: "Mark all as read" });
  root.append(pageHeader("Notifications", "Campus notices and updates about your bookings and tickets.", markAll));
  if (user.role === "admin") root.append(sendForm());

  const unreadOnly = h("input", { type: "checkbox", id: nextId("uo") });
  const summary = h("p", { class: "muted small", id: "notification-summary", role: "status" });
  root.append(h("div", { class: "toolbar" }, h("label", { class: "check", for: unreadOnly.id }, unreadOnly, h("span", { text: "Unread only" }))), summary);
  const list = h("div", { class: "list card", id: "notification-list" }, skeleton(3));
  const older = h("button", { type: "button", class: "btn btn-ghost", id: "notices-older", hidden: true, text: "Show older notices" });
  root.append(list, h("div", { class: "load-more" }, older));

  let items = [];
  let total = 0;
  let lastSignature = "";
  let loadSeq = 0;
  /** Notices from the socket while this page is open, in arrival order (see withLive). */
  const arrived = [];

  /** Fetches the newest `count` notices (at least one page), 200 at a time. */
  async function fetchFirst(count) {
    const wanted = Math.max(PAGE_SIZE, count);
    const got = [];
    let all = Infinity;
    while (got.length < Math.min(wanted, all)) {
      const page = await apiList("/api/notifications", { limit: Math.min(200, wanted - got.length), offset: got.length, unread: unreadOnly.checked ? "true" : undefined });
      got.push(...page.items);
      all = page.total;
      if (!page.items.length) break;
    }
    return { got, all: Number.isFinite(all) ? all : got.length };
  }

  /** Where focus is inside the list, so it can be put back after the list is drawn again. */
  function focusKey() {
    const active = document.activeElement;
    const article = active?.closest?.("[data-notification-id]");
    if (!article || !list.contains(article)) return null;
    const index = [...list.querySelectorAll("[data-notification-id]")].indexOf(article);
    return { id: article.dataset.notificationId, action: active.dataset.action ?? null, index };
  }

  function restoreFocus(key) {
    if (!key) return;
    const article = list.querySelector(`[data-notification-id="${CSS.escape(key.id)}"]`);
    if (article) {
      const same = key.action ? article.querySelector(`[data-action="${key.action}"]`) : null;
      (same ?? article).focus();
      return;
    }
    // The notice left the list (unread only): the one now in its place, else the list's end.
    const rows = list.querySelectorAll("[data-notification-id]");
    (rows[Math.min(key.index, rows.length - 1)] ?? markAll).focus();
  }

  function draw() {
    const key = focusKey();
    markAll.setAttribute("aria-disabled", String(!items.some((n) => !n.read)));
    if (!items.length) {
      clear(list, empty(unreadOnly.checked ? "No unread notices" : "No notices yet", "You're all caught up.", "inbox"));
    } else {
      clear(list, items.map(notice));
    }
    summary.textContent = total ? `Showing ${items.length} of ${total} ${unreadOnly.checked ? "unread " : ""}notices.` : "";
    older.hidden = items.length >= total;
    restoreFocus(key);
  }

  /** A list fetched from the server, with the notices that arrived live while it was on its way
   * and are not in it (stored after the server read the list) put on top, each once. */
  function withLive(got, all, mark) {
    const known = new Set(got.map((n) => String(n.id)));
    const missing = arrived.slice(mark).filter((n) => !known.has(String(n.id)) && !(unreadOnly.checked && n.read));
    for (const n of missing) known.add(String(n.id));
    return { got: [...missing.reverse(), ...got], all: all + missing.length };
  }

  async function load(force = true) {
    const seq = ++loadSeq;
    const mark = arrived.length;
    try {
      const fetched = await fetchFirst(force ? PAGE_SIZE : items.length);
      const { got, all } = withLive(fetched.got, fetched.all, mark);
      if (seq !== loadSeq) return;
      const signature = JSON.stringify([all, got.map((n) => [n.id, n.read])]);
      if (!force && signature === lastSignature) return;
      lastSignature = signature;
      items = got;
      total = all;
      draw();
    } catch (e) {
      if (seq === loadSeq) clear(list, errorBox(plainMessage(e)));
    }
  }

  /** Draws the notices shown now again (after a change), keeping how many are shown. */
  async function refresh() {
    const seq = ++loadSeq;
    const mark = arrived.length;
    const fetched = await fetchFirst(items.length);
    const { got, all } = withLive(fetched.got, fetched.all, mark);
    if (seq !== loadSeq) return;
    items = got;
    total = all;
    lastSignature = JSON.stringify([all, got.map((n) => [n.id, n.read])]);
    draw();
  }

  async function markRead(n) {
    await api(`/api/notifications/${encodeURIComponent(n.id)}`, { method: "PUT", body: { read: true } });
    n.read = true;
    readChanged();
  }

  function notice(n) {
    const href = noticeHref(n.link);
    const titleText = h("span", { text: n.title });
    const title = href ? h("a", { href, class: "notice-link", "data-action": "open" }, titleText) : titleText;
    if (href) {
      title.addEventListener("click", async (event) => {
        if (n.read) return;
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
          markRead(n).catch(() => {});
          return;
        }
        event.preventDefault();
        try { await markRead(n); } catch { /* open it anyway */ }
        location.hash = href;
      });
    }
    let action;
    if (n.read) {
      action = h("span", { class: "chip chip-muted", text: "Read" });
    } else {
      action = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "mark-read", "aria-label": `Mark “${n.title}” as read`, text: "Mark read" });
      action.addEventListener("click", () => steadyBusy(action, async () => {
        try {
          await markRead(n);
          // Focus stays on this notice (its button is gone once it is read).
          action.closest("[data-notification-id]")?.focus();
          await refresh();
        } catch (e) { toast(plainMessage(e), "error"); }
      }));
    }
    return h("article", { class: `list-row notice level-${n.level}${n.read ? "" : " unread"}`, "data-notification-id": String(n.id), tabindex: "-1", "aria-labelledby": `notice-${n.id}-title` },
      h("span", { class: "notice-icon", "aria-hidden": "true" }, icon(LEVEL_ICON[n.level] ?? "bell")),
      h("div", { class: "grow" },
        h("h3", { class: "notice-title", id: `notice-${n.id}-title` }, h("span", { class: "sr-only", text: `${LEVEL_WORD[n.level] ?? "Notice"}${n.read ? "" : ", unread"}: ` }), title),
        h("p", { class: "notice-message", text: n.message }),
        h("p", { class: "muted small", title: formatDateTime(n.created_at), text: `${timeAgo(n.created_at)} · ${audienceText(n.audience)}` })),
      action);
  }

  markAll.addEventListener("click", () => {
    if (markAll.getAttribute("aria-disabled") === "true" && markAll.getAttribute("aria-busy") !== "true") {
      toast("Every notice is already read.", "info");
      return;
    }
    steadyBusy(markAll, async () => {
      try {
        const r = await api("/api/notifications/read-all", { method: "PUT" });
        const count = r?.updated ?? 0;
        toast(count === 1 ? "1 notice marked as read." : `${count} notices marked as read.`, "success");
        await refresh();
        readChanged();
      } catch (e) { toast(plainMessage(e), "error"); }
    });
  });
  older.addEventListener("click", () => steadyBusy(older, async () => {
    try {
      const page = await apiList("/api/notifications", { limit: PAGE_SIZE, offset: items.length, unread: unreadOnly.checked ? "true" : undefined });
      const known = new Set(items.map((n) => n.id));
      const fresh = page.items.filter((n) => !known.has(n.id));
      items.push(...fresh);
      total = page.total;
      lastSignature = JSON.stringify([total, items.map((n) => [n.id, n.read])]);
      draw();
      // Focus stays on "Show older" while there are older ones; at the end, the first new notice.
      if (older.hidden && fresh.length) list.querySelector(`[data-notification-id="${CSS.escape(String(fresh[0].id))}"]`)?.focus();
    } catch (e) { toast(plainMessage(e), "error"); }
  }));
  unreadOnly.addEventListener("change", () => load());
  /** A notice from the socket: on top of the list, unless it is there already. */
  function onNotice(event) {
    const n = event.detail?.notification;
    if (!n || n.id === undefined || n.id === null) return;
    if (arrived.some((a) => String(a.id) === String(n.id))) return;
    arrived.push(n);
    // While a load is on its way, withLive() adds it to what that load brings.
    if (items.some((a) => String(a.id) === String(n.id))) return;
    if (unreadOnly.checked && n.read) return;
    items.unshift(n);
    total += 1;
    lastSignature = JSON.stringify([total, items.map((a) => [a.id, a.read])]);
    draw();
  }
  // Every (re)connect: what came while the socket was down (the first time: since this page loaded).
  const onReady = () => { load(false).catch(() => {}); };
  notices?.addEventListener("notification", onNotice);
  notices?.addEventListener("ready", onReady);
  onCleanup(() => {
    notices?.removeEventListener("notification", onNotice);
    notices?.removeEventListener("ready", onReady);
  });
  await load();

  function audienceText(audience) {
    if (!audience) return "";
    if (audience.all) return "sent to everyone";
    if (audience.role) return `sent to all ${(ROLE_PLURAL[audience.role] ?? audience.role).toLowerCase().replace(/^faculty$/, "faculty members")}`;
    return "sent to you";
  }

  function sendForm() {
    const title = h("input", { type: "text", id: "send-title", maxlength: "200", required: true });
    const message = h("textarea", { id: "send-message", rows: "3", maxlength: "2000", required: true });
    const level = select([
      ["info", "Information"],
      ["success", "Good news"],
      ["warning", "Warning"],
      ["critical", "Urgent"]
    ], { id: "send-level" });
    const audience = select([
      ["all", "Everyone"],
      ["role", "Everyone with one role"],
      ["user", "One person"]
    ], { id: "send-audience" });
    const role = select(Object.entries(ROLE_PLURAL), { id: "send-role" });
    const roleField = field("Role", role);
    const picker = personPicker();
    roleField.hidden = true;
    picker.field.hidden = true;
    audience.addEventListener("change", () => {
      roleField.hidden = audience.value !== "role";
      picker.field.hidden = audience.value !== "user";
    });
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
          if (audience.value === "user" && !picker.chosen()) {
            error.textContent = "Choose the person to send it to: type part of their name or email address and pick them from the list.";
            picker.input.focus();
            return;
          }
          // A notice to everyone, or to a whole role, reaches many accounts at once: ask first.
          if (audience.value !== "user") {
            const who = audience.value === "all" ? "everyone" : `all ${ROLE_PLURAL[role.value].toLowerCase()}`;
            const ok = await confirmDialog({
              title: `Send “${title.value.trim()}” to ${who}?`,
              message: audience.value === "all" ? "Every account on Campus Hub gets this notice, and it cannot be taken back." : `Every account with the role ${ROLE_LABEL[role.value] ?? role.value} gets this notice, and it cannot be taken back.`,
              confirmLabel: `Send to ${who}`,
              cancelLabel: "Not yet"
            });
            submit.focus();
            if (!ok) return;
          }
          const body = {
            title: title.value.trim(),
            message: message.value.trim(),
            level: level.value,
            audience: audience.value === "all" ? { all: true } : audience.value === "role" ? { role: role.value } : { user_id: picker.chosen().id }
          };
          await steadyBusy(submit, async () => {
            try {
              await api("/api/notifications", { method: "POST", body });
              const to = audience.value === "all" ? "everyone" : audience.value === "role" ? `all ${ROLE_PLURAL[role.value].toLowerCase()}` : picker.chosen().name;
              toast(`Notice sent to ${to}.`, "success");
              title.value = "";
              message.value = "";
              // A notice to the sender too reaches the bell (and this list) live.
              await refresh();
            } catch (e) { error.textContent = plainMessage(e); }
          });
        }
      },
      h("h2", { id: "send-heading", text: "Send a notice" }),
      h("div", { class: "form-row" }, field("Title", title), field("Level", level)),
      field("Message", message),
      h("div", { class: "form-row" }, field("Send to", audience), roleField, picker.field),
      error, h("div", { class: "form-actions" }, submit));
    return form;
  }
}

/**
 * A search-as-you-type person picker (ARIA 1.2 combobox with a listbox): type part of a name or an
 * email address, ↓/↑ to move, Enter to pick, Escape to close. Asks the server (?q=) for 8 at a time.
 */
function personPicker() {
  const listId = nextId("people");
  const hintId = "send-user-hint";
  const input = h("input", {
    type: "text",
    id: "send-user",
    role: "combobox",
    autocomplete: "off",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    "aria-describedby": hintId
  });
  const listbox = h("ul", { id: listId, role: "listbox", class: "combo-list", "aria-label": "Matching people", hidden: true });
  const status = h("p", { class: "field-hint", id: hintId, "aria-live": "polite", text: "Type part of a name or an email address, then pick with ↓ and Enter." });
  const wrap = h("div", { class: "field combo" }, h("label", { for: input.id, text: "Person" }), h("div", { class: "combo-box" }, input, listbox), status);
  let options = [];
  let active = -1;
  let chosen = null;
  let seq = 0;

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const items = listbox.querySelectorAll('[role="option"]');
    if (!items.length) return;
    active = (index + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function pick(index) {
    const person = options[index];
    if (!person) return;
    chosen = person;
    input.value = `${person.name} <${person.email}>`;
    input.dataset.userId = String(person.id);
    status.textContent = `Sending to ${person.name} (${person.email}).`;
    close();
    input.focus();
  }

  const lookUp = debounce(async () => {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      close();
      status.textContent = "Type part of a name or an email address, then pick with ↓ and Enter.";
      return;
    }
    try {
      const { items, total } = await apiList("/api/users", { q, limit: 8 });
      if (mine !== seq) return;
      options = items;
      clear(listbox, items.length ? items.map((u, i) => h("li", {
        id: `${listId}-${i}`,
        role: "option",
        class: "combo-option",
        "aria-selected": "false",
        "data-user-id": String(u.id),
        onmousedown: (event) => event.preventDefault(),
        onclick: () => pick(i)
      }, h("span", { class: "row-title", text: u.name }), h("span", { class: "muted small", text: ` ${u.email}` }))) : h("li", { role: "option", class: "combo-none muted", "aria-disabled": "true", "aria-selected": "false", id: `${listId}-none`, text: "No one matches." }));
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = !items.length ? `No one matches “${q}”.` : total > items.length ? `${total} people match; the first ${items.length} are listed. Type more to narrow it down.` : `${items.length} ${items.length === 1 ? "person matches" : "people match"}. Use ↓ and Enter to pick.`;
    } catch (e) {
      if (mine === seq) status.textContent = plainMessage(e);
    }
  }, 200);

  input.addEventListener("input", () => {
    chosen = null;
    delete input.dataset.userId;
    lookUp();
  });
  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (listbox.hidden && input.value.trim()) lookUp();
      else if (open) highlight(active + 1);
    } else if (event.key === "ArrowUp") {
      if (open) {
        event.preventDefault();
        highlight(active - 1);
      }
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (open && options.length === 1) {
        event.preventDefault();
        pick(0);
      }
    } else if (event.key === "Escape") {
      if (!listbox.hidden) {
        event.preventDefault();
        close();
      }
    }
  });
  input.addEventListener("blur", () => close());
  return { field: wrap, input, chosen: () => chosen };
}
