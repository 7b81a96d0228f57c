// Waiting lists (issue 19, point 2). On the booking grid a taken slot opens `joinWaitlistDialog`: "Tell me
// if it frees up", optionally "book it for me"; on My bookings `waitlistSection` lists the slots one
// waits for (place in line, told, booked for you) with Leave.
import { api } from "./api.js";
import { h, clear, nextId, openDialog } from "./ui.js";
import { plainMessage } from "./plain.js";
import { slotLabel, datesInWords } from "./campus-time.js";

/** Resolves with the new entry, or null when dismissed. */
export function joinWaitlistDialog({ room, date, startTime, endTime }) {
  return new Promise((resolve) => {
    const titleId = nextId("wl");
    const autoId = nextId("wl-auto");
    const when = `${room?.name ?? "This room"}, ${slotLabel(date, startTime, endTime)}`;
    const autoBook = h("input", { type: "checkbox", id: autoId, name: "auto_book", checked: true });
    const error = h("p", { class: "form-error", role: "alert" });
    const join = h("button", { type: "submit", class: "btn btn-primary", "data-action": "confirm", text: "Join the waiting list" });
    const form = h("form", { method: "dialog", novalidate: "" },
      h("h2", { id: titleId, text: "Wait for this slot?" }),
      h("p", { text: `Someone has booked ${when}. If it frees up and you are first in line, you are told at once.` }),
      h("label", { class: "check", for: autoId }, autoBook, h("span", { text: "Book it for me then (within my booking limits)" })),
      error,
      h("div", { class: "dialog-actions" },
        h("button", { type: "button", class: "btn btn-ghost", "data-action": "cancel", text: "Not now" }), join));
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId }, form);
    const done = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      join.disabled = true;
      try {
        const entry = await api("/api/bookings/waitlist", {
          method: "POST",
          body: { room_id: Number(room?.id), date, start_time: startTime, end_time: endTime, auto_book: autoBook.checked },
        });
        done(entry);
      } catch (e) {
        error.textContent = datesInWords(plainMessage(e));
        join.disabled = false;
        join.focus();
      }
    });
    openDialog(dialog, () => done(null));
  });
}

/** What an entry's owner reads about it. */
export function entryState(entry) {
  switch (entry.status) {
    case "waiting":
      return entry.position === 1 ? "First in line" : `Number ${entry.position} in line`;
    case "offered":
      return "It is free: you were told. Book it before the next in line is told.";
    default:
      return "Booked for you";
  }
}

/** My bookings: the slots the caller waits for. `rooms`: id → room. */
export function waitlistSection({ rooms, say }) {
  const list = h("div", { class: "list card", id: "waitlist-list" });
  const el = h("section", { class: "section", id: "waitlist", hidden: true },
    h("h2", { class: "section-title", text: "Waiting lists" }),
    h("p", { class: "muted small", text: "Slots someone else holds that you asked to be told about, or booked into, if they free up." }),
    list);

  function row(entry) {
    const room = rooms.get(String(entry.room_id));
    const what = `${room?.name ?? `Room ${entry.room_id}`}, ${slotLabel(entry.date, entry.start_time, entry.end_time)}`;
    const leave = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "leave-waitlist", text: entry.status === "waiting" ? "Leave" : "Dismiss", "aria-label": `${entry.status === "waiting" ? "Leave the line for" : "Dismiss"} ${what}` });
    leave.addEventListener("click", async () => {
      leave.disabled = true;
      try {
        await api(`/api/bookings/waitlist/${encodeURIComponent(entry.id)}`, { method: "DELETE" });
        await load();
        say(entry.status === "waiting" ? `You left the line for ${what}.` : `Dismissed ${what}.`);
        (list.querySelector('[data-action="leave-waitlist"]') ?? el).focus?.();
      } catch (e) {
        leave.disabled = false;
        say(plainMessage(e), true);
      }
    });
    return h("div", { class: "list-row", "data-waitlist-id": String(entry.id) },
      h("div", { class: "grow" },
        h("p", { class: "row-title", text: what }),
        h("p", { class: "muted small waitlist-state", text: `${entryState(entry)}${entry.auto_book && entry.status === "waiting" ? " · will be booked for you" : ""}` })),
      h("div", { class: "row-actions" }, leave));
  }

  async function load() {
    try {
      const entries = await api("/api/bookings/waitlist", { query: { limit: 100 } });
      el.hidden = !entries.length;
      clear(list, entries.map(row));
    } catch (e) {
      el.hidden = false;
      clear(list, h("p", { class: "form-error", text: plainMessage(e) }));
    }
  }

  return { el, load };
}
