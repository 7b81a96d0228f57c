// "Subscribe in your calendar app": the private calendar address (GET /api/bookings/feed) that
// calendar apps fetch without a token (`/calendar/<secret>.ics`), with a Copy button, a webcal://
// link and a reset behind a confirmation (POST /api/bookings/feed/reset: the old address stops
// working at once). Faculty and admins may also follow one room: the feed's `room_path_template`
// with `{room_id}` filled in from a room picker. A role without an address (403) gets no section at
// all, not an error. The addresses are secrets: their fields are marked data-keep="no", so they are
// never saved with the page's other fields when a session ends (ui.js formSnapshot).
//
//   const feed = calendarFeedSection({ ownFeed: true });   // false: room calendars only (admins)
//   root.append(feed.el);
//   feed.load();                                            // not awaited: the page does not wait
//   feed.refreshRooms();                                    // after the room catalogue changed
import { api, apiAll } from "./api.js";
import { h, clear, skeleton, errorBox, confirmDialog, select } from "./ui.js";
import { icon } from "./icons.js";
import { plainMessage, steadyBusy } from "./plain.js";

/** The full address of a path on this site, and the same for a calendar app (webcal://). */
const httpAddress = (path) => `${location.origin}${path}`;
const webcalAddress = (path) => `webcal://${location.host}${path}`;

export function calendarFeedSection({ ownFeed = true } = {}) {
  const title = ownFeed ? "Subscribe in your calendar app" : "Subscribe to room calendars";
  const section = h("section", { class: "card calendar-feed", id: "calendar-feed", "aria-labelledby": "calendar-feed-title", "aria-busy": "true" });
  const heading = h("h2", { class: "calendar-feed-title", id: "calendar-feed-title" }, icon("calendar"), h("span", { text: title }));
  const body = h("div", { class: "calendar-feed-body" }, skeleton(2));
  const status = h("p", { class: "calendar-feed-status", id: "calendar-feed-status", role: "status", "aria-live": "polite" });
  section.append(heading, body, status);

  let feed = null;
  let roomPicker = null;

  /** A sentence in a live region (`region`, else the section's); the same sentence again is announced again. */
  function say(text, error = false, region = status) {
    region.classList.toggle("is-error", error);
    if (region.textContent === text) {
      region.textContent = "";
      setTimeout(() => { region.textContent = text; }, 100);
    } else {
      region.textContent = text;
    }
  }

  /**
   * Copies the field's address and says so next to the button (where the eyes are, also on a
   * phone); without a clipboard the address is selected for the person to copy.
   */
  async function copy(input, what, region) {
    const text = input.value;
    if (!text) return;
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      say(`Copied ${what}.`, false, region);
    } catch {
      input.focus();
      input.setSelectionRange(0, text.length);
      say(`Copying is not available here, so ${what} is selected: copy it with Ctrl+C (Cmd+C on a Mac) or your device's Copy.`, false, region);
    }
  }

  /** A read-only address field with its Copy button and its "Open in calendar app" link. */
  function addressBlock({ id, label, hint, what }) {
    const input = h("input", {
      type: "text",
      id,
      class: "calendar-feed-url",
      readonly: true,
      spellcheck: "false",
      autocomplete: "off",
      "data-keep": "no",
      "aria-describedby": `${id}-hint`,
    });
    // one click or Tab into the field selects the whole address, ready to copy
    input.addEventListener("focus", () => input.select());
    const copyButton = h("button", { type: "button", class: "btn btn-ghost", id: `${id}-copy`, "aria-label": `Copy ${what}`, text: "Copy" });
    const copied = h("p", { class: "calendar-feed-copied", id: `${id}-status`, role: "status" });
    copyButton.addEventListener("click", () => copy(input, what, copied));
    const webcal = h("a", { class: "btn btn-ghost", id: `${id}-webcal`, href: "#", "aria-label": `Open in calendar app: ${what}` }, icon("external-link"), "Open in calendar app");
    const wrap = h("div", { class: "field calendar-feed-field" },
      h("label", { for: id, text: label }),
      h("div", { class: "calendar-feed-address" }, input, copyButton),
      copied,
      h("p", { class: "field-hint", id: `${id}-hint`, text: hint }),
      h("div", { class: "calendar-feed-actions" }, webcal));
    return {
      wrap,
      show(path) {
        const value = path ? httpAddress(path) : "";
        if (value !== input.value) copied.textContent = ""; // "Copied" was about the previous address
        input.value = value;
        webcal.href = path ? webcalAddress(path) : "#";
      },
    };
  }

  const own = addressBlock({
    id: "calendar-feed-url",
    label: "Your calendar address",
    hint: "Paste it where your calendar app adds a calendar \"from URL\" or \"by subscription\" (Google Calendar, Apple Calendar, Outlook).",
    what: "your calendar address",
  });
  const reset = h("button", { type: "button", class: "btn btn-danger-ghost", id: "calendar-feed-reset" }, icon("refresh"), "Reset address");
  reset.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: ownFeed ? "Reset your calendar address?" : "Reset your room calendar addresses?",
      message: ownFeed ?
        `You get a new address and the current one stops working at once: calendar apps subscribed to it stop updating until you subscribe again with the new address.${feed?.room_path_template ? " Your room calendar addresses change too." : ""}` : "Your room calendar addresses change and the current ones stop working at once: calendar apps subscribed to them stop updating until you subscribe again.",
      confirmLabel: "Reset address",
      cancelLabel: "Keep address",
      danger: true,
    });
    reset.focus();
    if (!ok) return;
    await steadyBusy(reset, async () => {
      try {
        show(await api("/api/bookings/feed/reset", { method: "POST" }));
        say(ownFeed ?
          "Your calendar address was reset. The old address has stopped working: subscribe again with the new one above, and remove the old calendar from your apps." :
          "Your room calendar addresses were reset. The old ones have stopped working: subscribe again with the new ones.");
      } catch (error) {
        say(plainMessage(error), true);
      }
    });
  });

  /** The room picker and the chosen room's address (faculty and admins). */
  function makeRoomPicker() {
    const picker = select([], { id: "calendar-feed-room" });
    const address = addressBlock({
      id: "calendar-feed-room-url",
      label: "Room calendar address",
      hint: "A room's calendar shows when it is taken, never who booked it or why.",
      what: "the room calendar address",
    });
    const note = h("p", { class: "muted small", id: "calendar-feed-room-note" });
    // an admin's section is about rooms alone: its heading and explanation already say this
    const wrap = h("div", { class: "calendar-feed-rooms", id: "calendar-feed-rooms" },
      ownFeed ? h("h3", { text: "Room calendars" }) : null,
      ownFeed ? h("p", { class: "muted", text: "Follow a room in your calendar app to see when it is booked." }) : null,
      h("div", { class: "field" }, h("label", { for: picker.id, text: "Room" }), picker),
      note,
      address.wrap);
    const update = () => {
      const template = feed?.room_path_template;
      const room = picker.value;
      address.show(template && room ? template.replace("{room_id}", encodeURIComponent(room)) : "");
    };
    picker.addEventListener("change", update);
    return {
      wrap,
      update,
      fill(list) {
        const chosen = picker.value;
        clear(picker, list.map((room) => h("option", { value: String(room.id), text: `${room.name}, ${room.building}` })));
        if (list.some((room) => String(room.id) === chosen)) picker.value = chosen;
        note.textContent = list.length ? "" : "There are no rooms to follow yet.";
        picker.disabled = !list.length;
        update();
      },
    };
  }

  async function loadRooms() {
    const { items } = await apiAll("/api/rooms");
    roomPicker?.fill(items);
  }

  /** Shows an address (from GET /feed or a reset) in the fields. */
  function show(next) {
    feed = next;
    own.show(feed.path);
    roomPicker?.update();
  }

  function explanation(minutes) {
    const every = `Calendar apps check for changes about every ${minutes} minutes (some apps less often).`;
    return ownFeed ? [h("p", { class: "muted", text: "Your bookings show up in your phone's or computer's calendar; a booking you change moves there too, and one you cancel is marked cancelled." }),
      h("p", { class: "calendar-feed-private", id: "calendar-feed-private" }, icon("warning"),
        h("span", { text: `This address is private: anyone who has it can see your bookings, without signing in. Do not share it; if it gets out, reset it. ${every}` }))
    ] : [h("p", { class: "muted", text: "Follow when a room is booked, in your phone's or computer's calendar." }),
      h("p", { class: "calendar-feed-private", id: "calendar-feed-private" }, icon("warning"),
        h("span", { text: `These addresses are private: anyone who has one can see when that room is booked, without signing in. Do not share them; if one gets out, reset it. ${every}` }))
    ];
  }

  async function load() {
    section.setAttribute("aria-busy", "true");
    try {
      const first = await api("/api/bookings/feed");
      feed = first;
      if (first.room_path_template) {
        roomPicker = makeRoomPicker();
        await loadRooms();
      }
      clear(body, explanation(first.refresh_minutes ?? 15), ownFeed ? own.wrap : null, roomPicker?.wrap ?? null,
        h("div", { class: "calendar-feed-actions calendar-feed-reset" }, reset));
      show(first);
    } catch (error) {
      // No address for this role (technicians): no section, and nothing to apologise for.
      if (error?.status === 403) {
        section.remove();
        return;
      }
      clear(body, errorBox(plainMessage(error)));
    } finally {
      section.removeAttribute("aria-busy");
    }
  }

  return {
    el: section,
    load,
    /** The room catalogue changed (admin's Rooms page): the picker lists the rooms anew. */
    async refreshRooms() {
      if (!roomPicker) return;
      try { await loadRooms(); } catch (error) { say(plainMessage(error), true); }
    },
  };
}
