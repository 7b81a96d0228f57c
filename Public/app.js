// Sign-in page: the token lives in sessionStorage (per tab); user text goes in with textContent.
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const headers = { "Content-Type": "application/json", "X-Request-ID": crypto.randomUUID() };
  const token = sessionStorage.getItem("token");
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { ...options, headers });
  if (response.status === 204) return null;
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.detail ?? `Request failed (${response.status})`);
  return body;
}

function show(user) {
  $("login-view").hidden = !!user;
  $("home-view").hidden = !user;
  $("who").hidden = !user;
  if (user) {
    $("who-name").textContent = user.name;
    $("who-role").textContent = user.role;
    $("home-text").textContent = `Signed in as ${user.email}.`;
  }
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const result = await api("/auth/login", { method: "POST", body: JSON.stringify({ email: $("email").value, password: $("password").value }) });
    sessionStorage.setItem("token", result.access_token);
    show(result.user);
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("/auth/logout", { method: "POST" }); } catch { /* the token is dropped either way */ }
  sessionStorage.removeItem("token");
  show(null);
});

if (sessionStorage.getItem("token")) {
  api("/auth/me").then(show).catch(() => { sessionStorage.removeItem("token"); show(null); });
} else {
  show(null);
}
