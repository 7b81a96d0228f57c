// Technicians' queue board: one server request per column (open, in progress, waiting on the
// reporter, resolved) in queue
// order (priority, then SLA deadline), "Show more" for the next page, the column totals from
// X-Total-Count; priority, "assigned to me" and the search go to the server. Changes apply only
// on an explicit action (Apply / Assign), and focus stays on the control the user was on. Live:
// new P0/P1 tickets count in the tab title while unseen; a desktop notification for a new P0
// once the technician has turned them on.
import { cardThumbnail } from "../ticket-photos.js";
import { apiList, api } from "../api.js";
import { h, clear, skeleton, errorBox, pageHeader, toast, timeAgo, select, field, debounce, busy, confirmDialog, textDialog } from "../ui.js";
import { icon } from "../icons.js";
import {
  priorityChip,
  categoryChip,
  slaBadge,
  tickAll,
  commentsToggle,
  ticketLink,
  descriptionBlock,
  assigneeText,
  reporterText,
  isMine,
  focusSpot,
  restoreFocus,
  STATUS_LABEL,
  nextStatuses,
  PRIORITY_LABEL
} from "../tickets-common.js";

const COLUMNS = [
  ["open", "Open"],
  ["in_progress", "In progress"],
  ["waiting_on_reporter", "Waiting on reporter"],
  ["resolved", "Resolved"]
];
const RANK = { P0: 0, P1: 1, P2: 2, P3: 3, P4: 4 };
const PAGE = 25;
const FOCUS_FALLBACK = { "status-apply": "status-select", "priority-apply": "priority-select", "comment-send": "comment-input" };

export async function render(root, { user, live, onCleanup }) {
  const columns = Object.fromEntries(COLUMNS.map(([status]) => [status, { items: [], total: 0, loaded: false }]));
  const flashIds = new Set();
  const pending = new Map(); // ticket id → { status, priority } chosen but not applied yet
  const expanded = new Set(); // ticket ids whose long description is shown in full
  const threads = new Map(); // ticket id → its comment toggle, kept across re-renders (open state, draft)
  const baseTitle = document.title;
  let unseen = 0;

  const counts = h("div", { class: "queue-stats", "aria-live": "polite" });
  const mineOnly = h("input", { type: "checkbox", id: "mine-only" });
  const priorityFilter = select([
    ["", "All priorities"], ...Object.entries(PRIORITY_LABEL)
  ], { id: "priority-filter" });
  const search = h("input", { type: "search", id: "queue-search", placeholder: "Title, details or place" });
  const alertsBox = h("div", { class: "desktop-alerts", id: "desktop-alerts-box" });
  root.append(pageHeader("Maintenance queue", "Most urgent first. Changes from anyone appear here live."));
  root.append(h("div", { class: "toolbar queue-toolbar" }, counts, h("div", { class: "toolbar-right" },
    field("Search", search), field("Priority", priorityFilter),
    h("label", { class: "check", for: mineOnly.id }, mineOnly, h("span", { text: "Assigned to me" })))));
  root.append(alertsBox);
  const board = h("div", { class: "board", id: "queue-board" }, skeleton(3));
  root.append(board);

  // Ordering and filters (the server's, repeated for tickets arriving live) ---------------------
  const compare = (a, b) => (RANK[a.priority] - RANK[b.priority]) || String(a.sla_due_at).localeCompare(String(b.sla_due_at)) || Number(a.id) - Number(b.id);
  const filters = () => ({
    priority: priorityFilter.value || undefined,
    assignee_id: mineOnly.checked ? String(user.id) : undefined,
    q: search.value.trim() || undefined
  });

  function matches(ticket) {
    const f = filters();
    if (f.priority && ticket.priority !== f.priority) return false;
    if (f.assignee_id && !isMine(ticket.assignee_id, user.id)) return false;
    const q = f.q?.toLowerCase();
    return !q || [ticket.title, ticket.description, ticket.location].some((v) => String(v ?? "").toLowerCase().includes(q));
  }

  // Cards ------------------------------------------------------------------------------------
  function applyPair(ticket, kind, options, current, label) {
    const sel = h("select", { class: `ctl-${kind}`, "data-focus-key": `${kind}-select`, "aria-label": `${label} of ticket #${ticket.id}` },
      options.map(([value, text]) => h("option", { value, text: value === current ? `${text} (now)` : text })));
    sel.value = current;
    const want = pending.get(String(ticket.id))?.[kind];
    if (want && [...sel.options].some((o) => o.value === want)) sel.value = want;
    const apply = h("button", { type: "button", class: `btn btn-small btn-primary ctl-${kind}-apply`, "data-focus-key": `${kind}-apply`, "aria-label": `Apply ${label.toLowerCase()} to ticket #${ticket.id}`, text: "Apply" });
    const sync = () => {
      apply.disabled = sel.value === current;
      const chosen = { ...(pending.get(String(ticket.id)) ?? {}) };
      if (sel.value === current) delete chosen[kind];
      else chosen[kind] = sel.value;
      if (Object.keys(chosen).length) pending.set(String(ticket.id), chosen);
      else pending.delete(String(ticket.id));
    };
    sync();
    sel.addEventListener("change", sync);
    sel.addEventListener("input", sync);
    apply.addEventListener("click", async () => {
      if (sel.value === current) return;
      const value = sel.value;
      const cancelling = kind === "status" && value === "cancelled";
      let button = apply;
      // The board may have been drawn again while a dialog was open (a live change): this ticket's Apply now.
      const liveApply = () => (apply.isConnected ? apply : board.querySelector(`[data-ticket-id="${CSS.escape(String(ticket.id))}"] .ctl-status-apply`) ?? apply);
      // A dialog dismissed: nothing changed, and the card says so again.
      const keepCurrent = () => {
        const shown = button.closest(".control-pair")?.querySelector("select") ?? sel;
        shown.value = current;
        shown.dispatchEvent(new Event("change"));
        shown.focus();
      };
      // Cancelling takes the ticket off the board for good: ask first, and say where it went.
      if (cancelling) {
        const ok = await confirmDialog({
          title: `Cancel ticket #${ticket.id}?`,
          message: `“${ticket.title}” will be cancelled and leave the queue. Its page keeps its history, but it cannot be reopened.`,
          confirmLabel: "Cancel ticket",
          cancelLabel: "Keep ticket",
          danger: true
        });
        button = liveApply();
        button.focus();
        if (!ok) return;
      }
      // Waiting on the reporter: say what is needed; the question is stored as a comment in the
      // same step as the move (both or neither), and the reporter's notice quotes it.
      let question;
      if (kind === "status" && value === "waiting_on_reporter") {
        question = await textDialog({
          title: `Ask the reporter of #${ticket.id}`,
          message: `“${ticket.title}”: the response clock stands still until they answer. They are told at once and answer in the ticket's comments.`,
          label: "What do you need from them?",
          placeholder: "e.g. Which door exactly? A photo of the panel would help.",
          requiredMessage: "Say what you need, so the reporter knows how to answer.",
          confirmLabel: "Ask and wait"
        });
        button = liveApply();
        if (question === null) return keepCurrent();
        button.focus();
      }
      // Resolving tells the reporter what was done: ask for it.
      let resolution;
      if (kind === "status" && value === "resolved") {
        resolution = await textDialog({
          title: `Resolve ticket #${ticket.id}`,
          message: `“${ticket.title}”: the person who reported it reads this, and can reopen the ticket for 14 days if it is still broken.`,
          label: "Resolution",
          placeholder: "What was done, e.g. Replaced the HDMI cable and tested the projector.",
          confirmLabel: "Resolve"
        });
        button = liveApply();
        if (resolution === null) return keepCurrent();
        button.focus();
      }
      patch(ticket, {
        [kind]: value,
        ...(resolution ? { resolution } : {}),
        ...(question ? { question } : {})
      }, cancelling ? `#${ticket.id} is cancelled; it no longer shows on the board — its page keeps its history.` : kind === "status" ? `Status is now ${STATUS_LABEL[value]}: ${ticket.title}` : `Priority is now ${PRIORITY_LABEL[value]}: ${ticket.title}`, button, () => {
        const chosen = pending.get(String(ticket.id));
        if (chosen) delete chosen[kind];
      });
    });
    return h("div", { class: "control-pair" }, sel, apply);
  }

  async function patch(ticket, body, what, button, done) {
    const spot = focusSpot(board);
    const column = button.closest("[data-column]")?.dataset.column;
    const index = column ? columns[column].items.findIndex((t) => String(t.id) === String(ticket.id)) : -1;
    await busy(button, async () => {
      try {
        const updated = await api(`/api/tickets/${encodeURIComponent(ticket.id)}`, { method: "PATCH", body });
        done?.();
        place(updated, "updated");
        // Raised to P0 while waiting on the reporter: the service put it back in progress; say so.
        const resumed = ticket.status === "waiting_on_reporter" && updated.status === "in_progress" && !body.status;
        toast(resumed ? `${what}. Back in progress: a P0 does not wait on its reporter.` : what, "success");
      } catch (e) {
        toast(e.message, "error");
      }
    });
    renderBoard(spot);
    // The ticket left the board (cancelled, or filtered out): the keyboard goes to the ticket now in
    // its place, else to the column's heading, not back to the top of the page.
    if (spot && column && !board.contains(document.activeElement)) {
      const section = board.querySelector(`[data-column="${column}"]`);
      const cards = section?.querySelectorAll("[data-ticket-id]") ?? [];
      const next = cards[Math.min(Math.max(index, 0), cards.length - 1)];
      (next?.querySelector(".ticket-number") ?? section?.querySelector(".board-title"))?.focus();
    }
    refreshTotals();
  }

  function card(ticket) {
    const id = String(ticket.id);
    const mine = isMine(ticket.assignee_id, user.id);
    const assign = h("button", {
      type: "button",
      class: `btn btn-small ${mine ? "btn-ghost" : "btn-primary"}`,
      "data-action": mine ? "unassign" : "assign",
      "data-focus-key": "assign",
      text: mine ? "Unassign" : ticket.assignee_id ? "Take over" : "Assign to me"
    });
    assign.addEventListener("click", () => patch(ticket, { assignee_id: mine ? null : String(user.id) }, `${mine ? "Unassigned" : "Assigned to you"}: ${ticket.title}`, assign));
    if (!threads.has(id)) threads.set(id, commentsToggle(ticket, { userId: user.id }));
    const comments = threads.get(id);
    const breached = ticket.sla_breached;
    const meta = [ticket.location, timeAgo(ticket.created_at), reporterText(ticket, user.id), assigneeText(ticket, user.id)].filter(Boolean).join(" · ");
    const titleId = `qt-${id}`;
    const el = h("article", { class: `ticket-card queue-card${breached ? " is-breached" : ""}`, "data-ticket-id": id, "data-priority": ticket.priority, "data-status": ticket.status, "aria-labelledby": titleId },
      h("div", { class: "ticket-top" }, ticketLink(ticket), priorityChip(ticket.priority), breached ? h("span", { class: "chip chip-danger", "data-breached": "", text: "SLA breached" }) : null, ticket.room_out_of_order ? h("span", { class: "chip chip-danger", "data-out-of-order": "", text: "Room out of order" }) : null, categoryChip(ticket.category), slaBadge(ticket)),
      h("div", { class: "card-head" }, h("h3", { class: "ticket-title", id: titleId, text: ticket.title }), cardThumbnail(ticket)),
      h("p", { class: "muted small ticket-meta", text: ticket.photo_count ? `${meta} · ${ticket.photo_count} photo${ticket.photo_count === 1 ? "" : "s"}` : meta }),
      descriptionBlock(ticket, { expanded: expanded.has(id), onToggle: (open) => (open ? expanded.add(id) : expanded.delete(id)) }),
      h("div", { class: "controls" },
        applyPair(ticket, "status", [ticket.status, ...nextStatuses(ticket)].map((s) => [s, STATUS_LABEL[s]]), ticket.status, "Status"),
        applyPair(ticket, "priority", Object.entries(PRIORITY_LABEL), ticket.priority, "Priority"),
        h("div", { class: "row-actions" }, assign, comments.button)),
      comments.region);
    if (flashIds.has(id)) {
      el.classList.add("flash");
      setTimeout(() => {
        el.classList.remove("flash");
        flashIds.delete(id);
      }, 1600);
    }
    return el;
  }

  // The board --------------------------------------------------------------------------------
  const complete = (col) => col.items.length >= col.total;

  function updateCounts() {
    const unfinished = [columns.open, columns.in_progress, columns.waiting_on_reporter];
    const open = unfinished.reduce((sum, col) => sum + col.total, 0);
    const breached = unfinished.flatMap((col) => col.items).filter((t) => t.sla_breached).length;
    const partial = !unfinished.every(complete);
    clear(counts,
      h("span", { class: "stat-pill", id: "open-count" }, h("strong", { text: String(open) }), open === 1 ? " open ticket" : " open tickets"),
      h("span", { class: `stat-pill${breached ? " stat-pill-danger" : ""}`, id: "breached-count" }, h("strong", { text: String(breached) }), partial ? " breached among those shown" : " breached"));
    for (const [status] of COLUMNS) {
      const col = columns[status];
      const section = board.querySelector(`[data-column="${status}"]`);
      if (!section) continue;
      section.querySelector(".count").textContent = String(col.total);
      const more = section.querySelector(".show-more");
      const shown = section.querySelector(".shown-of");
      more.hidden = complete(col);
      shown.hidden = complete(col);
      shown.textContent = `Showing ${col.items.length} of ${col.total}`;
    }
  }

  function renderBoard(spot = focusSpot(board)) {
    clear(board, COLUMNS.map(([status, label]) => {
      const col = columns[status];
      const headingId = `col-${status}`;
      const more = h("button", { type: "button", class: "btn btn-ghost btn-small show-more", "data-more": status, "data-focus-key": `more-${status}`, text: "Show more" });
      more.addEventListener("click", () => loadMore(status, more));
      return h("section", { class: "board-col", "data-column": status, "aria-labelledby": headingId },
        h("h2", { class: "board-title", id: headingId, tabindex: "-1", "data-focus-key": headingId }, label, h("span", { class: "count" })),
        col.items.length ? col.items.map(card) : h("p", { class: "muted small board-empty", text: status === "open" ? "Nothing waiting." : "Nothing here." }),
        h("p", { class: "muted small shown-of" }), more);
    }));
    updateCounts();
    restoreFocus(board, spot, FOCUS_FALLBACK);
  }

  // The search goes in the path with %20 for spaces (a "+" is not read as a space by every server).
  const listPath = () => (filters().q ? `/api/tickets?q=${encodeURIComponent(filters().q)}` : "/api/tickets");
  const query = (status, offset, limit) => ({ status, ...filters(), q: undefined, limit, offset });

  let loadSeq = 0;
  async function load({ keep = false } = {}) {
    const seq = ++loadSeq;
    try {
      const pages = await Promise.all(COLUMNS.map(([status]) =>
        apiList(listPath(), query(status, 0, keep ? Math.min(200, Math.max(PAGE, columns[status].items.length)) : PAGE))));
      if (seq !== loadSeq) return;
      COLUMNS.forEach(([status], index) => Object.assign(columns[status], { items: pages[index].items, total: pages[index].total, loaded: true }));
      renderBoard();
    } catch (e) {
      if (seq === loadSeq) clear(board, errorBox(e.message));
    }
  }

  async function loadMore(status, button) {
    const col = columns[status];
    const before = col.items.length;
    const seq = loadSeq;
    await busy(button, async () => {
      try {
        const { items, total } = await apiList(listPath(), query(status, before, PAGE));
        if (seq !== loadSeq) return;
        const have = new Set(col.items.map((t) => String(t.id)));
        col.items.push(...items.filter((t) => !have.has(String(t.id))));
        col.total = total;
      } catch (e) { toast(e.message, "error"); }
    });
    renderBoard({ key: `more-${status}`, ticketId: null });
    // All loaded: the button is gone, so focus the first ticket that just arrived.
    if (complete(col)) board.querySelectorAll(`[data-column="${status}"] [data-ticket-id]`)[before]?.querySelector(".ticket-number")?.focus();
  }

  /** The columns' totals again from the server (after a change here or live). */
  const refreshTotals = debounce(async () => {
    const seq = loadSeq;
    try {
      const pages = await Promise.all(COLUMNS.map(([status]) => apiList(listPath(), query(status, 0, 1))));
      if (seq !== loadSeq) return;
      COLUMNS.forEach(([status], index) => (columns[status].total = pages[index].total));
      updateCounts();
    } catch { /* the next change or resync tries again */ }
  }, 400);

  /** Put a changed ticket where it now belongs (or out of view), as the server would order it. */
  function place(ticket, type) {
    const id = String(ticket.id);
    let was = null;
    for (const [status, col] of Object.entries(columns)) {
      const index = col.items.findIndex((t) => String(t.id) === id);
      if (index >= 0) {
        was = status;
        col.items.splice(index, 1);
        col.total = Math.max(0, col.total - 1);
      }
    }
    const col = columns[ticket.status];
    if (!col || !matches(ticket)) return;
    const wasComplete = col.items.length >= col.total;
    const at = col.items.findIndex((t) => compare(ticket, t) < 0);
    if (at >= 0) col.items.splice(at, 0, ticket);
    else if (wasComplete) col.items.push(ticket);
    if (at >= 0 || wasComplete || was !== null || type === "ticket.created") col.total += 1;
  }

  // Unseen urgent tickets: the tab title and desktop notifications ------------------------------
  const seen = () => document.visibilityState === "visible" && document.hasFocus();
  const showTitle = () => (document.title = unseen ? `(${unseen}) ${baseTitle}` : baseTitle);
  const markSeen = () => {
    if (!seen() || !unseen) return;
    unseen = 0;
    showTitle();
  };
  document.addEventListener("visibilitychange", markSeen);
  window.addEventListener("focus", markSeen);

  function renderAlerts() {
    const N = window.Notification;
    if (!N) return clear(alertsBox);
    if (N.permission === "granted") return clear(alertsBox, h("p", { class: "muted small", id: "desktop-alerts-state", text: "Desktop alerts are on: a new Critical (P0) ticket shows one while this tab is in the background." }));
    if (N.permission === "denied") return clear(alertsBox, h("p", { class: "muted small", id: "desktop-alerts-state", text: "Desktop alerts are blocked for this site in the browser's settings." }));
    const button = h("button", { type: "button", class: "btn btn-ghost btn-small", id: "desktop-alerts" }, icon("bell"), "Alert me on the desktop for new Critical tickets");
    button.addEventListener("click", async () => {
      try { await window.Notification.requestPermission(); } catch { /* an old browser without the promise form */ }
      renderAlerts();
      alertsBox.querySelector("#desktop-alerts-state, #desktop-alerts")?.setAttribute("tabindex", "-1");
      alertsBox.querySelector("#desktop-alerts-state, #desktop-alerts")?.focus();
    });
    clear(alertsBox, button);
  }
  renderAlerts();

  function announce(ticket) {
    if (ticket.priority !== "P0" && ticket.priority !== "P1") return;
    if (!seen()) {
      unseen += 1;
      showTitle();
    }
    const N = window.Notification;
    if (ticket.priority === "P0" && N?.permission === "granted" && !seen()) {
      try {
        const note = new N(`New Critical ticket #${ticket.id}: ${ticket.title}`, { body: ticket.location ?? "", tag: `ticket-${ticket.id}` });
        note.onclick = () => {
          window.focus();
          location.hash = `#/tickets?id=${encodeURIComponent(ticket.id)}`;
        };
      } catch { /* notifications unavailable in this context */ }
    }
  }

  // Start ------------------------------------------------------------------------------------
  const reload = () => load();
  mineOnly.addEventListener("change", reload);
  priorityFilter.addEventListener("change", reload);
  search.addEventListener("input", debounce(reload, 300));
  await load();

  const onTicket = (event) => {
    const ticket = event.detail.ticket;
    if (!ticket) return;
    const type = event.detail.type;
    place(ticket, type);
    if (type === "ticket.created" || type === "ticket.sla_breached") flashIds.add(String(ticket.id));
    if (type === "ticket.created") announce(ticket);
    const thread = threads.get(String(ticket.id));
    if (type === "ticket.commented" && thread?.isOpen()) thread.thread.load();
    renderBoard();
    refreshTotals();
  };
  const onResync = () => load({ keep: true });
  live?.addEventListener("ticket", onTicket);
  live?.addEventListener("resync", onResync);
  const timer = setInterval(() => tickAll(board), 15000);
  onCleanup(() => {
    live?.removeEventListener("ticket", onTicket);
    live?.removeEventListener("resync", onResync);
    document.removeEventListener("visibilitychange", markSeen);
    window.removeEventListener("focus", markSeen);
    if (document.title !== baseTitle && document.title.endsWith(baseTitle)) document.title = baseTitle;
    clearInterval(timer);
  });
}
