// Maintenance: report a problem with a live triage preview while typing, and follow my tickets
// (status, SLA countdown, comments), updated live over /api/ws.
import { api } from "../api.js";
import { h, clear, field, skeleton, empty, errorBox, pageHeader, toast, busy, debounce, timeAgo, formatDateTime } from "../ui.js";
import { priorityChip, statusChip, categoryChip, slaBadge, tickAll, commentsToggle, PRIORITY_LABEL } from "../tickets-common.js";

export async function render(root, { user, live, onCleanup }) {
  root.append(pageHeader("Maintenance", "Report a problem — we triage it instantly and you can follow the fix live."));

  // The form + live triage preview -------------------------------------------------------
  const title = h("input", { type: "text", id: "ticket-title", maxlength: "200", required: true, placeholder: "e.g. Water dripping from the ceiling" });
  const description = h("textarea", { id: "ticket-description", rows: "4", maxlength: "5000", required: true, placeholder: "What is happening, since when, is anyone at risk?" });
  const location = h("input", { type: "text", id: "ticket-location", maxlength: "200", required: true, placeholder: "e.g. Library, 2nd floor, Study Room L2" });
  const room = h("select", { id: "ticket-room" }, h("option", { value: "", text: "Not a bookable room" }));
  const error = h("p", { class: "form-error", role: "alert", id: "ticket-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "ticket-submit", text: "Send report" });
  const preview = h("aside", { class: "card triage", id: "triage-preview", "aria-live": "polite", "aria-label": "Triage preview" });

  function idlePreview() {
    clear(preview, h("p", { class: "eyebrow", text: "Live triage" }),
      h("p", { class: "muted", text: "Start describing the problem and we'll show how it will be prioritised." }));
  }
  idlePreview();

  let previewSeq = 0;
  const runPreview = debounce(async () => {
    const body = { title: title.value.trim(), description: description.value.trim(), location: location.value.trim() };
    if (body.title.length + body.description.length < 6) { idlePreview(); return; }
    const seq = ++previewSeq;
    preview.classList.add("is-stale");
    try {
      const t = await api("/api/triage", { method: "POST", body });
      if (seq !== previewSeq) return;
      clear(preview,
        h("p", { class: "eyebrow", text: "Live triage" }),
        h("div", { class: "triage-head" }, priorityChip(t.priority), categoryChip(t.category)),
        h("dl", { class: "triage-facts" },
          h("dt", { text: "Response target" }), h("dd", { id: "triage-sla", text: `within ${t.sla_hours} h` }),
          h("dt", { text: "Scope" }), h("dd", { text: t.impact?.scope ?? "room" }),
          h("dt", { text: "Safety risk" }), h("dd", { text: t.impact?.safety_risk ? "yes — stay clear" : "no" }),
          h("dt", { text: "Confidence" }), h("dd", { text: `${Math.round((t.confidence ?? 0) * 100)} %` })),
        h("details", { class: "why" }, h("summary", { text: "Why this priority?" }),
          h("ul", {}, (t.signals ?? []).map((signal) => h("li", { text: signal })))),
        t.priority === "P0" ? h("p", { class: "alert alert-error", text: "If anyone is in danger, call campus security now." }) : null);
      preview.dataset.priority = t.priority;
    } catch (e) {
      if (seq === previewSeq) clear(preview, h("p", { class: "eyebrow", text: "Live triage" }), h("p", { class: "form-error", text: e.message }));
    } finally {
      if (seq === previewSeq) preview.classList.remove("is-stale");
    }
  }, 400);
  for (const input of [title, description, location]) input.addEventListener("input", runPreview);

  const form = h("form", {
      class: "card ticket-form",
      novalidate: true,
      "aria-labelledby": "report-title",
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const body = { title: title.value.trim(), description: description.value.trim(), location: location.value.trim() };
        if (!body.title || !body.description || !body.location) { error.textContent = "Please fill in the title, the description and the location."; return; }
        if (room.value) body.room_id = Number(room.value);
        await busy(submit, async () => {
          try {
            const ticket = await api("/api/tickets", { method: "POST", body });
            toast(`Reported: ${PRIORITY_LABEL[ticket.priority] ?? ticket.priority}, response within the SLA.`, "success");
            title.value = "";
            description.value = "";
            location.value = "";
            room.value = "";
            idlePreview();
            upsert(ticket, true);
          } catch (e) { error.textContent = e.message; }
        });
      }
    },
    h("h2", { id: "report-title", text: "Report a problem" }),
    field("What's wrong?", title), field("Details", description),
    h("div", { class: "form-row" }, field("Where?", location), field("Room (optional)", room)),
    error, h("div", { class: "form-actions" }, submit));
  root.append(h("div", { class: "two-col two-col-wide" }, form, preview));

  api("/api/rooms", { query: { limit: 200 } }).then((rooms) => {
    for (const r of rooms) room.append(h("option", { value: String(r.id), text: `${r.name} (${r.building})` }));
  }).catch(() => {});

  // My tickets -------------------------------------------------------------------------------
  const listEl = h("div", { class: "ticket-list", id: "my-tickets" }, skeleton(2));
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "My tickets" }), listEl));
  const tickets = new Map();
  const cards = new Map();

  function card(ticket) {
    const comments = commentsToggle(ticket, { userId: user.id });
    const el = h("article", { class: `ticket-card${ticket.sla_breached ? " is-breached" : ""}`, "data-ticket-id": String(ticket.id), "data-status": ticket.status },
      h("div", { class: "ticket-top" }, priorityChip(ticket.priority), statusChip(ticket.status), categoryChip(ticket.category), slaBadge(ticket)),
      h("h3", { class: "ticket-title", text: ticket.title }),
      h("p", { class: "muted small", text: `${ticket.location} · reported ${timeAgo(ticket.created_at)} · due ${formatDateTime(ticket.sla_due_at)}` }),
      h("p", { class: "ticket-desc", text: ticket.description }),
      h("div", { class: "row-actions" }, comments.button), comments.region);
    el.comments = comments;
    return el;
  }

  function upsert(ticket, flash = false) {
    if (String(ticket.created_by) !== String(user.id)) return;
    tickets.set(String(ticket.id), ticket);
    const old = cards.get(String(ticket.id));
    const fresh = card(ticket);
    if (old) {
      const wasOpen = old.comments.isOpen();
      old.replaceWith(fresh);
      if (wasOpen) fresh.comments.button.click();
    } else {
      listEl.querySelector(".empty")?.remove();
      listEl.prepend(fresh);
    }
    cards.set(String(ticket.id), fresh);
    if (flash) {
      fresh.classList.add("flash");
      setTimeout(() => fresh.classList.remove("flash"), 1600);
    }
  }

  async function load() {
    try {
      const items = await api("/api/tickets", { query: { limit: 200, ...(user.role === "technician" ? {} : {}) } });
      const mine = items.filter((t) => String(t.created_by) === String(user.id)).sort((a, b) => b.created_at.localeCompare(a.created_at));
      cards.clear();
      clear(listEl);
      if (!mine.length) listEl.append(empty("No tickets yet", "Anything broken? Report it above.", "🧰"));
      for (const t of mine.reverse()) upsert(t);
    } catch (e) {
      clear(listEl, errorBox(e.message));
    }
  }
  await load();

  const onTicket = (event) => {
    const ticket = event.detail.ticket;
    if (!ticket) return;
    upsert(ticket, true);
    if (event.detail.type === "ticket.commented") cards.get(String(ticket.id))?.comments.isOpen() && cards.get(String(ticket.id)).comments.thread.load();
  };
  live?.addEventListener("ticket", onTicket);
  live?.addEventListener("resync", load);
  const timer = setInterval(() => tickAll(listEl), 15000);
  onCleanup(() => {
    live?.removeEventListener("ticket", onTicket);
    live?.removeEventListener("resync", load);
    clearInterval(timer);
  });
}
