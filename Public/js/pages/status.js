// Admin: system status — health of each service, counts, and the recent sign-in audit.
import { api } from "../api.js";
import { h, clear, skeleton, errorBox, pageHeader, busy, formatDateTime, timeAgo } from "../ui.js";

const COUNT_LABEL = { users: "Users", login_attempts_last24h: "Sign-ins (24 h)", failed_logins_last24h: "Failed sign-ins (24 h)", locked_accounts: "Locked accounts", revoked_tokens: "Signed-out tokens" };

export async function render(root, { onCleanup }) {
  const refresh = h("button", { type: "button", class: "btn btn-ghost", id: "refresh-status", text: "↻ Refresh" });
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
      checked.textContent = `Checked ${timeAgo(status.checked_at)}`;
      clear(services, status.services.map((s) => h("article", { class: `service service-${s.status}`, "data-service": s.name },
        h("span", { class: "service-dot", "aria-hidden": "true" }),
        h("div", { class: "grow" }, h("h3", { class: "row-title", text: s.name }), h("p", { class: "muted small", text: s.url })),
        h("div", { class: "service-side" }, h("span", { class: `chip ${s.status === "healthy" ? "chip-success" : "chip-danger"}`, text: s.status }),
          h("span", { class: "muted small", text: s.latency_ms !== undefined && s.latency_ms !== null ? `${s.latency_ms} ms` : "" })))));
      clear(counts, Object.entries(status.counts ?? {}).map(([key, value]) => h("div", { class: "stat" },
        h("span", { class: "stat-label", text: COUNT_LABEL[key] ?? key.replaceAll("_", " ") }), h("span", { class: "stat-value", text: String(value) }))));
      const rows = status.recent_logins ?? [];
      clear(logins, h("table", { class: "table" },
        h("caption", { class: "sr-only", text: "Recent sign-ins" }),
        h("thead", {}, h("tr", {}, ["When", "Email", "Outcome", "Address"].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows.length ? rows.map((r) => h("tr", {},
          h("td", { class: "nowrap", text: formatDateTime(r.created_at) }),
          h("td", { text: r.email }),
          h("td", {}, h("span", { class: `chip ${r.outcome === "success" ? "chip-success" : "chip-danger"}`, text: r.outcome.replaceAll("_", " ") })),
          h("td", { class: "muted small", text: r.client_address ?? "" }))) : h("tr", {}, h("td", { colspan: "4", class: "muted", text: "No sign-ins yet." })))));
    } catch (e) {
      clear(services, errorBox(e.message));
    }
  }
  refresh.addEventListener("click", () => busy(refresh, load));
  await load();
  const timer = setInterval(load, 15000);
  onCleanup(() => clearInterval(timer));
}
