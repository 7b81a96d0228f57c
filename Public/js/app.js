// The shell: sign-in, role-based navigation (docs/contract.md §3), hash routing with guards,
// the notification bell and the live ticket feed.
import { api, session, onSessionExpired, ApiError } from "./api.js";
import { h, clear, $, toast, errorBox, spinner, ROLE_LABEL } from "./ui.js";
import { LiveFeed } from "./live.js";

/** Every page, and the roles allowed to see it (docs/contract.md §3). Order = navigation order. */
export const ROUTES = [
  { path: "home", label: "Home", roles: ["admin", "faculty", "student", "technician"], load: () => import("./pages/home.js") },
  { path: "book", label: "Book a room", roles: ["faculty", "student"], load: () => import("./pages/book.js") },
  { path: "bookings", label: "My bookings", roles: ["faculty", "student"], load: () => import("./pages/bookings.js") },
  { path: "gpa", label: "GPA", roles: ["faculty", "student"], load: () => import("./pages/gpa.js") },
  { path: "tickets", label: "Maintenance", roles: ["faculty", "student", "technician"], load: () => import("./pages/tickets.js") },
  { path: "queue", label: "Queue", roles: ["technician"], load: () => import("./pages/queue.js") },
  { path: "users", label: "Users", roles: ["admin"], load: () => import("./pages/users.js") },
  { path: "rooms", label: "Rooms", roles: ["admin"], load: () => import("./pages/rooms.js") },
  { path: "status", label: "System status", roles: ["admin"], load: () => import("./pages/status.js") },
  { path: "notifications", label: "Notifications", roles: ["admin", "faculty", "student", "technician"], load: () => import("./pages/notifications.js"), nav: false },
  { path: "profile", label: "Profile", roles: ["admin", "faculty", "student", "technician"], load: () => import("./pages/profile.js"), nav: false },
];

export const routesFor = (role) => ROUTES.filter((route) => route.roles.includes(role));

const DEMO_ACCOUNTS = [
  ["admin@example.com", "admin123", "admin"],
  ["faculty@example.com", "faculty123", "faculty"],
  ["student@example.com", "student123", "student"],
  ["tech@example.com", "tech123", "technician"],
];

const state = { user: null, cleanups: [], live: null, bellTimer: null, renderToken: 0 };

// Sign-in ------------------------------------------------------------------------------

async function showDemoHint() {
  // The gateway may say whether this is production (GET /auth/config → {"environment"}); when it
  // does not know that route the page assumes a development server and shows the demo accounts.
  let production = false;
  try {
    const response = await fetch("/auth/config", { headers: { Accept: "application/json" } });
    if (response.ok) {
      const config = await response.json();
      production = config.environment === "production" || config.demo_accounts === false;
    }
  } catch { /* no config: development */ }
  const hint = $("#login-hint");
  hint.hidden = production;
  hint.dataset.checked = production ? "production" : "development";
  if (production) return;
  const list = clear($("#login-hint-list"));
  for (const [email, password, role] of DEMO_ACCOUNTS) {
    list.append(h("li", {}, h("button", {
      type: "button",
      class: "demo-account",
      "data-email": email,
      onclick: () => {
        $("#email").value = email;
        $("#password").value = password;
        $("#password").focus();
      },
    }, h("span", { class: `role-dot role-${role}`, "aria-hidden": "true" }), h("span", { class: "demo-role", text: ROLE_LABEL[role] }), h("span", { class: "demo-cred", text: `${email} / ${password}` }))));
  }
}

function showLogin(message = "") {
  stopSignedIn();
  $("#app-shell").hidden = true;
  $("#login-screen").hidden = false;
  document.title = "Sign in · Campus Hub";
  const box = $("#login-message");
  box.textContent = message;
  box.hidden = !message;
  $("#login-error").textContent = "";
  $("#password").value = "";
  if (location.hash && location.hash !== "#/login") history.replaceState(null, "", "#/login");
  showDemoHint();
  $("#email").focus();
}

$("#login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = $("#email").value.trim();
  const password = $("#password").value;
  const errorEl = $("#login-error");
  errorEl.textContent = "";
  if (!email || !password) {
    errorEl.textContent = "Enter your email and password.";
    return;
  }
  const button = $("#login-submit");
  button.disabled = true;
  button.textContent = "Signing in…";
  try {
    const result = await api("/auth/login", { method: "POST", body: { email, password }, auth: false });
    session.save(result.access_token, result.user);
    $("#login-message").hidden = true;
    startSignedIn(result.user, true);
  } catch (error) {
    errorEl.textContent = error.message;
  } finally {
    button.disabled = false;
    button.textContent = "Sign in";
  }
});

// Signed in ----------------------------------------------------------------------------

function expire(message = "Your session has expired or was signed out elsewhere. Please sign in again.") {
  if (!state.user) return;
  session.clear();
  showLogin(message);
}

/** Why a session ended, as the gateway said it (docs/contract.md §11). */
const ENDED = {
  token_ended: "Your role or password was changed since you signed in. Please sign in again.",
  account_deleted: "This account no longer exists.",
};

onSessionExpired((error) => expire(ENDED[error?.code]));

function startSignedIn(user, fresh = false) {
  state.user = user;
  $("#login-screen").hidden = true;
  $("#app-shell").hidden = false;
  $("#user-name").textContent = user.name;
  $("#user-role").textContent = ROLE_LABEL[user.role] ?? user.role;
  $("#user-avatar").textContent = (user.name || user.email || "?").trim().charAt(0).toUpperCase();
  $("#user-chip").setAttribute("aria-label", `Your profile: ${user.name}, ${ROLE_LABEL[user.role] ?? user.role}`);
  buildNav(user.role);
  refreshBell();
  clearInterval(state.bellTimer);
  state.bellTimer = setInterval(refreshBell, 5000);
  if (["student", "faculty", "technician"].includes(user.role)) {
    state.live = new LiveFeed(() => session.token, () => expire());
    state.live.addEventListener("status", (event) => {
      const dot = $("#live-status");
      dot.hidden = false;
      dot.dataset.state = event.detail;
      dot.title = event.detail === "live" ? "Live updates on" : event.detail === "connecting" ? "Connecting…" : "Offline, reconnecting…";
      dot.setAttribute("aria-label", dot.title);
    });
    state.live.addEventListener("ticket", () => refreshBell());
    state.live.start();
  }
  if (fresh || !location.hash || location.hash === "#/login" || location.hash === "#/") location.hash = "#/home";
  route();
}

function stopSignedIn() {
  runCleanups();
  clearInterval(state.bellTimer);
  state.live?.stop();
  state.live = null;
  state.user = null;
  clear($("#main-nav"));
  clear($("#main"));
}

function buildNav(role) {
  const nav = clear($("#main-nav"));
  const list = h("ul", {});
  for (const item of routesFor(role).filter((r) => r.nav !== false)) {
    list.append(h("li", {}, h("a", { href: `#/${item.path}`, "data-route": item.path, text: item.label })));
  }
  nav.append(list);
}

$("#menu-toggle").addEventListener("click", () => {
  const nav = $("#main-nav");
  const open = !nav.classList.contains("open");
  nav.classList.toggle("open", open);
  $("#menu-toggle").setAttribute("aria-expanded", String(open));
});

$("#logout").addEventListener("click", async () => {
  try { await api("/auth/logout", { method: "POST" }); } catch { /* the token is dropped either way */ }
  session.clear();
  showLogin("You have signed out.");
});

export async function refreshBell() {
  if (!state.user) return;
  try {
    const { count } = await api("/api/notifications/unread-count");
    const badge = $("#bell-count");
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
    $("#bell").setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications, none unread");
    window.dispatchEvent(new CustomEvent("unread-count", { detail: count }));
  } catch { /* a 401 is handled by the session listener */ }
}

function runCleanups() {
  for (const fn of state.cleanups.splice(0)) {
    try { fn(); } catch { /* ignore */ }
  }
}

async function route() {
  if (!state.user) return;
  const path = (location.hash.replace(/^#\/?/, "").split("?")[0] || "home");
  const allowed = routesFor(state.user.role);
  const target = allowed.find((r) => r.path === path);
  const main = $("#main");
  runCleanups();
  $("#main-nav").classList.remove("open");
  $("#menu-toggle").setAttribute("aria-expanded", "false");
  for (const link of document.querySelectorAll("#main-nav a")) {
    if (link.dataset.route === path) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const renderToken = ++state.renderToken;
  if (!target) {
    document.title = "Not available · Campus Hub";
    const exists = ROUTES.some((r) => r.path === path);
    clear(main, h("section", { class: "card not-found", "data-page": "not-available" },
      h("h1", { id: "page-title", tabindex: "-1", text: exists ? "This page is not available to you" : "Page not found" }),
      h("p", { class: "muted", text: exists ? "Your role does not include this part of Campus Hub." : "There is no page at this address." }),
      h("a", { class: "btn btn-primary", href: "#/home", text: "Back to home" })));
    return;
  }
  document.title = `${target.label} · Campus Hub`;
  clear(main, spinner());
  try {
    const module = await target.load();
    if (renderToken !== state.renderToken) return;
    const container = h("div", { class: "page", "data-page": target.path });
    clear(main, container);
    const ctx = {
      user: state.user,
      live: state.live,
      refreshBell,
      onCleanup: (fn) => state.cleanups.push(fn),
      setUser: (user) => {
        state.user = { ...state.user, ...user };
        session.setUser(state.user);
        $("#user-name").textContent = state.user.name;
      },
    };
    await module.render(container, ctx);
    if (renderToken === state.renderToken) $("#page-title")?.focus({ preventScroll: true });
  } catch (error) {
    if (renderToken !== state.renderToken) return;
    if (error instanceof ApiError && error.status === 401) return;
    clear(main, errorBox(`This page could not be loaded: ${error.message}`));
  }
}

window.addEventListener("hashchange", route);

// Start --------------------------------------------------------------------------------

async function boot() {
  const token = session.token;
  if (!token) {
    showLogin();
    return;
  }
  state.user = session.user; // so a 401 below is treated as an expired session
  try {
    const user = await api("/auth/me");
    session.setUser(user);
    startSignedIn(user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.clear();
      state.user = null;
      showLogin("Your session has expired or was signed out elsewhere. Please sign in again.");
    } else {
      state.user = null;
      showLogin(error.message);
    }
  }
}

window.campusToast = toast;
boot();
