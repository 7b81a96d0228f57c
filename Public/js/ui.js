// Small DOM helpers. Text always goes in through textContent / text nodes, never HTML strings.
import { icon, hasIcon } from "./icons.js";

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

/** Emoji that pages still pass to empty() → the icon drawn instead (no emoji font needed). */
const EMOJI_ICON = { "\u2728": "sparkles", "\u{1F50D}": "search", "\u{1F9F0}": "toolbox", "\u{1F5D3}\uFE0F": "calendar-days", "\u{1F4ED}": "inbox", "\u{1F3EB}": "door", "\u{1F389}": "party" };

/** An empty state: empty("No bookings yet", "Book a room…", "calendar-days") — the icon is a name from icons.js. */
export function empty(title, text, iconName = "sparkles") {
  const name = hasIcon(iconName) ? iconName : EMOJI_ICON[iconName] ?? "sparkles";
  return h("div", { class: "empty" }, h("div", { class: "empty-icon", "aria-hidden": "true" }, icon(name)), h("p", { class: "empty-title", text: title }), text ? h("p", { class: "muted", text }) : null);
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

/**
 * Toasts in the polite live region (#toasts). The region sits in a bottom corner, narrow, and lets
 * clicks through (only the toasts themselves take the pointer); while toasts show, the page gets
 * as much room at its bottom (`--toast-space`: padding and scroll-padding), so a control that is
 * scrolled or focused into view lands above them, not under them. Each toast can be closed;
 * it leaves by itself after a few seconds (errors stay longer), not while hovered or focused.
 */
export function toast(message, kind = "info") {
  const region = document.getElementById("toasts");
  if (!region) return;
  const text = h("span", { class: "toast-text", text: message });
  const close = h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss notification" }, icon("close"));
  const item = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" },
    icon(kind === "error" ? "warning" : kind === "success" ? "check-circle" : "info", { className: "toast-icon" }), text, close);
  let timer = 0;
  const leave = () => {
    clearTimeout(timer);
    if (!item.isConnected || item.classList.contains("toast-out")) return;
    item.classList.add("toast-out");
    setTimeout(() => {
      item.remove();
      updateToastSpace(region);
    }, 400);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(leave, kind === "error" ? 10000 : 6000);
  };
  close.addEventListener("click", leave);
  item.addEventListener("pointerenter", () => clearTimeout(timer));
  item.addEventListener("pointerleave", arm);
  item.addEventListener("focusin", () => clearTimeout(timer));
  item.addEventListener("focusout", arm);
  region.append(item);
  updateToastSpace(region);
  arm();
  return item;
}

function updateToastSpace(region) {
  const height = region.childElementCount ? Math.ceil(region.getBoundingClientRect().height) : 0;
  document.documentElement.style.setProperty("--toast-space", height ? `${height + 24}px` : "0px");
}

/** A modal confirmation with <dialog>; resolves true or false. */
export function confirmDialog({ title, message, confirmLabel = "Confirm", cancelLabel = "Cancel", danger = false }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg");
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId },
      h("h2", { id: titleId, text: title }),
      h("p", { text: message }),
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", text: cancelLabel }),
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

/** Shows `dialog` as a modal; its [data-action=cancel] button and Escape call `dismiss`. */
export function openDialog(dialog, dismiss) {
  dialog.addEventListener("click", (event) => {
    if (event.target.closest("[data-action]")?.dataset.action === "cancel") dismiss();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    dismiss();
  });
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * A modal asking for a short text (a resolution, a reason): resolves to the trimmed text, or null
 * when cancelled. The text is required; the dialog says so beside the field instead of closing.
 */
export function textDialog({ title, message, label, confirmLabel = "Save", cancelLabel = "Cancel", maxLength = 2000, placeholder = "", value = "", requiredMessage = `${label} is required.` }) {
  return new Promise((resolve) => {
    const titleId = nextId("dlg");
    const fieldId = nextId("dlg-text");
    const errorId = `${fieldId}-error`;
    const area = h("textarea", { id: fieldId, rows: "4", maxlength: String(maxLength), required: true, placeholder, "aria-describedby": errorId });
    area.value = value;
    const error = h("p", { class: "form-error", id: errorId, role: "alert" });
    const form = h("form", { method: "dialog", novalidate: "" },
      h("h2", { id: titleId, text: title }),
      message ? h("p", { text: message }) : null,
      h("div", { class: "field" }, h("label", { for: fieldId, text: label }), area, error),
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", text: cancelLabel }),
        h("button", { type: "submit", class: "btn btn-primary", "data-action": "confirm", text: confirmLabel })));
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId }, form);
    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = area.value.trim();
      if (!text) {
        area.setAttribute("aria-invalid", "true");
        error.textContent = requiredMessage;
        area.focus();
        return;
      }
      done(text);
    });
    area.addEventListener("input", () => {
      area.removeAttribute("aria-invalid");
      error.textContent = "";
    });
    openDialog(dialog, () => done(null));
    area.focus();
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

// Focus across re-renders ------------------------------------------------------------------

/**
 * withFocusKept(root, render) runs render() — which may replace the children of `root` — and then
 * gives keyboard focus back to the replacement of the element that had it, so a keyboard or
 * screen-reader user is not thrown back to the top of the page by a refresh.
 *
 * The focused element is found again by its `data-focus-key` attribute (give every control that
 * is rebuilt one: a stable value such as `comment-7`), else by its id. Text selection / caret
 * position in inputs is kept too. If the element itself survived the render and still has focus,
 * nothing is done; if no replacement exists, focus goes to `root` when it is focusable.
 * render may be synchronous or return a promise; withFocusKept returns what render returns.
 *
 *   await withFocusKept(listEl, () => clear(listEl, items.map(row)));
 */
export function withFocusKept(root, render) {
  const active = document.activeElement;
  const had = active && active !== root && root.contains(active) ? active : null;
  const key = had?.dataset?.focusKey ? ["data-focus-key", had.dataset.focusKey] : had?.id ? ["id", had.id] : null;
  const caret = had && typeof had.selectionStart === "number" ? [had.selectionStart, had.selectionEnd] : null;
  const restore = () => {
    if (!had || (had.isConnected && document.activeElement === had)) return;
    const next = key ? root.querySelector(`[${key[0]}="${CSS.escape(key[1])}"]`) : null;
    if (next) {
      next.focus({ preventScroll: true });
      if (caret && typeof next.setSelectionRange === "function") {
        try { next.setSelectionRange(caret[0], caret[1]); } catch { /* not a text field */ }
      }
    } else if (root.tabIndex >= 0 || root.hasAttribute("tabindex")) {
      root.focus({ preventScroll: true });
    }
  };
  const result = render();
  if (result && typeof result.then === "function") return result.then((value) => { restore(); return value; });
  restore();
  return result;
}

// Form values across a sign-in --------------------------------------------------------------

/** A key that finds a field again after a re-render: its name, else an id that is not generated. */
function fieldKey(el) {
  if (el.dataset.focusKey) return `key:${el.dataset.focusKey}`;
  if (el.name) return el.type === "radio" ? `name:${el.name}=${el.value}` : `name:${el.name}`;
  if (el.id && !/^[a-z]+-\d+$/.test(el.id)) return `id:${el.id}`; // "field-12" (nextId) changes per render
  return null;
}

const SKIPPED_TYPES = new Set(["password", "hidden", "file", "submit", "button", "reset", "image"]);

/**
 * The values a person has put in the fields under root: { key: value } (checkboxes and radio
 * buttons: true/false). Password fields, and fields marked data-keep="no", are never included.
 */
export function formSnapshot(root) {
  const values = {};
  for (const el of root.querySelectorAll("input, textarea, select")) {
    if (SKIPPED_TYPES.has(el.type) || el.dataset.keep === "no" || el.autocomplete?.includes("password")) continue;
    const key = fieldKey(el);
    if (!key) continue;
    if (el.type === "checkbox" || el.type === "radio") values[key] = el.checked;
    else if (el.tagName === "SELECT" && el.multiple) continue;
    else if (el.value !== "") values[key] = el.value;
  }
  return values;
}

/**
 * Puts values from formSnapshot back into the fields under root, firing input/change as typing
 * would, and returns the entries it could not place yet (a field or an option not there yet).
 */
export function applyFormSnapshot(root, values) {
  const left = { ...values };
  for (const el of root.querySelectorAll("input, textarea, select")) {
    const key = fieldKey(el);
    if (!key || !(key in left) || SKIPPED_TYPES.has(el.type)) continue;
    const value = left[key];
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked !== value) {
        el.checked = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (el.value !== value) {
      if (el.tagName === "SELECT" && ![...el.options].some((option) => option.value === value)) continue;
      el.value = value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
    delete left[key];
  }
  return left;
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

export const APP_NAME = "Campus Services Hub";

/** The tab's title: "Book a room · Campus Services Hub". */
export function setTitle(page) {
  document.title = page ? `${page} · ${APP_NAME}` : APP_NAME;
}
