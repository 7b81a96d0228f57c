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
      h("p", { text: `Someone has booked ${when}. Join the waiting list: when it frees up, the first in line gets it.` }),
      h("label", { class: "check", for: autoId }, autoBook, h("span", { text: "Book it for me automatically (within my booking limits); otherwise just tell me" })),
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
    h("p", { class: "muted small", text: "Booked slots you are waiting for. When one frees up and you are first in line, you are told or it is booked for you." }),
    list);

  function row(entry, held) {
    const room = rooms.get(String(entry.room_id));
    const what = `${room?.name ?? `Room ${entry.room_id}`}, ${slotLabel(entry.date, entry.start_time, entry.end_time)}`;
    const waiting = entry.status === "waiting";
    const leave = h("button", {
      type: "button",
      class: "btn btn-ghost btn-small",
      "data-action": "leave-waitlist",
      text: waiting ? "Leave" : "Remove",
      "aria-label": waiting ? `Leave the line for ${what}` : `Remove ${what} from your waiting lists (a booking made for you stays)`
    });
    leave.addEventListener("click", async () => {
      leave.disabled = true;
      try {
        await api(`/api/bookings/waitlist/${encodeURIComponent(entry.id)}`, { method: "DELETE" });
        await load();
        say(waiting ? `You left the line for ${what}.` : `Removed ${what} from your waiting lists.`);
        const next = list.querySelector('[data-action="leave-waitlist"]') ?? el.querySelector(".section-title");
        next?.setAttribute("tabindex", next.matches("button") ? "0" : "-1");
        next?.focus();
      } catch (e) {
        leave.disabled = false;
        say(plainMessage(e), true);
      }
    });
    return h("div", { class: "list-row", "data-waitlist-id": String(entry.id) },
      h("div", { class: "grow" },
        h("p", { class: "row-title", text: what }),
        h("p", { class: "muted small waitlist-state", text: stateNow(entry, held) })),
      h("div", { class: "row-actions" }, leave));
  }

  /** The entry's state as of now: a slot since booked (by them or for them) or given up says so. */
  function stateNow(entry, held) {
    const booked = held.some((b) => String(b.room_id) === String(entry.room_id) && b.date === entry.date && b.start_time < entry.end_time && entry.start_time < b.end_time);
    if (entry.status === "offered" && booked) return "You booked it.";
    if (entry.status === "booked" && !booked) return "It was booked for you; that booking has since been cancelled.";
    return `${entryState(entry)}${entry.auto_book && entry.status === "waiting" ? " · will be booked for you" : ""}`;
  }

  async function load() {
    try {
      const [entries, held] = await Promise.all([
        api("/api/bookings/waitlist", { query: { limit: 100 } }),
        api("/api/bookings", { query: { status: "confirmed", limit: 200 } }).catch(() => []),
      ]);
      el.hidden = !entries.length;
      clear(list, entries.map((entry) => row(entry, held)));
    } catch (e) {
      el.hidden = false;
      clear(list, h("p", { class: "form-error", text: plainMessage(e) }));
    }
  }

  return { el, load };
}
