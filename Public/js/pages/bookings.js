// My bookings: upcoming first, cancel one, cancel the rest of a weekly series, and the .ics feed.
import { api } from "../api.js";
import { h, clear, skeleton, empty, errorBox, pageHeader, toast, busy, confirmDialog, isoDate, formatDay, select, field } from "../ui.js";

export async function render(root, { user }) {
  const today = isoDate(new Date());
  const rooms = new Map();
  const ics = h("a", { class: "btn btn-ghost", href: "/api/bookings/calendar.ics", id: "ics-link", download: "campus-bookings.ics" }, h("span", { "aria-hidden": "true", text: "📆 " }), "Calendar feed (.ics)");
  ics.addEventListener("click", async (event) => {
    // The feed needs the bearer token, so it is fetched and handed over as a file.
    event.preventDefault();
    try {
      const response = await api("/api/bookings/calendar.ics", { raw: true });
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: "campus-bookings.ics", hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 5000);
    } catch (error) {
      toast(error.message, "error");
    }
  });
  root.append(pageHeader("My bookings", "Your rooms, soonest first.", ics, h("a", { class: "btn btn-primary", href: "#/book", text: "Book a room" })));

  const show = select([
    ["upcoming", "Upcoming"],
    ["all", "All, including past and cancelled"]
  ]);
  root.append(h("div", { class: "toolbar" }, field("Show", show)));
  const list = h("div", { class: "list card", id: "booking-list" }, skeleton(3));
  root.append(list);

  async function load() {
    list.setAttribute("aria-busy", "true");
    try {
      if (!rooms.size)
        for (const room of await api("/api/rooms", { query: { limit: 200 } })) rooms.set(String(room.id), room);
      const query = show.value === "upcoming" ? { from: today, status: "confirmed", limit: 200 } : { limit: 200 };
      const items = await api("/api/bookings", { query });
      items.sort((a, b) => (a.date + a.start_time).localeCompare(b.date + b.start_time));
      if (!items.length) {
        clear(list, empty("No bookings yet", "Book a room and it will show up here.", "🗓️"));
        return;
      }
      const seriesSeen = new Set();
      clear(list, items.map((booking) => {
        const room = rooms.get(String(booking.room_id));
        const cancelled = booking.status === "cancelled";
        const firstOfSeries = booking.series_id && !seriesSeen.has(booking.series_id) && !cancelled;
        if (booking.series_id) seriesSeen.add(booking.series_id);
        const cancelOne = h("button", { type: "button", class: "btn btn-ghost btn-small", "data-action": "cancel", text: "Cancel" });
        cancelOne.addEventListener("click", async () => {
          const ok = await confirmDialog({ title: "Cancel this booking?", message: `${room?.name ?? "Room"}, ${formatDay(booking.date)} ${booking.start_time}–${booking.end_time}.`, confirmLabel: "Cancel booking", danger: true });
          if (!ok) return;
          await busy(cancelOne, async () => {
            try {
              await api(`/api/bookings/${encodeURIComponent(booking.id)}`, { method: "DELETE" });
              toast("Booking cancelled.", "success");
              await load();
            } catch (error) { toast(error.message, "error"); }
          });
        });
        let cancelSeries = null;
        if (firstOfSeries) {
          cancelSeries = h("button", { type: "button", class: "btn btn-danger-ghost btn-small", "data-action": "cancel-series", text: "Cancel series" });
          cancelSeries.addEventListener("click", async () => {
            const ok = await confirmDialog({ title: "Cancel the whole series?", message: "Every remaining week of this series will be cancelled.", confirmLabel: "Cancel series", danger: true });
            if (!ok) return;
            await busy(cancelSeries, async () => {
              try {
                await api(`/api/bookings/series/${encodeURIComponent(booking.series_id)}`, { method: "DELETE" });
                toast("Series cancelled.", "success");
                await load();
              } catch (error) { toast(error.message, "error"); }
            });
          });
        }
        const day = booking.date.split("-")[2];
        return h("div", { class: `list-row booking${cancelled ? " is-cancelled" : ""}`, "data-booking-id": String(booking.id), "data-series": booking.series_id ?? "" },
          h("div", { class: "date-badge", "aria-hidden": "true" }, h("span", { class: "date-day", text: String(Number(day)) }), h("span", { class: "date-month", text: formatDay(booking.date, { month: "short" }) })),
          h("div", { class: "grow" },
            h("p", { class: "row-title", text: room?.name ?? `Room ${booking.room_id}` }),
            h("p", { class: "muted small", text: `${formatDay(booking.date, { weekday: "long", day: "numeric", month: "long" })} · ${booking.start_time}–${booking.end_time} · ${booking.purpose || ""}` }),
            h("p", { class: "chips" },
              h("span", { class: `chip ${cancelled ? "chip-muted" : "chip-success"}`, text: booking.status }),
              booking.series_id ? h("span", { class: "chip chip-accent", text: "weekly series" }) : null)),
          cancelled || booking.date < today ? null : h("div", { class: "row-actions" }, cancelSeries, cancelOne));
      }));
    } catch (error) {
      clear(list, errorBox(error.message));
    } finally {
      list.removeAttribute("aria-busy");
    }
  }
  show.addEventListener("change", load);
  await load();
  void user;
}
