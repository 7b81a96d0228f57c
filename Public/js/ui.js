// Small DOM helpers. Text always goes in through textContent / text nodes, never HTML strings.

/** h("button", {class: "btn", onclick: fn, type: "button"}, "Save") */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "value") el.value = value;
    else if (key === "checked" || key === "disabled" || key === "hidden" || key === "selected" || key === "required") el[key] = !!value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

let uid = 0;
export const nextId = (prefix = "f") => `${prefix}-${++uid}`;

/** A labelled form field: field("Email", input) */
export function field(label, control, hint) {
  if (!control.id) control.id = nextId("field");
  const wrap = h("div", { class: "field" }, h("label", { for: control.id, text: label }), control);
  if (hint) {
    const hintEl = h("p", { class: "field-hint", id: `${control.id}-hint`, text: hint });
    control.setAttribute("aria-describedby", hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function select(options, attrs = {}) {
  return h("select", attrs, options.map(([value, label]) => h("option", { value, text: label })));
}

export function spinner(label = "Loading…") {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", { text: label }));
}

export function skeleton(rows = 3) {
  return h("div", { class: "skeleton-list", "aria-hidden": "true" }, Array.from({ length: rows }, () => h("div", { class: "skeleton" })));
}

export function empty(title, text, icon = "✨") {
  return h("div", { class: "empty" }, h("div", { class: "empty-icon", "aria-hidden": "true", text: icon }), h("p", { class: "empty-title", text: title }), text ? h("p", { class: "muted", text }) : null);
}

export function errorBox(message) {
  return h("div", { class: "alert alert-error", role: "alert", text: message });
}

export function pageHeader(title, subtitle, ...actions) {
  return h("div", { class: "page-header" },
    h("div", {}, h("h1", { id: "page-title", tabindex: "-1", text: title }), subtitle ? h("p", { class: "muted", text: subtitle }) : null),
    actions.length ? h("div", { class: "page-actions" }, actions) : null);
}

export function card(...children) { return h("section", { class: "card" }, children); }

/** Toasts in the polite live region. */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const item = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status", text: message });
  region.append(item);
  setTimeout(() => item.classList.add("toast-out"), 4200);
  setTimeout(() => item.remove(), 4700);
}

/** A modal confirmation with <dialog>; resolves true or false. */
export function confirmDialog({ title, message, confirmLabel = "Confirm", danger = false }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg");
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId },
      h("h2", { id: titleId, text: title }),
      h("p", { text: message }),
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", text: "Cancel" }),
        h("button", { type: "button", class: danger ? "btn btn-danger" : "btn btn-primary", "data-action": "confirm", text: confirmLabel })));
    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action) done(action === "confirm");
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Button that shows a busy state while `work` runs. */
export async function busy(button, work) {
  button.disabled = true;
  button.classList.add("is-busy");
  button.setAttribute("aria-busy", "true");
  try { return await work(); } finally {
    button.disabled = false;
    button.classList.remove("is-busy");
    button.removeAttribute("aria-busy");
  }
}

// Dates ----------------------------------------------------------------------------------

export function isoDate(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

export function addDays(iso, days) {
  const [y, m, d] = iso.split("-").map(Number);
  return isoDate(new Date(y, m - 1, d + days));
}

export function formatDay(iso, options = { weekday: "short", day: "numeric", month: "short" }) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, options);
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function timeAgo(iso) {
  const seconds = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return "";
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return formatDateTime(iso);
}

/** "2 h 05 min left" / "overdue by 12 min" */
export function countdown(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  const total = Math.floor(Math.abs(ms) / 60000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const text = days ? `${days} d ${hours} h` : hours ? `${hours} h ${String(minutes).padStart(2, "0")} min` : `${minutes} min`;
  return ms >= 0 ? { overdue: false, text: `${text} left` } : { overdue: true, text: `overdue by ${text}` };
}

export function debounce(fn, wait = 350) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

export const ROLE_LABEL = { admin: "Administrator", faculty: "Faculty", student: "Student", technician: "Technician" };
