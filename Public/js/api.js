// The one place that talks HTTP: bearer token, a fresh X-Request-ID per call, and problem+json
// answers turned into readable ApiError messages.
//
// The session (token + user) is kept in localStorage, shared by every tab of the page: a new tab
// is signed in too, and when one tab signs out or the gateway ends the session (401), the token
// goes for all of them (app.js listens to the `storage` event). The JWT's own expiry still limits
// how long a stored token is any good.

const TOKEN_KEY = "campus.token";
const USER_KEY = "campus.user";
/** Why the last session ended ({kind: "signed_out" | "ended", message}), for the other tabs. */
const ENDED_KEY = "campus.ended";
/** A token a tab is about to end itself (a password change): 401s for it are expected, in every tab. */
const ENDING_KEY = "campus.ending";

export const SESSION_KEYS = { token: TOKEN_KEY, user: USER_KEY, ended: ENDED_KEY };

// A tab from before the session moved to localStorage keeps its sign-in.
try {
  const old = sessionStorage.getItem(TOKEN_KEY);
  if (old && !localStorage.getItem(TOKEN_KEY)) {
    localStorage.setItem(TOKEN_KEY, old);
    localStorage.setItem(USER_KEY, sessionStorage.getItem(USER_KEY) ?? "null");
  }
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
} catch { /* storage unavailable */ }

export class ApiError extends Error {
  constructor(message, { status = 0, code = "", requestId = "" } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  get user() {
    try { return JSON.parse(localStorage.getItem(USER_KEY) ?? "null"); } catch { return null; }
  },
  save(token, user) {
    localStorage.removeItem(ENDED_KEY);
    localStorage.removeItem(ENDING_KEY);
    localStorage.setItem(USER_KEY, JSON.stringify(user));
    localStorage.setItem(TOKEN_KEY, token);
  },
  setUser(user) { localStorage.setItem(USER_KEY, JSON.stringify(user)); },
  /** Ends the session in every tab; `ended` says why, for the other tabs' sign-in screen. */
  clear(ended = { kind: "signed_out" }) {
    localStorage.setItem(ENDED_KEY, JSON.stringify(ended));
    localStorage.removeItem(ENDING_KEY);
    localStorage.removeItem(USER_KEY);
    localStorage.removeItem(TOKEN_KEY);
  },
  /** Why the last session ended, as session.clear() was told. */
  get ended() {
    try { return JSON.parse(localStorage.getItem(ENDED_KEY) ?? "null"); } catch { return null; }
  },
};

const FRIENDLY = {
  400: "The request was not understood.",
  401: "Your session has ended. Please sign in again.",
  403: "You are not allowed to do that.",
  404: "Not found.",
  409: "That conflicts with something that already exists.",
  413: "That is too large to send.",
  422: "Some of the values are not valid.",
  423: "This account is locked for a while after too many failed sign-ins.",
  429: "Too many attempts. Please wait a moment and try again.",
  503: "A campus service is unavailable right now. Please try again shortly.",
};

function requestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A token a tab is about to end itself (its own password change): its 401s are expected. */
export function expectTokenToEnd(token) {
  if (token) localStorage.setItem(ENDING_KEY, token);
  else localStorage.removeItem(ENDING_KEY);
}
export const isEndingToken = (token) => !!token && localStorage.getItem(ENDING_KEY) === token;

/** Listeners called when a signed-in call answers 401 (expired or revoked token). */
const expiredListeners = new Set();
export function onSessionExpired(listener) { expiredListeners.add(listener); }

/**
 * api(path, {method, body, query, raw, headers}) → parsed JSON (or null for 204, or the Response when raw).
 * Throws ApiError with a message a person can read.
 */
export async function api(path, { method = "GET", body, file, query, raw = false, auth = true, headers: extra = {} } = {}) {
  const headers = { ...extra, "X-Request-ID": requestId(), Accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  // A file (a photo) travels as itself; the server judges its type by its content.
  if (file !== undefined) headers["Content-Type"] = file.type || "application/octet-stream";
  const token = session.token;
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
    }
    const text = params.toString();
    if (text) url += (url.includes("?") ? "&" : "?") + text;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: file !== undefined ? file : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError("Cannot reach the campus server. Check your connection and try again.");
  }
  if (response.ok) {
    if (raw) return response;
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") ?? "";
    return type.includes("json") ? response.json() : response.text();
  }
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON */ }
  const message = problem?.detail || FRIENDLY[response.status] || problem?.title || `Request failed (${response.status}).`;
  const error = new ApiError(message, {
    status: response.status,
    code: problem?.code ?? "",
    requestId: response.headers.get("X-Request-ID") ?? headers["X-Request-ID"],
  });
  if (response.status === 429) {
    const retry = response.headers.get("Retry-After");
    if (retry) error.message = `${FRIENDLY[429]} (retry in ${retry} s)`;
  }
  if (response.status === 401 && auth && token && token === session.token && !isEndingToken(token)) {
    for (const listener of expiredListeners) listener(error);
  }
  return Promise.reject(error);
}

/** Total from X-Total-Count together with the list. */
export async function apiList(path, query) {
  const response = await api(path, { query, raw: true });
  const items = await response.json();
  return { items, total: Number(response.headers.get("X-Total-Count") ?? items.length) };
}

/** Every item of a paged list, 200 at a time (the server's largest page), until X-Total-Count. */
export async function apiAll(path, query = {}) {
  const items = [];
  for (;;) {
    const page = await apiList(path, { ...query, limit: 200, offset: items.length });
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return { items, total: Math.max(page.total, items.length) };
  }
}
