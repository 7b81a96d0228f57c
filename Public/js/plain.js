// Small shared helpers for the pages: plain-English error sentences, role wording, and a busy
// state that keeps keyboard focus where it was.
import { ROLE_LABEL } from "./ui.js";

/** How a group of people with one role is called ("Faculty", not "Facultys"). */
export const ROLE_PLURAL = { admin: "Administrators", faculty: "Faculty", student: "Students", technician: "Technicians" };

/** What a field is called in a sentence ("The email address must not be empty."). */
const FIELD_LABEL = {
  email: "The email address",
  name: "The name",
  password: "The password",
  current_password: "Your current password",
  role: "The role",
  title: "The title",
  message: "The message",
  level: "The level",
  building: "The building",
  capacity: "The capacity",
  features: "The features",
  feature: "The feature",
  min_capacity: "The smallest room size",
  unread: "The unread filter",
  q: "The search",
  limit: "The page size",
  offset: "The page position",
  "audience.user_id": "The person",
  "audience.role": "The role",
  audience: "Who to send it to",
  from_date: "The first closed day",
  to_date: "The last closed day",
  reason: "The reason",
  minutes_before: "The reminder",
};

/** Values the server names in its refusals, in words ("admin" → "Administrator"). */
const VALUE_WORD = { ...ROLE_LABEL, info: "Info", success: "Success", warning: "Warning", critical: "Critical" };

function fieldLabel(field) {
  if (FIELD_LABEL[field]) return FIELD_LABEL[field];
  const item = /^([a-z_]+)\[(\d+)\]$/.exec(field);
  if (item) return `Item ${Number(item[2]) + 1} of ${(FIELD_LABEL[item[1]] ?? `the ${item[1].replaceAll("_", " ")}`).replace(/^The /, "the ")}`;
  const last = field.split(".").pop().replace(/\[\d+\]/g, "");
  return `The ${last.replaceAll("_", " ")}`;
}

function wordList(text) {
  const words = text.split(/,\s*/).map((w) => VALUE_WORD[w.trim()] ?? w.trim());
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : words[0];
}

/** A capital letter at the start and a full stop at the end. */
export function sentence(text) {
  const t = String(text ?? "").trim();
  if (!t) return "Something went wrong. Please try again.";
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)”"]$/.test(first) ? first : `${first}.`;
}

/**
 * The message of an error (or a string) as a sentence a person reads. Problem details of the form
 * `field: what is wrong` become "The <field> <what is wrong>." with known values in words when
 * the problem reads on from the field ("must …", "is …"), and "The <field>: <problem>." otherwise.
 */
export function plainMessage(error) {
  const text = String(error?.message ?? error ?? "").trim();
  const match = /^([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*): ([\s\S]+)$/.exec(text);
  if (!match) return sentence(text);
  const [, field, problem] = match;
  const words = problem.replace(/\bis not one of ([a-z_]+(?:, [a-z_]+)+)$/, (_, list) => `is not one of ${wordList(list)}`);
  const readsOn = /^(must|is|are|has|have|was|cannot|should|needs?)\b|^"/.test(words);
  return sentence(readsOn ? `${fieldLabel(field)} ${words}` : `${fieldLabel(field)}: ${words}`);
}

/**
 * Like ui.js busy(), but the button is never `disabled`: a disabled button drops keyboard focus
 * to the top of the page. It is aria-busy and ignores clicks while the work runs instead.
 */
export async function steadyBusy(button, work) {
  if (button.getAttribute("aria-busy") === "true") return undefined;
  button.setAttribute("aria-busy", "true");
  button.classList.add("is-busy");
  try { return await work(); } finally {
    button.removeAttribute("aria-busy");
    button.classList.remove("is-busy");
  }
}
