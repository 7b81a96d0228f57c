// The shell: sign-in, role-based navigation (docs/contract.md §3), hash routing with guards,
// the live notification bell (/api/notifications/ws) and the live ticket feed (/api/ws). One
// session for all tabs (api.js keeps it in localStorage; the `storage` event below follows sign-in
// and sign-out in the other tabs), and a session that ends under the person keeps their place: the
// route and what they had typed come back after they sign in again.
import { api, session, onSessionExpired, ApiError, isEndingToken, expectTokenToEnd, SESSION_KEYS } from "./api.js";
import { h, clear, $, toast, errorBox, spinner, ROLE_LABEL, formSnapshot, applyFormSnapshot, APP_NAME, setTitle } from "./ui.js";
import { fillIcons } from "./icons.js";
import { LiveFeed } from "./live.js";

/** Every page, and the roles allowed to see it (docs/contract.md §3). Order = navigation order. */
export const ROUTES = [
  { path: "home", label: "Home", roles: ["admin", "faculty", "student", "technician"], load: () => import("./pages/home.js") },
  { path: "book", label: "Book a room", roles: ["faculty", "student"], load: () => import("./pages/book.js") },
  { path: "bookings", label: "My bookings", roles: ["faculty", "student"], load: () => import("./pages/bookings.js") },
  { path: "approvals", label: "Approvals", roles: ["admin", "faculty"], load: () => import("./pages/approvals.js") },
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

const state = { user: null, cleanups: [], live: null, notices: null, renderToken: 0, pendingFields: null };

const EXPIRED = "Your session has expired or was signed out elsewhere. Please sign in again.";

// Where to return after signing in ------------------------------------------------------------
// In this tab's sessionStorage: {route: "#/tickets", user: 12 | null, fields: {key: value}}.
// Saved when a session ends under the person (or the page was opened at an address while signed
// out); dropped when they sign out themselves. The fields come from formSnapshot() (never password
// fields) and come back only for the same person.

const RESUME_KEY = "campus.resume";

const pathOf = (hash) => hash.replace(/^#\/?/, "").split("?")[0];
const isPageRoute = (hash) => ROUTES.some((r) => r.path === pathOf(hash ?? ""));

function remember({ fields = false } = {}) {
  if (!isPageRoute(location.hash)) return; // on the sign-in screen already: keep what was saved
  const resume = {
    route: location.hash,
    user: state.user?.id ?? session.user?.id ?? null,
    fields: fields ? formSnapshot($("#main")) : {},
  };
  try { sessionStorage.setItem(RESUME_KEY, JSON.stringify(resume)); } catch { /* storage full or off */ }
}

function forget() {
  sessionStorage.removeItem(RESUME_KEY);
}

/** The saved place for this person, taken out of storage (another person's is thrown away). */
function takeResume(user) {
  let resume = null;
  try { resume = JSON.parse(sessionStorage.getItem(RESUME_KEY) ?? "null"); } catch { /* ignore */ }
  forget();
  if (!resume || !isPageRoute(resume.route)) return null;
  if (resume.user !== null && resume.user !== undefined && String(resume.user) !== String(user.id)) return null;
  if (!routesFor(user.role).some((r) => r.path === pathOf(resume.route))) return null;
  return resume;
}

/** Puts saved field values back into a freshly rendered page, also into fields that appear later. */
function restoreFields(container, fields) {
  let left = applyFormSnapshot(container, fields);
  if (!Object.keys(left).length) return;
  const observer = new MutationObserver(() => {
    left = applyFormSnapshot(container, left);
    if (!Object.keys(left).length) stop();
  });
  const timer = setTimeout(() => stop(), 10000);

  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }
  observer.observe(container, { childList: true, subtree: true });
  state.cleanups.push(stop);
}

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
  setTitle("Sign in");
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

/** The gateway ended this session (401, revoked, expired): every tab signs out, this place is kept. */
function expire(message = EXPIRED) {
  if (!state.user) return;
  remember({ fields: true });
  session.clear({ kind: "ended", message });
  showLogin(message);
}

/** Why a session ended, as the gateway said it (docs/contract.md §11). */
const ENDED = {
  token_ended: "Your role or password was changed since you signed in. Please sign in again.",
  account_deleted: "This account no longer exists.",
};

onSessionExpired((error) => expire(ENDED[error?.code]));

// The other tabs: they share the session (localStorage), and tell this one through `storage`.
window.addEventListener("storage", (event) => {
  if (event.storageArea !== localStorage) return;
  if (event.key !== null && event.key !== SESSION_KEYS.token) return;
  const token = session.token;
  if (!token) {
    if (!state.user) return;
    const ended = session.ended;
    if (ended?.kind === "ended") {
      remember({ fields: true });
      showLogin(ended.message || EXPIRED);
    } else {
      forget();
      showLogin("You signed out in another tab.");
    }
    return;
  }
  const user = session.user;
  if (!user) return;
  if (!state.user) {
    $("#login-message").hidden = true;
    startSignedIn(user);
  } else if (String(user.id) !== String(state.user.id)) {
    stopSignedIn();
    startSignedIn(user, true);
  }
  // Same person with a new token (a password change in another tab): nothing to do.
});

function startSignedIn(user, fresh = false) {
  state.user = user;
  const resume = takeResume(user);
  $("#login-screen").hidden = true;
  $("#app-shell").hidden = false;
  $("#user-name").textContent = user.name;
  $("#user-role").textContent = ROLE_LABEL[user.role] ?? user.role;
  $("#user-avatar").textContent = (user.name || user.email || "?").trim().charAt(0).toUpperCase();
  $("#user-chip").setAttribute("aria-label", `Your profile: ${user.name}, ${ROLE_LABEL[user.role] ?? user.role}`);
  buildNav(user.role);
  startBell();
  // The live dot belongs to this person's session: hidden until their own feed reports (and for
  // good when their role has no feed), whatever the previous person in this tab had.
  state.live?.stop();
  state.live = null;
  hideLiveDot();
  if (["student", "faculty", "technician"].includes(user.role)) {
    const feed = openFeed("/api/ws");
    state.live = feed;
    feed.addEventListener("status", (event) => {
      if (state.live !== feed) return; // a feed stopped at sign-out says nothing about the next person
      const dot = $("#live-status");
      dot.hidden = false;
      dot.dataset.state = event.detail;
      dot.title = event.detail === "live" ? "Live updates on" : event.detail === "connecting" ? "Connecting…" : "Offline, reconnecting…";
      dot.setAttribute("aria-label", dot.title);
    });
    feed.start();
  }
  state.pendingFields = resume && Object.keys(resume.fields ?? {}).length ? { path: pathOf(resume.route), fields: resume.fields } : null;
  if (resume) {
    if (location.hash !== resume.route) location.hash = resume.route;
  } else if (fresh || !location.hash || location.hash === "#/login" || location.hash === "#/") location.hash = "#/home";
  route();
}

function hideLiveDot() {
  const dot = $("#live-status");
  dot.hidden = true;
  delete dot.dataset.state;
  dot.title = "Live updates";
  dot.removeAttribute("aria-label");
}

/** A live socket of this session; refused with a token that has ended, the session ends, saying
 * why when the gateway said it (its close reason starts with the problem code, as a 401 would). */
function openFeed(path) {
  const feed = new LiveFeed(path, () => session.token, (used, reason) => {
    // Refused with a token that has been replaced since (a password change): try the new one.
    if (used && session.token && (used !== session.token || isEndingToken(used))) feed.retry();
    else expire(ENDED[/^([a-z_]+):/.exec(reason ?? "")?.[1]]);
  });
  return feed;
}

function stopSignedIn() {
  runCleanups();
  stopBell();
  const feed = state.live;
  state.live = null;
  feed?.stop();
  hideLiveDot();
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
  // The other tabs' calls with this token may be refused from now on: that is no expiry.
  expectTokenToEnd(session.token);
  try { await api("/auth/logout", { method: "POST" }); } catch { /* the token is dropped either way */ }
  forget();
  session.clear({ kind: "signed_out" });
  showLogin("You have signed out.");
});

// The bell ------------------------------------------------------------------------------
// Live, not polled: one socket per signed-in page (/api/notifications/ws) tells of every new
// notice addressed to this person the moment it is stored; the count goes up by one for each
// (each notice counted once, by id). The unread count is fetched from the server once on every
// (re)connect "ready" (what was created while the socket was down), after marking read, and when
// a notice arrives while such a fetch is under way (that answer may or may not include it).
// The notices feed is handed to the pages (ctx.notices): "notification" events, "ready" to catch up.

const bell = { generation: 0, count: null, seen: new Set(), fetching: null, again: false };

function startBell() {
  stopBell();
  const generation = bell.generation;
  const feed = openFeed("/api/notifications/ws");
  state.notices = feed;
  feed.addEventListener("status", (event) => {
    if (bell.generation !== generation) return;
    $("#bell").dataset.live = event.detail;
    // No socket yet (refused, blocked): the count still shows, once.
    if (event.detail === "offline" && bell.count === null) refreshBell();
  });
  feed.addEventListener("ready", () => {
    if (bell.generation === generation) refreshBell();
  });
  feed.addEventListener("notification", (event) => {
    if (bell.generation === generation) noticeArrived(event.detail?.notification);
  });
  feed.start();
}

function stopBell() {
  bell.generation += 1;
  bell.count = null;
  bell.seen.clear();
  bell.again = false;
  bell.fetching = null; // an answer still on its way belongs to the previous generation
  const feed = state.notices;
  state.notices = null;
  feed?.stop();
  const badge = $("#bell-count");
  badge.hidden = true;
  badge.textContent = "0";
  const link = $("#bell");
  link.setAttribute("aria-label", "Notifications");
  delete link.dataset.live;
  const region = $("#announcer");
  if (region) clear(region);
}

function showCount(count) {
  bell.count = count;
  const badge = $("#bell-count");
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = count === 0;
  $("#bell").setAttribute("aria-label", count ? `Notifications, ${count} unread` : "Notifications, none unread");
  window.dispatchEvent(new CustomEvent("unread-count", { detail: count }));
}

/** A new notice from the socket: counted once, and said to screen readers. */
function noticeArrived(notice) {
  if (!notice || notice.id === undefined || notice.id === null) return;
  const id = String(notice.id);
  if (bell.seen.has(id)) return;
  bell.seen.add(id);
  if (bell.seen.size > 500) bell.seen.delete(bell.seen.values().next().value);
  if (bell.fetching) bell.again = true; // the count on its way may not include it: ask again
  if (bell.count === null) refreshBell();
  else if (!notice.read) showCount(bell.count + 1);
  announce(`New notice: ${notice.title}`);
}

/** A polite sentence for screen readers (each one a new line in the region, so it is read even
 * when the same words come twice). */
function announce(text) {
  const region = $("#announcer");
  if (!region) return;
  region.append(h("p", { text }));
  while (region.childElementCount > 3) region.firstElementChild.remove();
}

// Another tab of this page marked notices read: its bell went down, so does this one's. (New
// notices reach every tab by its own socket; reading them is no event the server sends.)
const bellChannel = "BroadcastChannel" in window ? new BroadcastChannel("campus.bell") : null;
bellChannel?.addEventListener("message", (event) => {
  if (state.user && String(event.data?.user) === String(state.user.id)) refreshBell();
});

/** After this page marked notices read: the count from the server, here and in the other tabs. */
function readChanged() {
  const done = refreshBell();
  if (state.user) bellChannel?.postMessage({ user: String(state.user.id) });
  return done;
}

/** The unread count from the server (one request at a time; asked again when a notice arrived
 * while it was under way). */
export function refreshBell() {
  if (!state.user) return Promise.resolve();
  if (bell.fetching) {
    bell.again = true;
    return bell.fetching;
  }
  const generation = bell.generation;
  bell.fetching = (async () => {
    try {
      do {
        bell.again = false;
        const { count } = await api("/api/notifications/unread-count");
        if (bell.generation !== generation) return;
        if (!bell.again) showCount(count);
      } while (bell.again);
    } catch { /* a 401 is handled by the session listener; the next ready asks again */ } finally {
      if (bell.generation === generation) bell.fetching = null;
    }
  })();
  return bell.fetching;
}

function runCleanups() {
  for (const fn of state.cleanups.splice(0)) {
    try { fn(); } catch { /* ignore */ }
  }
}

async function route() {
  if (!state.user) return;
  const path = pathOf(location.hash) || "home";
  const allowed = routesFor(state.user.role);
  const target = allowed.find((r) => r.path === path);
  const main = $("#main");
  runCleanups();
  $("#main-nav").classList.remove("open");
  $("#menu-toggle").setAttribute("aria-expanded", "false");
  // A technician reaches a ticket's own page from the queue: the menu says "Queue" there.
  const ticketView = path === "tickets" && new URLSearchParams(location.hash.split("?")[1] ?? "").has("id");
  const navPath = ticketView && state.user.role === "technician" ? "queue" : path;
  for (const link of document.querySelectorAll("#main-nav a")) {
    if (link.dataset.route === navPath) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const renderToken = ++state.renderToken;
  if (!target) {
    const exists = ROUTES.some((r) => r.path === path);
    setTitle(exists ? "Not available" : "Page not found");
    clear(main, h("section", { class: "card not-found", "data-page": "not-available" },
      h("h1", { id: "page-title", tabindex: "-1", text: exists ? "This page is not available to you" : "Page not found" }),
      h("p", { class: "muted", text: exists ? "Your role does not include this part of Campus Hub." : "There is no page at this address." }),
      h("a", { class: "btn btn-primary", href: "#/home", text: "Back to home" })));
    return;
  }
  setTitle(target.label);
  clear(main, spinner());
  try {
    const module = await target.load();
    if (renderToken !== state.renderToken) return;
    const container = h("div", { class: "page", "data-page": target.path });
    clear(main, container);
    const ctx = {
      user: state.user,
      live: state.live,
      notices: state.notices,
      refreshBell,
      readChanged,
      onCleanup: (fn) => state.cleanups.push(fn),
      setUser: (user) => {
        state.user = { ...state.user, ...user };
        session.setUser(state.user);
        $("#user-name").textContent = state.user.name;
      },
    };
    await module.render(container, ctx);
    if (renderToken !== state.renderToken) return;
    $("#page-title")?.focus({ preventScroll: true });
    if (state.pendingFields?.path === target.path) {
      restoreFields(container, state.pendingFields.fields);
      state.pendingFields = null;
    }
  } catch (error) {
    if (renderToken !== state.renderToken) return;
    if (error instanceof ApiError && error.status === 401) return;
    clear(main, errorBox(`This page could not be loaded: ${error.message}`));
  }
}

window.addEventListener("hashchange", route);

// Start --------------------------------------------------------------------------------

async function boot() {
  fillIcons();
  const token = session.token;
  if (!token) {
    remember(); // opened at a page's address while signed out: go there after signing in
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
      if (!$("#login-screen").hidden) return; // expire() has shown the sign-in screen, saying why
      remember();
      session.clear({ kind: "ended", message: EXPIRED });
      state.user = null;
      showLogin(EXPIRED);
    } else {
      remember();
      state.user = null;
      showLogin(error.message);
    }
  }
}

window.campusToast = toast;
boot();
