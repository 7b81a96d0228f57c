// Shared pieces of the maintenance pages: chips, SLA countdowns, people's names, the triage
// explanation in plain English, the description with "Show more", the history timeline and the
// comment thread (paged: the newest comments first, "Show earlier comments" for the rest).
import { uploadPhotos, MAX_PHOTOS, PHOTO_TYPES } from "./ticket-photos.js";
import { api, apiList } from "./api.js";
import { h, clear, countdown, timeAgo, toast, busy, nextId, formatDateTime } from "./ui.js";
import { icon } from "./icons.js";

export const PRIORITY_LABEL = { P0: "P0 · Critical", P1: "P1 · High", P2: "P2 · Medium", P3: "P3 · Low", P4: "P4 · Cosmetic or request" };
export const PRIORITY_WORD = { P0: "Critical", P1: "High", P2: "Medium", P3: "Low", P4: "Cosmetic or request" };
export const STATUS_LABEL = { open: "Open", in_progress: "In progress", waiting_on_reporter: "Waiting on reporter", resolved: "Resolved", closed: "Closed", cancelled: "Cancelled" };
const NEXT_STATUS = {
  open: ["in_progress", "cancelled"],
  in_progress: ["waiting_on_reporter", "resolved", "cancelled"],
  waiting_on_reporter: ["in_progress", "resolved", "cancelled"],
  resolved: ["closed", "in_progress"],
  closed: [],
  cancelled: []
};
/** Where a technician may move `ticket` (the server's workflow): a P0 never waits on its reporter. */
export const nextStatuses = (ticket) => (NEXT_STATUS[ticket.status] ?? []).filter((s) => !(s === "waiting_on_reporter" && ticket.priority === "P0"));
/** Resolved, closed or cancelled: what the page says in the present tense (a response due, who
 *  is on it, "stay clear") is over. */
export const isFinished = (ticket) => ["resolved", "closed", "cancelled"].includes(ticket.status);
// Statuses whose SLA clock runs (a ticket waiting on its reporter has it stand still).
export const OPEN_STATUSES = new Set(["open", "in_progress"]);
// "room" is the rubric's one room, one space or one fixture: a corridor or a balcony is one too.
const SCOPE_LABEL = { room: "One room or space", floor: "A whole floor", building: "A whole building", campus: "The whole campus" };
export const scopeLabel = (scope) => SCOPE_LABEL[scope] ?? SCOPE_LABEL.room;
// A response target as people say it, as the server's notices do: "1 hour", "24 hours", "7 days".
export const slaText = (hours) => (hours === 1 ? "1 hour" : hours > 24 && hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`);
/** The call to ring campus security, beside a Critical (P0) report until it is resolved: in the
 *  preview as it is typed and on the ticket's own page after it is sent. */
export const dangerNotice = (ticket) =>
  ticket.priority === "P0" && !isFinished(ticket) ?
  h("p", { class: "alert alert-error danger-notice", role: "note", text: "If anyone is in danger, call campus security now." }) : null;

export const priorityChip = (priority) => h("span", { class: `chip prio prio-${priority}`, "data-priority": priority, text: PRIORITY_LABEL[priority] ?? priority });
export const statusChip = (status) => h("span", { class: `chip status status-${status}`, "data-status": status, text: STATUS_LABEL[status] ?? status });
// Acronyms the chip's capitalisation would spoil ("Hvac", "Av Equipment").
/** The categories triage knows (TriageCategories.all on the server; the API refuses any other). */
export const CATEGORIES = ["electrical", "plumbing", "hvac", "network", "av_equipment", "elevator", "fire_safety", "structural", "doors_windows", "furniture", "cleaning", "general"];
const CATEGORY_LABEL = { hvac: "HVAC", av_equipment: "AV equipment", doors_windows: "doors and windows", fire_safety: "fire safety" };
export const categoryLabel = (category) => CATEGORY_LABEL[category] ?? (category ?? "general").replaceAll("_", " ");
/** "Doors and windows": the label in sentence case (the chip's own capitalisation is off, it made "Doors And Windows"). */
export const categoryTitle = (category) => categoryLabel(category).replace(/^./, (c) => c.toUpperCase());
export const categoryChip = (category) => h("span", { class: "chip chip-category", text: categoryTitle(category) });

/** "#42" linking to the ticket's own view. */
// A focus key, so a keyboard user on a ticket's number keeps it when a live change draws the list again.
export const ticketLink = (ticket) => h("a", { class: "ticket-number", "data-focus-key": `number-${ticket.id}`, href: `#/tickets?id=${encodeURIComponent(ticket.id)}`, "aria-label": `Ticket number ${ticket.id}: open its page`, text: `#${ticket.id}` });

export const isMine = (id, userId) => id !== null && id !== undefined && String(id) === String(userId);

/** "assigned to you" / "assigned to Tina Tech" / "assigned to another technician" / "not assigned yet" ("nobody was assigned" once finished). */
export function assigneeText(ticket, userId) {
  if (ticket.assignee_id === null || ticket.assignee_id === undefined) return isFinished(ticket) ? "nobody was assigned" : "not assigned yet";
  if (isMine(ticket.assignee_id, userId)) return "assigned to you";
  return `assigned to ${ticket.assignee_name || "another technician"}`;
}

/** "reported by you" / "reported by Sam Student" / "" when the name is unknown. */
export function reporterText(ticket, userId) {
  if (isMine(ticket.created_by, userId)) return "reported by you";
  return ticket.created_by_name ? `reported by ${ticket.created_by_name}` : "";
}

// Triage, in sentences ---------------------------------------------------------------------

const percent = (value) => `${Math.round(Number(value) * 100)} %`;
const level = (p) => (PRIORITY_WORD[p] ? `${PRIORITY_WORD[p]} (${p})` : p);
// How the safety rules' short names read inside a sentence ("It mentions a gas smell").
const HAZARD_PHRASE = {
  fire: "a fire",
  "gas smell": "a gas smell",
  "electric shock": "an electric shock",
  "structural collapse": "something collapsing",
  "burning smell": "a burning smell",
  "heat-damaged fitting": "a scorched or melted fitting",
  "trapped in lift": "someone trapped in a lift",
  "barrier loose": "a loose barrier",
  "barrier would not hold, over a drop": "a barrier over a drop that would not hold",
  "chemical released": "a chemical release",
  "damaged live cable": "a damaged live cable",
  "electrical panel overheating": "an electrical panel overheating",
  "electrical panel buzzing": "an electrical panel buzzing",
  "steam release": "steam escaping",
  "impact with cracks inside": "something hitting the building, with cracks inside",
  "impact on the building": "something hitting the building",
  "safety system not working": "a safety system not working",
  "fumes or spill with people unwell": "fumes or a spill with people feeling unwell",
  "water in a light fitting": "water in a light fitting",
  "water on live electrics": "water on live electrics",
  "arcing sounds": "arcing sounds from the electrics",
  "sewage coming up": "sewage coming up",
  "sewage in a food area": "sewage in a food area",
  "someone shut in": "someone shut in",
  "essential cooling failing": "essential cooling failing (a cold room, a freezer or a server room)",
  "about to fall on people": "something about to fall on people",
  "about to fall": "something about to fall",
  "opening in a floor": "an opening in a floor",
  "opening people could fall into": "an opening people could fall into",
  "pieces falling where people pass": "pieces falling where people pass",
  "scalding water reaching people": "scalding water reaching people",
  "scalding water": "scalding water",
  "glass hanging in a frame": "broken glass hanging in a frame",
  "glass hanging over people": "broken glass hanging over people",
  "concrete breaking up": "concrete breaking up",
  "deep water spreading": "deep water spreading",
  "leak spreading": "a spreading leak",
  "someone trapped": "someone trapped",
  // What people did about it ("response: …"): a sign that the danger is real and now.
  "people cleared out": "people were cleared out",
  "people evacuated": "people were evacuated",
  "people kept away": "people are being kept away",
  "people moved out of the way": "people were moved out of the way",
  "people told to keep away": "people were told to keep away",
  "people withdrawn": "people were withdrawn",
};
/** A life-safety rule's name, `smoke` or `energy: damaged live cable` (the hazard's kind first), in words. */
const hazard = (name) => {
  // "water on live electrics (in English: water on power strip)": a hazard read in the glossary's
  // English of a ticket in another language, with the words it read.
  const [, named, english] = name.match(/^(.*?)(?: \(in English: (.+)\))?$/);
  const plain = named.replace(/^[a-z]+: /, "");
  const phrase = HAZARD_PHRASE[plain] ?? plain;
  return english ? `${phrase} (read in English as “${english}”)` : phrase;
};
const IGNORED = {
  negated: "but says it is not happening (any more)",
  hypothetical: "but only as a possibility",
  "not an incident": "but about a sign, a drill or training",
  hedged: "but only as something minor",
};

function withArticle(name) {
  if (/^(only|phones|the)\b/.test(name)) return name.startsWith("only") ? `the ${name}` : name;
  return /^[aeiou]/i.test(name) ? `an ${name}` : `a ${name}`;
}
const SCOPE_WORDS = { "campus-wide": "the whole campus", "building-wide": "a whole building" };
const DANGER_HAZARD = {
  energy: "electricity",
  chemical: "a chemical",
  falling: "something that could fall",
  edge: "a drop or a hole",
  heat: "heat, steam or a dangerous temperature",
  entrapment: "someone shut in",
  machinery: "machinery",
  biological: "sewage or contamination",
  animal: "an animal",
  structure: "structural damage",
  egress: "blocked exits",
  water: "water",
};
const DANGER_CONTEXT = {
  people: "people there",
  still: "people still there",
  under: "people underneath or close by",
  children: "children",
  food: "a food area",
  harm: "someone already hurt",
  urgent: "urgency",
  acted: "people being kept away",
  intense: "a lot of it",
};
const listWords = (items) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
/** "falling × under, chemical × harm" (the danger model's pairs) as "It describes something that could fall and a chemical, with …". */
function dangerWords(pairs) {
  const hazards = [];
  const contexts = [];
  for (const pair of pairs.split(", ")) {
    const [h, c] = pair.split(" × ");
    const hazardWord = DANGER_HAZARD[h];
    if (hazardWord && !hazards.includes(hazardWord)) hazards.push(hazardWord);
    const contextWord = DANGER_CONTEXT[c];
    if (contextWord && !contexts.includes(contextWord)) contexts.push(contextWord);
  }
  // "people still there" already says "people there".
  const shown = contexts.includes(DANGER_CONTEXT.still) ? contexts.filter((c) => c !== DANGER_CONTEXT.people) : contexts;
  if (!hazards.length) return "Its other signs read as danger";
  // Signs its words match, not facts: "crackles" or "dizzy" can match where nothing of the kind happened.
  return `Its words match signs of ${listWords(hazards)}${shown.length ? `, with ${listWords(shown)}` : ""}`;
}

/** What a floor of `floor` did: "so it is treated as Critical (P0)", or, when the triage's `final`
 *  priority came out lower (a later line says why), "which on its own would make it Critical (P0)":
 *  a pigeon "trapped" in a hall had read "so it is treated as Critical" above a High badge. */
const treated = (floor, final, atLeast = floor !== "P0") => {
  const what = `${atLeast ? "at least " : ""}${level(floor)}`;
  return typeof final === "string" && final > floor ? `which on its own would make it ${what}` : `so it is treated as ${what}`;
};

/** One entry of `triage.signals` as a sentence; null when it says nothing a person needs.
 *  `final` is the priority the triage decided, when known. */
export function explainSignal(signal, final) {
  const text = String(signal ?? "").trim();
  let m;
  if ((m = text.match(/^rule: life-safety '(.+)' → at least (P\d)$/))) {
    const said = m[1].startsWith("response: ") ? `It says ${hazard(m[1])}, a sign of danger now` : `It mentions ${hazard(m[1])}`;
    if (m[2] === "P4") return `${said}, which on its own does not raise the priority.`;
    return `${said}, ${treated(m[2], final)}.`;
  }
  if ((m = text.match(/^rule: life-safety '(.+)' ignored, (.+?) \('(.*)'\)$/)))
    return `It mentions “${m[3]}”, ${IGNORED[m[2]] ?? "but not as a danger"}, so that does not raise the priority.`;
  if ((m = text.match(/^rule: (campus-wide|building-wide), but cosmetic or a request → not raised$/)))
    return `It affects ${SCOPE_WORDS[m[1]]}, but it is cosmetic or a request, so it is not raised.`;
  if ((m = text.match(/^rule: (campus-wide|building-wide) → already P0$/)))
    return `It affects ${SCOPE_WORDS[m[1]]}; it is already ${level("P0")}.`;
  if ((m = text.match(/^rule: (campus-wide|building-wide) → stays P1/)))
    return `It affects ${SCOPE_WORDS[m[1]]}, but stays ${level("P1")}: Critical is kept for danger to people or an outage.`;
  if ((m = text.match(/^rule: (campus-wide|building-wide) → raised one level \((P\d) → (P\d)\)$/)))
    return `It affects ${SCOPE_WORDS[m[1]]}, so it is raised one level, from ${level(m[2])} to ${level(m[3])}.`;
  if ((m = text.match(/^rule: room (in use now|booked before the P\d deadline), (\d+) seats → raised (P\d) → (P\d)$/)))
    return `Its room is ${m[1] === "in use now" ? "in use right now" : "booked before this would be due"} (${m[2]} seats), so it is raised from ${level(m[3])} to ${level(m[4])}.`;
  if ((m = text.match(/^rule: (.+) → at least (P\d)$/)))
    return `It describes ${withArticle(m[1])}, ${treated(m[2], final)}.`;
  if ((m = text.match(/^model: P0 ([\d.]+), over the recall-first threshold ([\d.]+) → at least P0$/)))
    return `On its words, the chance it is ${level("P0")} is ${percent(m[1])}. Triage first treats every report with a chance of ${percent(m[2])} or more as Critical, because a missed danger costs more than a wasted visit.`;
  if ((m = text.match(/^model: P0 ([\d.]+) over ([\d.]+) and danger model P0 ([\d.]+) over ([\d.]+) → at least P0$/)))
    return `On its words, the chance it is ${level("P0")} is ${percent(m[1])} and that of danger to people ${percent(m[3])}; with both that high triage first treats it as Critical, because a missed danger costs more than a wasted visit.`;
  if ((m = text.match(/^model: (\d+) % of the words unknown( → at least P1)?$/)))
    return `Most of its words (${m[1]} %) are unknown to the automatic triage, perhaps another language${m[2] ? `, so it is treated as at least ${level("P1")} until a person reads it` : ", so a person should read it"}.`;
  if ((m = text.match(/^model: P0 ([\d.]+), over ([\d.]+) → at least P1$/)))
    return `On its words, the chance it is ${level("P0")} is ${percent(m[1])}; from ${percent(m[2])} it is treated as at least ${level("P1")}, so someone looks at it soon.`;
  if ((m = text.match(/^decision model: P0 ([\d.]+), over ([\d.]+)(?: \((\d+) % of the words unknown\))? → P0 instead of (P\d)$/)))
    return `Weighing all of the above together, it is ${percent(m[1])} likely to be ${level("P0")}; ${m[3] ? `with ${m[3]} % of its words unknown to the automatic triage, ` : ""}from ${percent(m[2])} it is treated as Critical rather than ${level(m[4])}, because a missed danger costs more than a wasted visit.`;
  if ((m = text.match(/^decision model: (?<level>P\d) (?<chance>[\d.]+), P0 (?<p0>[\d.]+)(?<over> over [\d.]+)?(?:, spread: (?<likeliest>P\d) (?<likely>[\d.]+) likeliest, P\d within one level of (?<near>[\d.]+))? → (?<to>P\d) instead of (?<from>P\d)(?:, not lower (?<held>after a danger reading|while most words are unknown|for a faulty safety system))?$/))) {
    const g = m.groups;
    // A spread reading (no level over one half) is decided by its middle, and says so.
    const weighed = g.likeliest ?
      `Weighing all of the above together, the reading is spread: ${level(g.likeliest)} is likeliest at ${percent(g.likely)}, and ${level(g.level)} is within one level of ${percent(g.near)} of it` :
      `Weighing all of the above together, it reads most like ${level(g.level)}, ${percent(g.chance)} sure`;
    if (g.over) return `${weighed}, but with ${level("P0")} still ${percent(g.p0)} likely it is treated as ${level(g.to)} rather than ${level(g.from)}, so someone looks at it soon.`;
    if (g.held === "for a faulty safety system") return `${weighed}, but a safety system that does not work stays at least ${level(g.to)} rather than ${level(g.from)}, so someone looks at it soon.`;
    if (g.held === "after a danger reading") return `${weighed}, but after a sign of danger it stays at least ${level(g.to)} rather than ${level(g.from)}, so someone looks at it soon.`;
    if (g.held) return `${weighed}, but most of its words are unknown to the automatic triage, so it stays at least ${level(g.to)} rather than ${level(g.from)} until a person reads it.`;
    return `${weighed}, so it is ${level(g.to)} rather than ${level(g.from)}.`;
  }
  if ((m = text.match(/^danger model: (.+) \(P0 ([\d.]+)\)( → at least P0)?$/)))
    return `${dangerWords(m[1])} (${percent(m[2])} likely to be danger to people now)${m[3] ? `, ${treated("P0", final)}` : ", not enough on its own to make it Critical"}.`;
  if ((m = text.match(/^model: (P\d) ([\d.]+)/)))
    return `On its words alone, it reads most like other reports rated ${PRIORITY_WORD[m[1]] ?? m[1]} (${percent(m[2])} sure).`;
  if ((m = text.match(/^category: ([a-z_]+) ([\d.]+)/)))
    return `Its category looks like ${categoryTitle(m[1])} (${percent(m[2])} sure).`;
  if (!text) return null;
  // Anything newer than this page: without the code words.
  return text.replace(/^(rule|model|category): /, "").replaceAll("→", "so").replace(/^./, (c) => c.toUpperCase());
}

/** A danger reading under 20 % that set no floor weighed little: "Its words match signs of a drop
 *  or a hole and electricity (1 % likely …)" on a request for no-smoking signs, and "signs of
 *  electricity and structural damage … (18 % likely …)" on a FIRE SALE poster, only puzzled people. */
const NEGLIGIBLE_DANGER = /^danger model: .+ \(P0 0\.[01]\d\)$/;
/** The word model's summary ("model: P0 0.89, P2 0.03"), said again when a line before already gave its Critical chance. */
const CRITICAL_SUMMARY = /^model: P0 [\d.]+, P\d [\d.]+$/;
/** The reasons a person reads under "Why this priority?": every signal in plain words, less the
 *  ones that did not weigh or only repeat a number already given. */
export const explainTriage = (triage) => {
  const signals = triage?.signals ?? [];
  const chanceGiven = signals.some((s) => /^model: P0 [\d.]+,? over /.test(s));
  const reasons = signals.filter((s) => !NEGLIGIBLE_DANGER.test(s) && !(chanceGiven && CRITICAL_SUMMARY.test(s))).map((s) => explainSignal(s, triage?.priority)).filter(Boolean);
  // With no rule or reading before it, the decision's sentence has no "above" to weigh.
  if (reasons[0]?.startsWith(WEIGHED_ABOVE)) reasons[0] = "Weighing everything in the report" + reasons[0].slice(WEIGHED_ABOVE.length);
  return reasons;
};
const WEIGHED_ABOVE = "Weighing all of the above together";

/** The first reason on a ticket whose priority staff changed after it was reported: the reasons
 *  below it are the automatic triage's, which a technician lowering a Critical ticket to High had
 *  left under a "High" badge saying "so it is treated as Critical (P0)". */
export const changedByStaff = (triage, current) =>
  current && triage?.priority && current !== triage.priority ?
  `Staff changed its priority to ${level(current)}. The automatic triage had rated it ${level(triage.priority)}, for the reasons below.` :
  null;

/** "Why this priority?" disclosure; `open` starts it open, `onToggle(open)` hears the person open or
 *  close it; `current` is the ticket's priority now, when staff may have changed it. */
export function whyDetails(triage, { open = false, onToggle, current } = {}) {
  const reasons = [changedByStaff(triage, current), ...explainTriage(triage)].filter(Boolean);
  if (!reasons.length) return null;
  const details = h("details", { class: "why", open }, h("summary", { "data-focus-key": "why-summary", text: "Why this priority?" }), h("ul", {}, reasons.map((reason) => h("li", { text: reason }))));
  if (onToggle) details.addEventListener("toggle", () => onToggle(details.open));
  return details;
}

// The description --------------------------------------------------------------------------

const LONG_DESCRIPTION = 220;

/** The whole description; a long one starts clamped with a "Show more" / "Show less" toggle. */
export function descriptionBlock(ticket, { expanded = false, onToggle } = {}) {
  const text = ticket.description ?? "";
  const long = text.length > LONG_DESCRIPTION || text.split("\n").length > 4;
  const id = nextId("desc");
  const p = h("p", { class: `ticket-desc${long && !expanded ? " is-clamped" : ""}`, id, text });
  if (!long) return h("div", { class: "desc-wrap" }, p);
  const toggle = h("button", { type: "button", class: "link-button desc-toggle", "data-focus-key": "desc-toggle", "aria-controls": id, "aria-expanded": String(expanded), text: expanded ? "Show less" : "Show more" });
  toggle.addEventListener("click", () => {
    const open = p.classList.toggle("is-clamped") === false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? "Show less" : "Show more";
    onToggle?.(open);
  });
  return h("div", { class: "desc-wrap" }, p, toggle);
}

// History ----------------------------------------------------------------------------------

/** The ticket's history as a timeline, oldest first. */
export function historyTimeline(history, userId) {
  if (!history?.length) return h("p", { class: "muted small", text: "No changes yet." });
  return h("ol", { class: "timeline", id: "ticket-history" }, history.map((entry) => {
    const who = entry.by === null || entry.by === undefined ? "The system" : isMine(entry.by, userId) ? "You" : entry.by_name || "Someone";
    return h("li", { class: "timeline-item" },
      h("p", { class: "timeline-change keeps-lines", text: entry.change }),
      h("p", { class: "muted small" }, `${who} · `, h("time", { datetime: entry.at, text: formatDateTime(entry.at) })));
  }));
}

// SLA --------------------------------------------------------------------------------------

/** A countdown that follows the ticket's SLA; call .tick() to refresh. */
export function slaBadge(ticket) {
  const el = h("span", { class: "sla", "data-sla": "" });
  const tick = () => {
    if (ticket.status === "waiting_on_reporter") {
      el.className = `sla sla-paused${ticket.sla_breached ? " sla-breached" : ""}`;
      clear(el, icon("timer"), ticket.sla_breached ? "Breached · clock paused" : "Clock paused: waiting on the reporter");
      return;
    }
    if (!OPEN_STATUSES.has(ticket.status)) {
      el.className = "sla sla-done";
      el.textContent = ticket.sla_breached ? "Response target was missed" : "Done";
      return;
    }
    const left = countdown(ticket.sla_due_at);
    const breached = ticket.sla_breached || left.overdue;
    el.className = `sla ${breached ? "sla-breached" : "sla-ok"}`;
    clear(el, icon("timer"), breached ? `Breached · ${left.text}` : left.text);
  };
  tick();
  el.tick = tick;
  return el;
}

export function tickAll(root) {
  for (const el of root.querySelectorAll("[data-sla]")) el.tick?.();
}

// Comments ---------------------------------------------------------------------------------

const COMMENT_PAGE = 50;

/** Comment thread with a small form; `load` shows the newest page, "Show earlier comments" the rest. */
export function commentThread(ticket, { userId, onPosted, photos = false }) {
  const list = h("ol", { class: "comments" });
  const earlier = h("button", { type: "button", class: "btn btn-ghost btn-small earlier-comments", "data-focus-key": "earlier-comments", hidden: true, text: "Show earlier comments" });
  const input = h("textarea", { rows: "2", maxlength: "2000", placeholder: "Add a comment…", "aria-label": "Comment", class: "comment-input", "data-focus-key": "comment-input" });
  const send = h("button", { type: "submit", class: "btn btn-primary btn-small", "data-focus-key": "comment-send", text: "Send" });
  const error = h("p", { class: "form-error", role: "alert" });
  // On the ticket's page a comment may carry photos (sent once the comment is stored).
  const pickId = nextId("comment-photos");
  const pick = photos ? h("input", { type: "file", id: pickId, accept: PHOTO_TYPES, multiple: true, class: "photo-input", "data-action": "comment-photos" }) : null;
  let first = 0; // offset of the oldest comment shown
  const box = h("div", { class: "thread" }, earlier, list,
    h("form", {
      class: "comment-form",
      onsubmit: async (event) => {
        event.preventDefault();
        const body = input.value.trim();
        if (!body) { error.textContent = "Write something first."; return; }
        error.textContent = "";
        await busy(send, async () => {
          try {
            const comment = await api(`/api/tickets/${encodeURIComponent(ticket.id)}/comments`, { method: "POST", body: { body } });
            input.value = "";
            const files = pick ? [...pick.files] : [];
            if (pick) pick.value = "";
            const sent = files.length ? await uploadPhotos(ticket.id, files.slice(0, MAX_PHOTOS), { commentId: comment.id }) : { refused: [] };
            if (files.length > MAX_PHOTOS) sent.refused.push(`Only ${MAX_PHOTOS} photos go with a comment.`);
            if (sent.refused.length) error.textContent = `The comment is posted, but not every photo was added: ${sent.refused.join(" ")}`;
            await load();
            await onPosted?.();
          } catch (e) { error.textContent = e.message; }
        });
        input.focus();
      }
    }, input, pick ? h("label", { class: "small comment-photos", for: pickId }, "Attach photos ", pick) : null, send), error);
  const who = (c) => (isMine(c.author_id, userId) ? "You" : c.author_name || (String(c.author_id) === String(ticket.created_by) ? "Reporter" : "Facilities"));
  const item = (c) => h("li", { class: `comment${isMine(c.author_id, userId) ? " mine" : ""}`, "data-comment-id": String(c.id ?? "") },
    h("span", { class: "comment-meta", text: `${who(c)} · ${timeAgo(c.created_at)}` }),
    h("p", { text: c.body }));
  const path = `/api/tickets/${encodeURIComponent(ticket.id)}/comments`;

  function showEarlier() {
    earlier.hidden = first <= 0;
    earlier.textContent = first > 0 ? `Show earlier comments (${first} more)` : "Show earlier comments";
  }
  async function load() {
    try {
      let { items, total } = await apiList(path, { limit: COMMENT_PAGE, offset: 0 });
      first = 0;
      if (total > items.length) {
        first = Math.max(0, total - COMMENT_PAGE);
        ({ items } = await apiList(path, { limit: COMMENT_PAGE, offset: first }));
      }
      clear(list, items.length ? items.map(item) : h("li", { class: "muted small", text: "No comments yet." }));
      showEarlier();
    } catch (e) { toast(e.message, "error"); }
  }
  earlier.addEventListener("click", () => busy(earlier, async () => {
    try {
      const offset = Math.max(0, first - COMMENT_PAGE);
      const { items } = await apiList(path, { limit: first - offset, offset });
      first = offset;
      list.prepend(...items.map(item));
    } catch (e) { toast(e.message, "error"); }
  }).then(() => {
    showEarlier();
    (earlier.hidden ? list.querySelector("li") : earlier)?.focus?.();
  }));
  box.load = load;
  return box;
}

/** Disclosure button + region for a ticket's comments. */
export function commentsToggle(ticket, ctx) {
  const regionId = nextId("cm");
  const thread = commentThread(ticket, ctx);
  const region = h("div", { id: regionId, class: "comments-region", hidden: true }, thread);
  const button = h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-expanded": "false", "aria-controls": regionId, "data-action": "comments", "data-focus-key": "comments" }, icon("comment"), "Comments");
  button.addEventListener("click", async () => {
    const open = region.hidden;
    region.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) await thread.load();
  });
  return { button, region, thread, isOpen: () => !region.hidden };
}

// Focus across a re-render -----------------------------------------------------------------

/** Where focus is inside `root`: the ticket and the control (data-focus-key), to find again after a re-render. */
export function focusSpot(root) {
  const active = document.activeElement;
  if (!active || !root.contains(active)) return null;
  const key = active.closest("[data-focus-key]")?.dataset.focusKey;
  const ticketId = active.closest("[data-ticket-id]")?.dataset.ticketId ?? null;
  return key ? { key, ticketId } : null;
}

/** Focus the same control again; `fallbacks` maps a key to the next one to try (a disabled Apply → its select). */
export function restoreFocus(root, spot, fallbacks = {}) {
  if (!spot) return;
  let key = spot.key;
  const scope = spot.ticketId === null ? root : root.querySelector(`[data-ticket-id="${CSS.escape(spot.ticketId)}"]`);
  if (!scope) return;
  for (let tries = 0; key && tries < 4; tries += 1) {
    const el = scope.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (el && !el.disabled && !el.hidden && el.getClientRects().length) {
      el.focus();
      return;
    }
    key = fallbacks[key];
  }
}
