// "Find a ticket": every ticket the signed-in person may see — their own, or for technicians all —
// searched by words (title, description, location and resolution), status, category, location and
// the days it was reported. Closed tickets stay findable here (the archive). Paged with "Show more".
import { apiList } from "./api.js";
import { h, clear, field, select, empty, errorBox, busy, formatDateTime, toast } from "./ui.js";
import { statusChip, categoryChip, ticketLink, categoryTitle, CATEGORIES, STATUS_LABEL } from "./tickets-common.js";

const PAGE = 20;

export function ticketSearch() {
  const words = h("input", { type: "search", id: "archive-q", maxlength: "200", placeholder: "e.g. projector cable" });
  const status = select([
    ["", "Any status"], ...Object.entries(STATUS_LABEL)
  ], { id: "archive-status" });
  const category = select([
    ["", "Any category"], ...CATEGORIES.map((c) => [c, categoryTitle(c)])
  ], { id: "archive-category" });
  const where = h("input", { type: "text", id: "archive-location", maxlength: "200", placeholder: "e.g. Library" });
  const from = h("input", { type: "date", id: "archive-from" });
  const to = h("input", { type: "date", id: "archive-to" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", id: "archive-submit", text: "Search" });
  const summary = h("p", { class: "muted small", id: "archive-summary", role: "status", "aria-live": "polite" });
  const results = h("div", { class: "ticket-list", id: "archive-results" });
  const more = h("button", { type: "button", class: "btn btn-ghost", id: "archive-more", hidden: true, text: "Show more" });
  const form = h("form", { class: "archive-form", id: "archive-form", role: "search", "aria-label": "Find a ticket" },
    h("div", { class: "form-grid" },
      field("Words", words, "In the title, details, place or resolution"),
      field("Status", status),
      field("Category", category),
      field("Where", where),
      field("Reported from", from),
      field("Reported until", to)),
    h("div", { class: "form-actions" }, submit));

  let query = {};
  let shown = 0;
  let total = 0;

  const row = (t) => h("article", { class: "ticket-card archive-row", "data-ticket-id": String(t.id), "data-status": t.status },
    h("div", { class: "ticket-top" }, ticketLink(t), statusChip(t.status), categoryChip(t.category)),
    h("h3", { class: "ticket-title", text: t.title }),
    h("p", { class: "muted small ticket-meta", text: `${t.location} · reported ${formatDateTime(t.created_at)}` }),
    t.resolution ? h("p", { class: "small archive-resolution keeps-lines", text: `Resolution: ${t.resolution}` }) : null);

  async function fetchPage(offset) {
    return apiList("/api/tickets", { ...query, order: "newest", limit: PAGE, offset });
  }

  function showCount() {
    summary.textContent = total === 0 ? "No ticket matches." : `${total} ${total === 1 ? "ticket matches" : "tickets match"}; showing ${shown}.`;
    more.hidden = shown >= total;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // ISO days compare as text.
    if (from.value && to.value && to.value < from.value) {
      to.setAttribute("aria-invalid", "true");
      clear(results, errorBox("“Reported until” is before “Reported from”: choose a day on or after it."));
      summary.textContent = "";
      more.hidden = true;
      to.focus();
      return;
    }
    to.removeAttribute("aria-invalid");
    query = Object.fromEntries(Object.entries({
      q: words.value.trim(),
      status: status.value,
      category: category.value,
      location: where.value.trim(),
      created_from: from.value,
      created_to: to.value
    }).filter(([, v]) => v));
    busy(submit, async () => {
      try {
        const page = await fetchPage(0);
        total = page.total;
        shown = page.items.length;
        clear(results, page.items.length ? page.items.map(row) : empty("Nothing found", "Try fewer words or a wider range of days.", "search"));
        showCount();
      } catch (e) {
        clear(results, errorBox(e.message));
        summary.textContent = "";
        more.hidden = true;
      }
    });
  });
  more.addEventListener("click", () => busy(more, async () => {
    const before = shown;
    try {
      const page = await fetchPage(shown);
      total = page.total;
      shown += page.items.length;
      results.append(...page.items.map(row));
    } catch (e) {
      toast(e.message, "error");
    }
    showCount();
    results.querySelectorAll("[data-ticket-id]")[before]?.querySelector(".ticket-number")?.focus();
  }));

  return h("section", { class: "section", "aria-labelledby": "archive-title" },
    h("h2", { class: "section-title", id: "archive-title", text: "Find a ticket" }),
    h("p", { class: "muted small", text: "Search every ticket you can see, closed ones included." }),
    form, summary, results, h("div", { class: "list-more" }, more));
}
