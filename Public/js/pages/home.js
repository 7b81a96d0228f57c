// Home: a greeting, shortcuts to the pages of the role, and the latest notices.
import { api } from "../api.js";
import { h, clear, skeleton, empty, timeAgo, ROLE_LABEL } from "../ui.js";
import { routesFor } from "../app.js";
import { icon } from "../icons.js";

const TILES = {
  book: ["calendar", "Find a free room and book it in two clicks."],
  bookings: ["calendar-days", "Your upcoming bookings and calendar feed."],
  gpa: ["graduation-cap", "Work out your GPA and plan your target."],
  tickets: ["wrench", "Report a problem and follow the fix live."],
  queue: ["toolbox", "The live maintenance queue, by priority and SLA."],
  users: ["users", "Create accounts, change roles, remove users."],
  rooms: ["door", "The room catalogue that students and faculty book."],
  status: ["pulse", "Health of every service and recent sign-ins."],
  notifications: ["bell", "Campus notices and updates on your bookings and tickets."],
};

function greeting() {
  const hour = new Date().getHours();
  return hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";
}

export async function render(root, { user, notices, onCleanup }) {
  const first = (user.name || "").split(" ").filter((part) => !part.endsWith(".")).at(0) || user.name;
  root.append(h("section", { class: "hero-card" },
    h("div", {},
      h("p", { class: "eyebrow", text: ROLE_LABEL[user.role] }),
      h("h1", { id: "page-title", tabindex: "-1", text: `${greeting()}, ${first}` }),
      h("p", { class: "muted", text: "What would you like to do today?" }))));

  const tiles = h("div", { class: "tile-grid" });
  for (const route of routesFor(user.role)) {
    const tile = route.path === "notifications" && user.role === "admin" ? ["bell", "Your notices, and sending new ones to a person, a role or everyone."] : TILES[route.path];
    if (!tile) continue;
    tiles.append(h("a", { class: "tile", href: `#/${route.path}` },
      h("span", { class: "tile-icon", "aria-hidden": "true" }, icon(tile[0])),
      h("span", { class: "tile-title", text: route.label }),
      h("span", { class: "tile-text", text: tile[1] })));
  }
  root.append(tiles);

  const latest = h("div", { class: "list" }, skeleton(2));
  root.append(h("section", { class: "card" },
    h("div", { class: "card-head" }, h("h2", { text: "Latest notices" }), h("a", { href: "#/notifications", text: "See all" })),
    latest));
  // The newest three, kept up to date by the bell's socket (a new one on top, each once).
  let items = null;
  const row = (n) => h("div", { class: `list-row notice level-${n.level}${n.read ? "" : " unread"}` },
    h("div", { class: "grow" }, h("p", { class: "notice-title", text: n.title }), h("p", { class: "muted small", text: n.message })),
    h("span", { class: "muted small nowrap", text: timeAgo(n.created_at) }));
  const draw = () => clear(latest, items.length ? items.map(row) : empty("You're all caught up", "No notices yet.", "inbox"));
  const arrived = [];
  const onNotice = (event) => {
    const n = event.detail?.notification;
    if (!n || arrived.some((a) => String(a.id) === String(n.id))) return;
    arrived.push(n);
    if (!items || items.some((a) => String(a.id) === String(n.id))) return;
    items = [n, ...items].slice(0, 3);
    draw();
  };
  notices?.addEventListener("notification", onNotice);
  onCleanup?.(() => notices?.removeEventListener("notification", onNotice));
  try {
    const got = await api("/api/notifications", { query: { limit: 3 } });
    const known = new Set(got.map((n) => String(n.id)));
    items = [...arrived.filter((n) => !known.has(String(n.id))).reverse(), ...got].slice(0, 3);
    draw();
  } catch (error) {
    clear(latest, h("p", { class: "form-error", text: error.message }));
  }
}
