// "E-mail" on the profile page: which notices also come by e-mail. Five checkboxes loaded from
// GET /api/notifications/preferences and saved one at a time, as soon as one changes, with
// PUT /api/notifications/preferences {"email": {"<key>": <bool>}} (the answer is the full view and
// is shown as it comes). While a choice is saved the boxes are disabled; "Saved." is said in a
// polite live region, a refusal in the section's alert (and the box goes back to what the server
// has). When the server sends no e-mail (`email_available` false) the boxes still work and a note
// says the choices take effect once it does. The boxes are never kept across a sign-in
// (data-keep="no", ui.js formSnapshot): each one is saved the moment it changes.
//
//   const mail = mailPreferencesSection();
//   root.append(mail.el);
//   mail.load();                 // not awaited: the page does not wait
import { api } from "./api.js";
import { h, clear, skeleton, errorBox } from "./ui.js";
import { icon } from "./icons.js";
import { plainMessage } from "./plain.js";

/** The preference keys (the spec's order) and how they are called on the page. */
const KINDS = [
  { key: "booking_updates", label: "Booking confirmations and cancellations" },
  { key: "ticket_updates", label: "Updates on my tickets" },
  { key: "assignments", label: "Tickets assigned to me", technical: true },
  { key: "sla_breaches", label: "SLA breaches", technical: true },
  { key: "broadcasts", label: "Announcements from administrators" },
];

export function mailPreferencesSection() {
  const section = h("section", { class: "card mail-prefs", id: "mail-prefs", "aria-labelledby": "mail-prefs-title", "aria-busy": "true" });
  const heading = h("h2", { class: "mail-prefs-title", id: "mail-prefs-title" }, icon("inbox"), h("span", { text: "E-mail" }));
  const body = h("div", { class: "mail-prefs-body" }, skeleton(2));
  const error = h("p", { class: "form-error", id: "mail-prefs-error", role: "alert" });
  const status = h("p", { class: "mail-prefs-status", id: "mail-prefs-status", role: "status", "aria-live": "polite" });
  section.append(heading, body, error, status);

  const hintId = "mail-prefs-technical-hint";
  const boxes = new Map(KINDS.map(({ key, technical }) => [key, h("input", {
    type: "checkbox",
    id: `mail-pref-${key}`,
    name: `mail-pref-${key}`,
    "data-pref": key,
    "data-keep": "no",
    "aria-describedby": technical ? hintId : undefined,
  })]));
  const choices = h("fieldset", { class: "mail-prefs-choices", id: "mail-prefs-choices" },
    h("legend", { text: "Send me an e-mail about" }),
    KINDS.map(({ key, label }) => h("label", { class: "check", for: `mail-pref-${key}` }, boxes.get(key), h("span", { text: label }))),
    h("p", { class: "field-hint", id: hintId, text: "Assignments and SLA breaches are about technicians' work: they are on by default for technicians." }));
  const unavailable = h("p", { class: "mail-prefs-unavailable", id: "mail-prefs-unavailable", hidden: true }, icon("info"),
    h("span", { text: "This server does not send e-mail yet, so these choices take effect once it does." }));

  /** A sentence in the live region; the same sentence again is announced again. */
  function say(text) {
    if (status.textContent === text) {
      status.textContent = "";
      setTimeout(() => { status.textContent = text; }, 100);
    } else {
      status.textContent = text;
    }
  }

  /** Shows the server's view (GET, or the answer to a PUT). */
  function show(view) {
    for (const [key, box] of boxes) box.checked = view?.email?.[key] === true;
    unavailable.hidden = view?.email_available !== false;
  }

  let saving = false;

  async function save(box) {
    const key = box.dataset.pref;
    const wanted = box.checked;
    if (saving) { // cannot happen while the boxes are disabled; never send two at once
      box.checked = !wanted;
      return;
    }
    saving = true;
    error.textContent = "";
    status.textContent = "";
    // Disabling the focused box takes keyboard focus away: it comes back once the boxes are usable.
    const hadFocus = document.activeElement === box;
    choices.disabled = true;
    choices.setAttribute("aria-busy", "true");
    try {
      const email = {};
      email[key] = wanted; // only the box that changed
      show(await api("/api/notifications/preferences", { method: "PUT", body: { email } }));
      say("Saved.");
    } catch (problem) {
      box.checked = !wanted; // what the server still has
      error.textContent = plainMessage(problem);
    } finally {
      saving = false;
      choices.disabled = false;
      choices.removeAttribute("aria-busy");
      if (hadFocus && box.isConnected && (document.activeElement === document.body || document.activeElement === null)) box.focus({ preventScroll: true });
    }
  }

  choices.addEventListener("change", (event) => {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.dataset.pref) save(box);
  });

  async function load() {
    section.setAttribute("aria-busy", "true");
    try {
      const view = await api("/api/notifications/preferences");
      show(view);
      clear(body, h("p", { class: "muted", text: "Notices always show under Notifications. Choose which of them also come to your e-mail address." }), unavailable, choices);
    } catch (problem) {
      clear(body, errorBox(plainMessage(problem)));
    } finally {
      section.removeAttribute("aria-busy");
    }
  }

  return { el: section, load };
}
