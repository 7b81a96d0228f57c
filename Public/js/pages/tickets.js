// Maintenance: report a problem with a live triage preview from the first words typed, and follow
// my tickets (status, SLA countdown, comments; paged with "Show more"), updated live over /api/ws.
// #/tickets?id=7 is one ticket's own view: the full report, its history as a timeline, comments.
import { photoPicker, photoGallery, uploadPhotos } from "../ticket-photos.js";
import { api, apiList, apiAll } from "../api.js";
import { h, clear, field, skeleton, empty, errorBox, pageHeader, toast, busy, debounce, timeAgo, formatDateTime, setTitle, textDialog, confirmDialog } from "../ui.js";
import {
  priorityChip,
  statusChip,
  categoryChip,
  slaBadge,
  tickAll,
  commentsToggle,
  commentThread,
  ticketLink,
  descriptionBlock,
  whyDetails,
  historyTimeline,
  assigneeText,
  reporterText,
  scopeLabel,
  slaText,
  dangerNotice,
  isFinished,
  isMine,
  PRIORITY_LABEL
} from "../tickets-common.js";
import { ticketSearch } from "../ticket-search.js";

const LIST_PAGE = 20;

export async function render(root, ctx) {
  const id = new URLSearchParams(location.hash.split("?")[1] ?? "").get("id");
  if (id) return renderTicket(root, ctx, id);
  return renderReportAndList(root, ctx);
}

/** Every room (the select lists them all). */
const allRooms = async () => (await apiAll("/api/rooms")).items;

async function renderReportAndList(root, { user, live, onCleanup }) {
  root.append(pageHeader("Maintenance", "Report a problem — we triage it instantly and you can follow the fix live."));

  // The form + live triage preview -------------------------------------------------------
  const title = h("input", { type: "text", id: "ticket-title", maxlength: "200", required: true, placeholder: "e.g. Water dripping from the ceiling" });
  const description = h("textarea", { id: "ticket-description", rows: "4", maxlength: "5000", required: true, placeholder: "What is happening, since when, is anyone at risk?" });
  const location_ = h("input", { type: "text", id: "ticket-location", maxlength: "200", required: true, placeholder: "e.g. Library, 2nd floor, Study Room L2" });
  const room = h("select", { id: "ticket-room" }, h("option", { value: "", text: "Not a bookable room" }));
  const error = h("p", { class: "form-error", role: "alert", id: "ticket-error" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "ticket-submit", text: "Send report" });
  const photos = photoPicker();
  const preview = h("aside", { class: "card triage", id: "triage-preview", "aria-live": "polite", "aria-label": "Triage preview" });

  function idlePreview(text = "Start describing the problem and we'll show how it will be prioritised.") {
    delete preview.dataset.priority;
    clear(preview, h("p", { class: "eyebrow", text: "Live triage" }), h("p", { class: "muted", id: "triage-note", text }));
  }
  idlePreview();

  /** Only the fields that have text: the preview works from the first words. */
  const typed = () => Object.fromEntries([
      ["title", title],
      ["description", description],
      ["location", location_]
    ]
    .map(([key, input]) => [key, input.value.trim()]).filter(([, value]) => value));

  let previewSeq = 0;
  let whyOpen = false; // "Why this priority?" open: kept across the preview's updates
  const runPreview = debounce(async () => {
    const body = typed();
    const seq = ++previewSeq;
    if (Object.values(body).join(" ").length < 3) { idlePreview(); return; }
    preview.classList.add("is-stale");
    try {
      const t = await api("/api/triage", { method: "POST", body });
      if (seq !== previewSeq) return;
      // "Why this priority?" stays as the person left it (open, with the new reasons) and keeps focus.
      const summaryFocused = document.activeElement?.closest?.(".why summary") && preview.contains(document.activeElement);
      clear(preview,
        h("p", { class: "eyebrow", text: "Live triage" }),
        h("div", { class: "triage-head" }, priorityChip(t.priority), categoryChip(t.category)),
        h("dl", { class: "triage-facts" },
          h("dt", { text: "Response target" }), h("dd", { id: "triage-sla", text: `within ${slaText(t.sla_hours)}` }),
          h("dt", { text: "Affects" }), h("dd", { text: scopeLabel(t.impact?.scope) }),
          roomFacts(t),
          h("dt", { text: "Safety risk" }), h("dd", { text: t.impact?.safety_risk ? "yes — stay clear" : "no" }),
          h("dt", { text: "How sure" }), h("dd", { text: `${Math.round((t.confidence ?? 0) * 100)} %` })),
        whyDetails(t, { open: whyOpen, onToggle: (open) => (whyOpen = open) }),
        dangerNotice(t));
      preview.dataset.priority = t.priority;
      if (summaryFocused) preview.querySelector(".why summary")?.focus({ preventScroll: true });
    } catch (e) {
      // Never a red error while someone is still typing: the preview simply waits.
      if (seq === previewSeq) idlePreview(e.status === 422 ? "Keep typing: the preview appears as soon as there is a little more to go on." : "The preview is not available right now. You can still send the report.");
    } finally {
      if (seq === previewSeq) preview.classList.remove("is-stale");
    }
  }, 400);
  for (const input of [title, description, location_]) input.addEventListener("input", runPreview);

  const form = h("form", {
      class: "card ticket-form",
      novalidate: true,
      "aria-labelledby": "report-title",
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        const body = { title: title.value.trim(), description: description.value.trim(), location: location_.value.trim() };
        const missing = [
          ["what's wrong", body.title],
          ["the details", body.description],
          ["where it is", body.location]
        ].filter(([, v]) => !v).map(([k]) => k);
        if (missing.length) {
          error.textContent = `Please say ${missing.join(" and ").replace(/ and (?=.* and )/, ", ")}.`;
          ({ title, description, location: location_ })[Object.keys(body).find((k) => !body[k])]?.focus();
          return;
        }
        if (room.value) body.room_id = Number(room.value);
        await busy(submit, async () => {
          try {
            const ticket = await api("/api/tickets", { method: "POST", body });
            // The report stands on its own: photos follow it, and one refused is said, not lost silently.
            const files = photos.files();
            const sent = files.length ? await uploadPhotos(ticket.id, files) : { added: [], refused: [] };
            if (sent.added.length) ticket.photo_count = (ticket.photo_count ?? 0) + sent.added.length;
            const withPhotos = sent.added.length ? ` with ${sent.added.length} photo${sent.added.length === 1 ? "" : "s"}` : "";
            toast(`Reported${withPhotos} as ${PRIORITY_LABEL[ticket.priority] ?? ticket.priority}: ticket #${ticket.id}.`, "success");
            if (sent.refused.length) error.textContent = `Ticket #${ticket.id} is reported, but not every photo was added: ${sent.refused.join(" ")} Add them on the ticket's page.`;
            photos.reset();
            title.value = "";
            description.value = "";
            location_.value = "";
            room.value = "";
            previewSeq += 1;
            idlePreview();
            upsert(ticket, true);
          } catch (e) { error.textContent = e.message; }
        });
      }
    },
    h("h2", { id: "report-title", text: "Report a problem" }),
    field("What's wrong?", title), field("Details", description),
    h("div", { class: "form-row" }, field("Where?", location_), field("Room (optional)", room)),
    photos.el,
    error, h("div", { class: "form-actions" }, submit));
  root.append(h("div", { class: "two-col two-col-wide" }, form, preview));

  // Choosing a room fills "Where?" with it, unless the reporter has written a place of their own.
  let placeFromRoom = "";
  room.addEventListener("change", () => {
    const chosen = room.selectedOptions[0];
    if (location_.value.trim() && location_.value !== placeFromRoom) return;
    placeFromRoom = room.value ? chosen.dataset.place : "";
    location_.value = placeFromRoom;
    runPreview();
  });
  allRooms().then((rooms) => {
    for (const r of rooms) room.append(h("option", { value: String(r.id), text: `${r.name} (${r.building})`, "data-place": `${r.name}, ${r.building}` }));
  }).catch(() => {});

  // My tickets -------------------------------------------------------------------------------
  // Everyone gets the tickets they reported from the server, newest first, a page at a time
  // (technicians ask for theirs with created_by and order=newest: their default is the whole queue).
  const listEl = h("div", { class: "ticket-list", id: "my-tickets" }, skeleton(2));
  const shown = h("p", { class: "muted small", id: "my-tickets-shown", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "btn btn-ghost", id: "my-tickets-more", hidden: true, text: "Show more" });
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "My tickets" }), listEl, h("div", { class: "list-more" }, shown, more)));
  root.append(ticketSearch());
  const tickets = [];
  const cards = new Map();
  let total = 0;

  function card(ticket) {
    const comments = commentsToggle(ticket, { userId: user.id });
    const meta = [ticket.location, `reported ${timeAgo(ticket.created_at)}`, ticket.sla_paused_at ? "on hold, waiting on you" : `due ${formatDateTime(ticket.sla_due_at)}`, assigneeText(ticket, user.id)].join(" · ");
    const el = h("article", { class: `ticket-card${ticket.sla_breached ? " is-breached" : ""}`, "data-ticket-id": String(ticket.id), "data-status": ticket.status },
      h("div", { class: "ticket-top" }, ticketLink(ticket), priorityChip(ticket.priority), statusChip(ticket.status), categoryChip(ticket.category), slaBadge(ticket)),
      h("h3", { class: "ticket-title", text: ticket.title }),
      h("p", { class: "muted small ticket-meta", text: meta }),
      waitingOnYou(ticket, user.id, "Facilities are waiting for your answer: open the comments to read their question and reply."),
      descriptionBlock(ticket),
      h("div", { class: "row-actions" }, comments.button, h("a", { class: "btn btn-ghost btn-small", href: `#/tickets?id=${encodeURIComponent(ticket.id)}`, text: "History and details" })), comments.region);
    el.comments = comments;
    return el;
  }

  function showCount() {
    const complete = tickets.length >= total;
    more.hidden = complete;
    shown.textContent = total ? (complete ? (total === 1 ? "1 ticket." : `All ${total} tickets.`) : `Showing ${tickets.length} of ${total} tickets.`) : "";
  }

  function upsert(ticket, flash = false) {
    if (!isMine(ticket.created_by, user.id)) return;
    const id = String(ticket.id);
    const old = cards.get(id);
    const fresh = card(ticket);
    if (old) {
      tickets[tickets.findIndex((t) => String(t.id) === id)] = ticket;
      const wasOpen = old.comments.isOpen();
      const hadFocus = old.contains(document.activeElement);
      old.replaceWith(fresh);
      if (wasOpen) fresh.comments.button.click();
      if (hadFocus) fresh.querySelector(".ticket-number")?.focus();
    } else {
      tickets.unshift(ticket);
      total += 1;
      listEl.querySelector(".empty")?.remove();
      listEl.prepend(fresh);
    }
    cards.set(id, fresh);
    showCount();
    if (flash) {
      fresh.classList.add("flash");
      setTimeout(() => fresh.classList.remove("flash"), 1600);
    }
  }

  function append(items) {
    for (const t of items) {
      const id = String(t.id);
      if (cards.has(id)) continue;
      tickets.push(t);
      const el = card(t);
      cards.set(id, el);
      listEl.append(el);
    }
  }

  async function fetchMine(offset) {
    return apiList("/api/tickets", { limit: LIST_PAGE, offset, created_by: user.id, order: "newest" });
  }

  async function load() {
    try {
      const page = await fetchMine(0);
      tickets.length = 0;
      cards.clear();
      clear(listEl);
      total = page.total;
      if (!page.items.length) listEl.append(empty("No tickets yet", "Anything broken? Report it above.", "toolbox"));
      append(page.items);
      showCount();
    } catch (e) {
      clear(listEl, errorBox(e.message));
    }
  }
  more.addEventListener("click", () => busy(more, async () => {
    const before = tickets.length;
    try {
      const page = await fetchMine(tickets.length);
      total = page.total;
      append(page.items);
    } catch (e) { toast(e.message, "error"); }
    showCount();
    // Keep the keyboard where it was; when the button goes, on the first ticket that arrived.
    if (more.hidden) listEl.querySelectorAll("[data-ticket-id]")[before]?.querySelector(".ticket-number")?.focus();
  }).then(() => { if (!more.hidden) more.focus(); }));
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

/** The room's next bookings when it was reported, and whether it is out of order: for the ticket's
 * page and the report form's preview alike. */
function roomFacts(t) {
  if (t.room_id === null || t.room_id === undefined) return null;
  const bookings = t.impact?.bookings;
  const list = bookings === null || bookings === undefined ?
    h("dd", { text: "Not known: the booking service did not answer when this was reported." }) :
    bookings.length ?
    h("dd", {}, h("ul", { class: "plain-list", id: "ticket-view-bookings" }, bookings.map((b) =>
      h("li", { text: `${formatDateTime(b.starts_at)}–${new Date(b.ends_at).toLocaleTimeString(undefined, { timeStyle: "short" })} · ${b.seats} seats` })))) :
    h("dd", { id: "ticket-view-bookings", text: "None in the week after it was reported." });
  return [
    h("dt", { text: "Room's bookings when reported" }), list,
    t.room_out_of_order ? [h("dt", { text: "Room" }), h("dd", { id: "ticket-view-out-of-order", text: "Out of order: the booking grid shows it so until this ticket is resolved." })] : null
  ];
}

/** For the reporter of a ticket waiting on them: what to do (null for anyone else, or any other status). */
function waitingOnYou(ticket, userId, text, id) {
  if (ticket.status !== "waiting_on_reporter" || !isMine(ticket.created_by, userId)) return null;
  return h("p", { class: "waiting-on-you", id, role: "status" }, h("strong", { text: "Waiting on you. " }), text);
}

// One ticket ---------------------------------------------------------------------------------

async function renderTicket(root, { user, live, onCleanup }, id) {
  const back = user.role === "technician" ? h("a", { class: "btn btn-ghost", href: "#/queue", text: "Back to the queue" }) : h("a", { class: "btn btn-ghost", href: "#/tickets", text: "Back to my tickets" });
  root.append(pageHeader(`Ticket #${id}`, "The full report, what has happened since, and the conversation.", back));
  const body = h("div", { class: "ticket-view", id: "ticket-view", "data-ticket-id": id }, skeleton(3));
  root.append(body);
  setTitle(`Ticket #${id}`);
  let ticket;
  try {
    ticket = await api(`/api/tickets/${encodeURIComponent(id)}`);
  } catch (e) {
    clear(body, errorBox(e.status === 404 || e.status === 403 || e.status === 422 ? `There is no ticket #${id} that you can see. It may have been removed, or it belongs to someone else.` : e.message));
    return;
  }
  const summary = h("section", { class: "card ticket-detail", "aria-labelledby": "ticket-view-title" });
  let gallery = null; // the photos, made once the ticket is shown
  const history = h("section", { class: "card", "aria-labelledby": "ticket-history-title" });
  // The reporter's answer may move the ticket back in progress: show it as it is now.
  const thread = commentThread(ticket, { userId: user.id, onPosted: () => refresh().then(() => gallery?.load()), photos: user.role !== "admin" });
  const comments = h("section", { class: "card", "aria-labelledby": "ticket-comments-title" }, h("h2", { id: "ticket-comments-title", text: "Comments" }), thread);

  const refresh = async () => {
    try { show(await api(`/api/tickets/${encodeURIComponent(id)}`)); } catch { /* keep what is shown */ }
  };
  let whyOpen = false; // kept open across live refreshes
  function show(t) {
    clear(summary,
      h("div", { class: "ticket-top" }, priorityChip(t.priority), statusChip(t.status), categoryChip(t.category), slaBadge(t)),
      h("h2", { class: "ticket-title", id: "ticket-view-title", text: t.title }),
      dangerNotice(t),
      h("p", { class: "ticket-desc ticket-desc-full", id: "ticket-view-description", text: t.description }),
      h("dl", { class: "ticket-facts" },
        h("dt", { text: "Where" }), h("dd", { text: t.location }),
        h("dt", { text: "Reported" }), h("dd", { text: [reporterText(t, user.id), formatDateTime(t.created_at)].filter(Boolean).join(", ") }),
        h("dt", { text: "Who is on it" }), h("dd", { id: "ticket-view-assignee", text: assigneeText(t, user.id).replace(/^./, (c) => c.toUpperCase()) }),
        h("dt", { text: isFinished(t) ? "Response was due" : "Response due" }), h("dd", { id: "ticket-view-due", text: t.sla_paused_at ? `On hold since ${formatDateTime(t.sla_paused_at)}, waiting on the reporter; the deadline moves later by the wait` : formatDateTime(t.sla_due_at) }),
        h("dt", { text: "Affects" }), h("dd", { text: scopeLabel(t.impact?.scope) }),
        roomFacts(t),
        h("dt", { text: "Safety risk" }), h("dd", { text: t.impact?.safety_risk ? (isFinished(t) ? "Yes, when it was reported" : "Yes — stay clear") : "No" }),
        t.resolution ? [h("dt", { text: "Resolution" }), h("dd", { id: "ticket-view-resolution", class: "keeps-lines", text: `${t.resolution} (${formatDateTime(t.resolved_at)})` })] : null),
      waitingOnYou(t, user.id, "Facilities are waiting for your answer: read their question under Comments and reply there. The response clock stands still until you do.", "ticket-view-waiting"),
      roomMarkBlock(t),
      reopenBlock(t),
      whyDetails(t.triage, { open: whyOpen, onToggle: (open) => (whyOpen = open), current: t.priority }));
    clear(history, h("h2", { id: "ticket-history-title", text: "History" }), historyTimeline(t.history, user.id));
  }
  // Technicians mark the room out of order (its booking owners are told) or back in order.
  function roomMarkBlock(t) {
    if (user.role !== "technician" || t.room_id === null || t.room_id === undefined || !["open", "in_progress", "waiting_on_reporter"].includes(t.status)) return null;
    const marking = !t.room_out_of_order;
    const button = h("button", { type: "button", class: `btn ${marking ? "btn-danger" : "btn-secondary"}`, id: "room-out-of-order", text: marking ? "Mark room out of order" : "Room back in order" });
    button.addEventListener("click", async () => {
      const ok = await confirmDialog({
        title: marking ? "Mark the room out of order?" : "Put the room back in order?",
        message: marking ?
          "The owners of its bookings in the next 14 days are told at once, each with the nearest free room of the same kind, and the booking grid shows it out of order until this ticket is resolved." : "The booking grid offers the room again. Its booking owners are not told.",
        confirmLabel: marking ? "Mark out of order" : "Back in order",
        danger: marking
      });
      button.focus();
      if (!ok) return;
      await busy(button, async () => {
        try {
          show(await api(`/api/tickets/${encodeURIComponent(t.id)}`, { method: "PATCH", body: { room_out_of_order: marking } }));
          toast(marking ? "The room is marked out of order; its booking owners have been told." : "The room is back in order.", "success");
          document.getElementById("room-out-of-order")?.focus();
        } catch (e) {
          toast(e.message, "error");
        }
      });
    });
    return h("div", { class: "reopen", id: "ticket-view-room-mark" }, button);
  }

  // The reporter's "still broken", while its window lasts.
  function reopenBlock(t) {
    if (!t.reopenable_until || !isMine(t.created_by, user.id)) return null;
    const button = h("button", { type: "button", class: "btn btn-secondary", id: "reopen-ticket", text: "Still broken? Reopen" });
    button.addEventListener("click", async () => {
      const reason = await textDialog({
        title: `Reopen ticket #${t.id}?`,
        message: "Say what is still wrong; the technician is told at once and the response time starts again.",
        label: "What is still wrong",
        placeholder: "e.g. The radiator is cold again this morning.",
        requiredMessage: "Say what is still wrong, so the technician knows where to look.",
        confirmLabel: "Reopen ticket"
      });
      if (reason === null) return button.focus();
      await busy(button, async () => {
        try {
          show(await api(`/api/tickets/${encodeURIComponent(t.id)}/reopen`, { method: "POST", body: { reason } }));
          toast(`Ticket #${t.id} is reopened; the technician has been told.`, "success");
          document.getElementById("ticket-view-title")?.focus();
        } catch (e) {
          toast(e.message, "error");
        }
      });
    });
    return h("div", { class: "reopen", id: "ticket-view-reopen" },
      h("p", { class: "muted small", text: `Not fixed after all? You can reopen it until ${formatDateTime(t.reopenable_until)}.` }), button);
  }

  show(ticket);
  // Photos: whoever sees the ticket sees them; its reporter and technicians add more (admins only read).
  gallery = photoGallery(ticket, { userId: user.id, canAdd: user.role !== "admin", onChange: refresh });
  let shownPhotos = ticket.photo_count ?? 0;
  clear(body, summary, gallery.el, history, comments);
  await thread.load();

  const onTicket = (event) => {
    if (String(event.detail.ticket?.id) !== String(id)) return;
    if (event.detail.type === "ticket.commented") thread.load();
    else {
      refresh();
      // Someone else added or removed a photo: the gallery follows.
      const count = event.detail.ticket?.photo_count;
      if (count !== undefined && count !== shownPhotos) {
        shownPhotos = count;
        gallery.load();
      }
    }
  };
  live?.addEventListener("ticket", onTicket);
  live?.addEventListener("resync", refresh);
  const timer = setInterval(() => tickAll(summary), 15000);
  onCleanup(() => {
    live?.removeEventListener("ticket", onTicket);
    live?.removeEventListener("resync", refresh);
    clearInterval(timer);
  });
}
