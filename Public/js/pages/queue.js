// Technicians' queue board: every ticket, grouped by status, sorted by priority then SLA
// deadline, with assign / status / priority controls and a visible breached state. Live.
import { api } from "../api.js";
import { h, clear, skeleton, empty, errorBox, pageHeader, toast, timeAgo, select, field } from "../ui.js";
import { priorityChip, categoryChip, slaBadge, tickAll, commentsToggle, STATUS_LABEL, NEXT_STATUS, PRIORITY_LABEL } from "../tickets-common.js";

const COLUMNS = [
  ["open", "Open"],
  ["in_progress", "In progress"],
  ["resolved", "Resolved"]
];
const RANK = { P0: 0, P1: 1, P2: 2, P3: 3, P4: 4 };

export async function render(root, { user, live, onCleanup }) {
  const tickets = new Map();
  const flashIds = new Set();
  const counts = h("div", { class: "queue-stats", "aria-live": "polite" });
  const mineOnly = h("input", { type: "checkbox", id: "mine-only" });
  const priorityFilter = select([
    ["", "All priorities"], ...Object.entries(PRIORITY_LABEL)
  ], { id: "priority-filter" });
  root.append(pageHeader("Maintenance queue", "Most urgent first. Changes from anyone appear here live."));
  root.append(h("div", { class: "toolbar" }, counts, h("div", { class: "toolbar-right" },
    field("Priority", priorityFilter), h("label", { class: "check", for: mineOnly.id }, mineOnly, h("span", { text: "Assigned to me" })))));
  const board = h("div", { class: "board", id: "queue-board" }, skeleton(3));
  root.append(board);

  function sorted(list) {
    return list.sort((a, b) => (RANK[a.priority] - RANK[b.priority]) || a.sla_due_at.localeCompare(b.sla_due_at));
  }

  function card(ticket) {
    const status = h("select", { "aria-label": `Status of “${ticket.title}”`, class: "ctl-status" },
      h("option", { value: ticket.status, text: STATUS_LABEL[ticket.status] }),
      NEXT_STATUS[ticket.status].map((s) => h("option", { value: s, text: `→ ${STATUS_LABEL[s]}` })));
    const priority = h("select", { "aria-label": `Priority of “${ticket.title}”`, class: "ctl-priority" },
      Object.entries(PRIORITY_LABEL).map(([value, label]) => h("option", { value, text: label })));
    priority.value = ticket.priority;
    const mine = String(ticket.assignee_id ?? "") === String(user.id);
    const assign = h("button", { type: "button", class: `btn btn-small ${mine ? "btn-ghost" : "btn-primary"}`, "data-action": mine ? "unassign" : "assign", text: mine ? "Unassign" : ticket.assignee_id ? "Take over" : "Assign to me" });
    const patch = async (body, what) => {
      try {
        const updated = await api(`/api/tickets/${encodeURIComponent(ticket.id)}`, { method: "PATCH", body });
        tickets.set(String(updated.id), updated);
        renderBoard();
        toast(`${what}: ${updated.title}`, "success");
      } catch (e) {
        toast(e.message, "error");
        renderBoard();
      }
    };
    status.addEventListener("change", () => patch({ status: status.value }, `Status ${STATUS_LABEL[status.value]}`));
    priority.addEventListener("change", () => patch({ priority: priority.value }, `Priority ${priority.value}`));
    assign.addEventListener("click", () => patch({ assignee_id: mine ? null : String(user.id) }, mine ? "Unassigned" : "Assigned to you"));
    const comments = commentsToggle(ticket, { userId: user.id });
    const breached = ticket.sla_breached;
    const el = h("article", { class: `ticket-card queue-card${breached ? " is-breached" : ""}`, "data-ticket-id": String(ticket.id), "data-priority": ticket.priority, "data-status": ticket.status },
      h("div", { class: "ticket-top" }, priorityChip(ticket.priority), breached ? h("span", { class: "chip chip-danger", "data-breached": "", text: "SLA breached" }) : null, categoryChip(ticket.category), slaBadge(ticket)),
      h("h3", { class: "ticket-title", text: ticket.title }),
      h("p", { class: "muted small", text: `${ticket.location} · ${timeAgo(ticket.created_at)} · ${ticket.assignee_id ? (mine ? "assigned to you" : `assigned to #${ticket.assignee_id}`) : "unassigned"}` }),
      h("p", { class: "ticket-desc", text: ticket.description }),
      h("div", { class: "controls" }, status, priority, h("div", { class: "row-actions" }, assign, comments.button)), comments.region);
    if (flashIds.has(String(ticket.id))) {
      el.classList.add("flash");
      setTimeout(() => {
        el.classList.remove("flash");
        flashIds.delete(String(ticket.id));
      }, 1600);
    }
    return el;
  }

  function renderBoard() {
    const visible = [...tickets.values()].filter((t) => (!mineOnly.checked || String(t.assignee_id ?? "") === String(user.id)) && (!priorityFilter.value || t.priority === priorityFilter.value));
    const open = visible.filter((t) => t.status === "open" || t.status === "in_progress");
    const breached = open.filter((t) => t.sla_breached).length;
    clear(counts,
      h("span", { class: "stat-pill" }, h("strong", { text: String(open.length) }), " open"),
      h("span", { class: `stat-pill${breached ? " stat-pill-danger" : ""}`, id: "breached-count" }, h("strong", { text: String(breached) }), " breached"));
    clear(board, COLUMNS.map(([status, label]) => {
      const items = sorted(visible.filter((t) => t.status === status));
      return h("section", { class: "board-col", "data-column": status, "aria-label": label },
        h("h2", { class: "board-title" }, label, h("span", { class: "count", text: String(items.length) })),
        items.length ? items.map(card) : h("p", { class: "muted small board-empty", text: status === "open" ? "Nothing waiting. 🎉" : "Nothing here." }));
    }));
  }

  async function load() {
    try {
      const items = await api("/api/tickets", { query: { limit: 200 } });
      tickets.clear();
      for (const t of items)
        if (t.status !== "closed" && t.status !== "cancelled") tickets.set(String(t.id), t);
      renderBoard();
    } catch (e) {
      clear(board, errorBox(e.message));
    }
  }
  await load();
  if (!tickets.size) board.querySelector("[data-column=open] .board-empty")?.replaceWith(empty("Queue is empty", "New tickets will appear here live.", "🎉"));

  const onTicket = (event) => {
    const ticket = event.detail.ticket;
    if (!ticket) return;
    if (ticket.status === "closed" || ticket.status === "cancelled") tickets.delete(String(ticket.id));
    else tickets.set(String(ticket.id), ticket);
    if (event.detail.type === "ticket.created" || event.detail.type === "ticket.sla_breached") flashIds.add(String(ticket.id));
    // Keep an open comment thread open across the re-render.
    const openThreads = [...board.querySelectorAll("[data-ticket-id]")].filter((el) => el.querySelector("[aria-expanded=true]")).map((el) => el.dataset.ticketId);
    renderBoard();
    for (const id of openThreads) board.querySelector(`[data-ticket-id="${CSS.escape(id)}"] [data-action=comments]`)?.click();
  };
  live?.addEventListener("ticket", onTicket);
  live?.addEventListener("resync", load);
  mineOnly.addEventListener("change", renderBoard);
  priorityFilter.addEventListener("change", renderBoard);
  const timer = setInterval(() => tickAll(board), 15000);
  onCleanup(() => {
    live?.removeEventListener("ticket", onTicket);
    live?.removeEventListener("resync", load);
    clearInterval(timer);
  });
}
