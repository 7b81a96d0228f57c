// Profile: my name, a new password (with the current one), and which notices also come by e-mail
// (mail-preferences.js).
import { api, session, expectTokenToEnd } from "../api.js";
import { h, field, pageHeader, toast, busy, ROLE_LABEL } from "../ui.js";
import { mailPreferencesSection } from "../mail-preferences.js";

export async function render(root, { user, setUser }) {
  root.append(pageHeader("Your profile", `${user.email} · ${ROLE_LABEL[user.role] ?? user.role}`));
  const name = h("input", { type: "text", id: "profile-name", value: user.name, required: true, autocomplete: "name" });
  const nameError = h("p", { class: "form-error", role: "alert" });
  const saveName = h("button", { type: "submit", class: "btn btn-primary", text: "Save name" });
  const current = h("input", { type: "password", id: "profile-current", autocomplete: "current-password" });
  const next = h("input", { type: "password", id: "profile-new", autocomplete: "new-password", minlength: "8" });
  const pwError = h("p", { class: "form-error", role: "alert" });
  const savePw = h("button", { type: "submit", class: "btn btn-primary", text: "Change password" });
  root.append(h("div", { class: "two-col" },
    h("form", {
      class: "card",
      "aria-label": "Name",
      onsubmit: async (event) => {
        event.preventDefault();
        nameError.textContent = "";
        await busy(saveName, async () => {
          try {
            const updated = await api(`/api/users/${encodeURIComponent(user.id)}`, { method: "PUT", body: { name: name.value.trim() } });
            setUser(updated);
            toast("Name saved.", "success");
          } catch (e) { nameError.textContent = e.message; }
        });
      }
    }, h("h2", { text: "Name" }), field("Display name", name), nameError, h("div", { class: "form-actions" }, saveName)),
    h("form", {
      class: "card",
      "aria-label": "Password",
      onsubmit: async (event) => {
        event.preventDefault();
        pwError.textContent = "";
        await busy(savePw, async () => {
          try {
            // A new password ends every earlier token, this tab's too: calls still under way with it
            // (the bell, say) may be refused until this tab has signed in again.
            expectTokenToEnd(session.token);
            await api(`/api/users/${encodeURIComponent(user.id)}`, { method: "PUT", body: { password: next.value, current_password: current.value } });
            const renewed = await api("/auth/login", { method: "POST", body: { email: user.email, password: next.value }, auth: false });
            session.save(renewed.access_token, renewed.user);
            current.value = "";
            next.value = "";
            toast("Password changed. Other sessions were signed out.", "success");
          } catch (e) {
            expectTokenToEnd(null);
            pwError.textContent = e.message;
          }
        });
      }
    }, h("h2", { text: "Password" }), field("Current password", current), field("New password", next, "At least 8 characters."), pwError, h("div", { class: "form-actions" }, savePw))));
  const mail = mailPreferencesSection();
  root.append(mail.el);
  mail.load(); // not awaited: the name and password forms do not wait for it
}
