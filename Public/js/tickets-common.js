// Shared pieces of the maintenance pages: chips, SLA countdowns and the comment thread.
import { api } from "./api.js";
import { h, clear, countdown, timeAgo, toast, busy, nextId } from "./ui.js";

export const PRIORITY_LABEL = { P0: "P0 · Critical", P1: "P1 · High", P2: "P2 · Medium", P3: "P3 · Low", P4: "P4 · Cosmetic" };
export const STATUS_LABEL = { open: "Open", in_progress: "In progress", resolved: "Resolved", closed: "Closed", cancelled: "Cancelled" };
export const NEXT_STATUS = { open: ["in_progress", "cancelled"], in_progress: ["resolved", "cancelled"], resolved: ["closed", "in_progress"], closed: [], cancelled: [] };
export const OPEN_STATUSES = new Set(["open", "in_progress"]);

export const priorityChip = (priority) => h("span", { class: `chip prio prio-${priority}`, "data-priority": priority, text: PRIORITY_LABEL[priority] ?? priority });
export const statusChip = (status) => h("span", { class: `chip status status-${status}`, "data-status": status, text: STATUS_LABEL[status] ?? status });
// Acronyms the chip's capitalisation would spoil ("Hvac", "Av Equipment").
const CATEGORY_LABEL = { hvac: "HVAC", av_equipment: "AV equipment" };
export const categoryLabel = (category) => CATEGORY_LABEL[category] ?? (category ?? "general").replaceAll("_", " ");
export const categoryChip = (category) => h("span", { class: "chip", text: categoryLabel(category) });

/** A countdown that follows the ticket's SLA; call .tick() to refresh. */
export function slaBadge(ticket) {
  const el = h("span", { class: "sla", "data-sla": "" });
  const tick = () => {
    if (!OPEN_STATUSES.has(ticket.status)) {
      el.className = "sla sla-done";
      el.textContent = ticket.sla_breached ? "SLA was breached" : "Done";
      return;
    }
    const left = countdown(ticket.sla_due_at);
    const breached = ticket.sla_breached || left.overdue;
    el.className = `sla ${breached ? "sla-breached" : "sla-ok"}`;
    el.textContent = breached ? `⏱ Breached · ${left.text}` : `⏱ ${left.text}`;
  };
  tick();
  el.tick = tick;
  return el;
}

export function tickAll(root) {
  for (const el of root.querySelectorAll("[data-sla]")) el.tick?.();
}

/** Comment thread with a small form; `open` loads it. */
export function commentThread(ticket, { userId }) {
  const list = h("ol", { class: "comments" });
  const input = h("textarea", { rows: "2", maxlength: "2000", placeholder: "Add a comment…", "aria-label": "Comment", class: "comment-input" });
  const send = h("button", { type: "submit", class: "btn btn-primary btn-small", text: "Send" });
  const error = h("p", { class: "form-error", role: "alert" });
  const box = h("div", { class: "thread" }, list,
    h("form", {
      class: "comment-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const body = input.value.trim();
        if (!body) { error.textContent = "Write something first."; return; }
        error.textContent = "";
        await busy(send, async () => {
          try {
            await api(`/api/tickets/${encodeURIComponent(ticket.id)}/comments`, { method: "POST", body: { body } });
            input.value = "";
            await load();
          } catch (e) { error.textContent = e.message; }
        });
      }
    }, input, send), error);
  async function load() {
    try {
      const comments = await api(`/api/tickets/${encodeURIComponent(ticket.id)}/comments`, { query: { limit: 200 } });
      clear(list, comments.length ? comments.map((c) => h("li", { class: `comment${String(c.author_id) === String(userId) ? " mine" : ""}` },
        h("span", { class: "comment-meta", text: `${String(c.author_id) === String(userId) ? "You" : String(c.author_id) === String(ticket.created_by) ? "Reporter" : "Facilities"} · ${timeAgo(c.created_at)}` }),
        h("p", { text: c.body }))) : h("li", { class: "muted small", text: "No comments yet." }));
    } catch (e) { toast(e.message, "error"); }
  }
  box.load = load;
  return box;
}

/** Disclosure button + region for a ticket's comments. */
export function commentsToggle(ticket, ctx) {
  const regionId = nextId("cm");
  const thread = commentThread(ticket, ctx);
  const region = h("div", { id: regionId, class: "comments-region", hidden: true }, thread);
  const button = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-expanded": "false", "aria-controls": regionId, "data-action": "comments", text: "💬 Comments" });
  button.addEventListener("click", async () => {
    const open = region.hidden;
    region.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) await thread.load();
  });
  return { button, region, thread, isOpen: () => !region.hidden };
}
