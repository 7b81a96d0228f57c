// Admin: system status — health of each service, counts, and the recent sign-in audit.
import { api } from "../api.js";
import { h, clear, skeleton, errorBox, pageHeader, formatDateTime, timeAgo } from "../ui.js";
import { plainMessage, steadyBusy } from "../plain.js";
import { icon } from "../icons.js";

const COUNT_LABEL = { users: "Users", login_attempts_last24h: "Sign-in attempts in the last 24 hours", failed_logins_last24h: "Failed sign-ins in the last 24 hours", locked_accounts: "Accounts locked now", revoked_tokens: "Sessions signed out early" };
const SERVICE_LABEL = { gateway: "Gateway", "user-management": "User accounts", booking: "Room booking", "gpa-calculator": "GPA calculator", notification: "Notifications", maintenance: "Maintenance tickets" };
const HEALTH = { healthy: "Healthy", unhealthy: "Not healthy", unreachable: "Not responding" };
const OUTCOME = { success: "Signed in", invalid_credentials: "Wrong email or password", locked: "Refused: account locked" };

/** Words for a key the page does not know yet ("some_new_count" → "Some new count"). */
const words = (key) => {
  const text = String(key ?? "").replaceAll("_", " ").replaceAll("-", " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
};

export async function render(root, { onCleanup }) {
  const refresh = h("button", { type: "button", class: "btn btn-ghost", id: "refresh-status" }, icon("refresh"), "Refresh");
  const checked = h("span", { class: "muted small", "aria-live": "polite" });
  root.append(pageHeader("System status", "Health of every campus service, refreshed every 15 seconds.", checked, refresh));
  const services = h("div", { class: "service-grid", id: "services" }, skeleton(2));
  const counts = h("div", { class: "stat-grid", id: "counts" });
  const logins = h("div", { class: "card table-wrap", id: "recent-logins" });
  root.append(h("section", { class: "section" }, h("h2", { class: "section-title", text: "Services" }), services),
    h("section", { class: "section" }, h("h2", { class: "section-title", text: "At a glance" }), counts),
    h("section", { class: "section" }, h("h2", { class: "section-title", text: "Recent sign-ins" }), logins));

  async function load() {
    try {
      const status = await api("/api/status");
      checked.textContent = `Checked ${timeAgo(status.checked_at)}.`;
      clear(services, status.services.map((s) => h("article", { class: `service service-${s.status}`, "data-service": s.name },
        h("span", { class: "service-dot", "aria-hidden": "true" }),
        h("div", { class: "grow" }, h("h3", { class: "row-title", text: SERVICE_LABEL[s.name] ?? words(s.name) }), h("p", { class: "muted small", text: `Address: ${s.url}` })),
        h("div", { class: "service-side" }, h("span", { class: `chip ${s.status === "healthy" ? "chip-success" : "chip-danger"}`, text: HEALTH[s.status] ?? words(s.status) }),
          h("span", { class: "muted small", text: s.latency_ms !== undefined && s.latency_ms !== null ? `Answered in ${s.latency_ms} ms` : "" })))));
      clear(counts, Object.entries(status.counts ?? {}).map(([key, value]) => h("div", { class: "stat", "data-count": key },
        h("span", { class: "stat-label", text: COUNT_LABEL[key] ?? words(key) }), h("span", { class: "stat-value", text: value === null || value === undefined ? "Not known" : String(value) }))));
      const rows = status.recent_logins ?? [];
      clear(logins, h("table", { class: "table logins-table" },
        h("caption", { class: "sr-only", text: "Recent sign-ins" }),
        h("thead", {}, h("tr", {}, ["When", "Email", "Outcome", "Address"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows.length ? rows.map((r) => h("tr", {},
          h("td", { class: "nowrap login-when" }, h("time", { datetime: r.created_at, text: formatDateTime(r.created_at) })),
          h("td", { class: "login-email", text: r.email }),
          h("td", { class: "login-outcome" }, h("span", { class: `chip ${r.outcome === "success" ? "chip-success" : "chip-danger"}`, text: OUTCOME[r.outcome] ?? words(r.outcome) })),
          h("td", { class: "muted small login-address", "data-label": "Address", text: r.client_address || "Not known" }))) : h("tr", {}, h("td", { colspan: "4", class: "muted", text: "No sign-ins yet." })))));
    } catch (e) {
      clear(services, errorBox(`The status could not be loaded. ${plainMessage(e)}`));
    }
  }
  refresh.addEventListener("click", () => steadyBusy(refresh, load));
  await load();
  const timer = setInterval(load, 15000);
  onCleanup(() => clearInterval(timer));
}
