// GPA calculator: course rows with a grade picker, a live result from the GPA service with the
// points per course, the cumulative GPA, and the target planner (which can take the result as its
// starting point). The courses are saved to the user's profile (PUT /api/users/{id}/courses) as
// they are typed, and come back on the next visit on any device. A row can be marked as a retake
// of a row above it; the service's answer says, per attempt, whether it counts under the campus's
// retake policy and why.
// A new user starts with one empty row (examples only as placeholders) and no GPA until a course
// has a grade and credits. The service's field errors ("courses[4].credits: …") are shown as
// sentences naming the course and the field, and the field is marked invalid and focused; while
// the input cannot be calculated the result cards show no number at all (never the last one),
// and the planner does not use one.
import { api } from "../api.js";
import { h, clear, field, pageHeader, debounce, nextId, confirmDialog } from "../ui.js";
import { icon } from "../icons.js";

const FALLBACK_GRADES = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F", "P", "NP", "W", "I"];
const BLANK = { name: "", grade: "", credits: "", retake_of: null };
/** GPA_RETAKE_POLICY, as the result card says it. */
const RETAKE_POLICY = {
  replace: "a retake's grade replaces the earlier attempt's",
  average: "all graded attempts of a course are averaged, and the course counts once",
  replace_df: "a retake replaces an earlier D or F; an earlier C- or better still counts too",
};
const fmt = (value, digits = 2) => (value === null || value === undefined ? "—" : Number(value).toFixed(digits));
const COURSE_FIELD = { name: "name", grade: "grade", credits: "credits" };
const FIELD_LABEL = {
  previous_gpa: "Previous GPA",
  previous_credits: "Previous credits",
  courses: "Courses",
  current_gpa: "Current GPA",
  current_credits: "Credits so far",
  target_gpa: "Target GPA",
  remaining_credits: "Credits remaining",
};

const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * A service detail such as "courses[4].credits: must be more than 0 and at most 30 (got 45)" as
 * {text: "Course 5 (Chemistry): credits must be more than 0 and at most 30.", key, index, sub}.
 * `courseName(i)` gives the name typed in row i (may be empty).
 */
export function plainError(detail, courseName = () => "") {
  const match = /^([a-z_]+)(?:\[(\d+)\])?(?:\.([a-z_]+))?:\s*(.+)$/i.exec(detail ?? "");
  if (!match) return { text: sentence(detail || "Something went wrong. Please check the values."), key: null };
  const [, key, index, sub, raw] = match;
  let rest = raw.replace(/\s*\(got [^)]*\)\s*$/, "").trim();
  for (const [name, label] of Object.entries(FIELD_LABEL))
    if (name.includes("_")) rest = rest.replaceAll(name, label.charAt(0).toLowerCase() + label.slice(1));
  if (index !== undefined && key === "courses") {
    const i = Number(index);
    const name = courseName(i);
    const what = `Course ${i + 1}${name ? ` (${name})` : ""}`;
    return { text: sentence(`${what}: ${sub ? `${COURSE_FIELD[sub] ?? sub.replaceAll("_", " ")} ` : ""}${rest}`), key, index: i, sub };
  }
  const label = FIELD_LABEL[key] ?? key.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
  return { text: sentence(`${label}: ${rest}`), key };
}

export async function render(root, { user }) {
  root.append(pageHeader("GPA calculator", "Add your courses; the result updates as you type. They are saved to your profile and come back on your next visit, on any device."));
  let scale = FALLBACK_GRADES.map((grade) => ({ grade, points: null }));
  try { scale = await api("/api/gpa/scale"); } catch { /* fallback list */ }

  const coursesPath = `/api/users/${encodeURIComponent(user?.id ?? "")}/courses`;
  /** Where the lists of this browser were kept before they were saved to the profile. */
  const oldStorageKey = `campus.gpa.${user?.id ?? "anonymous"}`;
  const rowsEl = h("tbody", { id: "course-rows" });
  const resultEl = h("div", { class: "gpa-result", "aria-live": "polite", id: "gpa-result" });
  const errorEl = h("p", { class: "form-error", role: "alert", id: "gpa-error" });
  const prevGpa = h("input", { type: "number", min: "0", max: "4", step: "0.01", placeholder: "e.g. 3.40", id: "prev-gpa", inputmode: "decimal" });
  const prevCredits = h("input", { type: "number", min: "0", step: "0.5", placeholder: "e.g. 30", id: "prev-credits", inputmode: "decimal" });
  let lastResult = null;

  // Keeping the courses -------------------------------------------------------------------------
  const savedNote = h("p", { class: "muted small", id: "courses-saved", "aria-live": "polite" });
  let rowSeq = 0;
  const allRows = () => [...rowsEl.querySelectorAll(".course-row")];

  /** The rows as the profile keeps them: retakes by the index of the row above. */
  function worksheet() {
    const rows = allRows();
    const number = (input) => (input.value.trim() === "" || Number.isNaN(Number(input.value)) ? null : Number(input.value));
    return {
      courses: rows.map((row) => {
        const earlier = rows.findIndex((other) => other.dataset.rowId === row.querySelector(".course-retake").value);
        return { name: row.querySelector(".course-name").value, grade: row.querySelector(".course-grade").value, credits: number(row.querySelector(".course-credits")), retake_of: earlier >= 0 ? earlier : null };
      }),
      previous_gpa: number(prevGpa),
      previous_credits: number(prevCredits),
    };
  }

  /** Another device or tab saved since this page read the list: ask, never overwrite silently. */
  function changedElsewhere() {
    savedNote.dataset.state = "conflict";
    const load = h("button", { type: "button", class: "btn btn-ghost btn-small", id: "courses-load-theirs", text: "Load the saved list" });
    const keep = h("button", { type: "button", class: "btn btn-ghost btn-small", id: "courses-keep-mine", text: "Keep mine" });
    load.addEventListener("click", async () => {
      try {
        fillRows(await api(coursesPath));
        await calculate();
      } catch (error) {
        savedNote.textContent = `The saved list could not be loaded: ${error.message}`;
      }
    });
    keep.addEventListener("click", async () => {
      try {
        version = (await api(coursesPath)).version;
        await saveNow();
      } catch (error) {
        savedNote.textContent = `Not saved: ${error.message}`;
      }
    });
    // Focus stays where the user is typing: a space or Enter there must not press "Load" for them.
    clear(savedNote, "Not saved: your courses were changed on another device or tab since this page loaded them. ", load, " ", keep);
  }

  function showSaved(at) {
    savedNote.textContent = `Saved to your profile at ${new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`;
    savedNote.dataset.state = "saved";
  }

  // One save at a time, the latest list last: a save asked for while one is on its way follows it.
  // The note says "Saved" only when what is on screen is what the profile holds.
  let saving = null;
  let saveAgain = false;
  let edits = 0;
  /** The profile's version this page's list is based on: a save over a newer one is refused (412). */
  let version = 0;

  function editing() {
    edits += 1;
    // Changed elsewhere: nothing is saved until the user chooses (and the choice stays on screen).
    if (savedNote.dataset.state === "conflict") return;
    savedNote.textContent = "Saving…";
    savedNote.dataset.state = "pending";
    save();
  }
  async function saveNow() {
    if (saving) {
      saveAgain = true;
      return;
    }
    const edited = edits;
    saving = (async () => {
      try {
        const saved = await api(coursesPath, { method: "PUT", body: worksheet(), headers: { "If-Match": `"${version}"` } });
        version = saved.version;
        if (edited === edits) showSaved(saved.saved_at);
      } catch (error) {
        if (error.status === 412) {
          changedElsewhere();
          return;
        }
        savedNote.dataset.state = "error";
        savedNote.textContent = error.status === 422 ? "Not saved until the marked values are fixed: your profile keeps the list as it was." : `Not saved: ${error.message}`;
      }
    })();
    await saving;
    saving = null;
    if (saveAgain) {
      saveAgain = false;
      await saveNow();
    }
  }
  const save = debounce(saveNow, 600);

  /** The profile's list; one this browser kept from before is carried over once. */
  async function loadSaved() {
    let saved = null;
    try {
      saved = await api(coursesPath);
    } catch (error) {
      savedNote.textContent = `Your saved courses could not be loaded: ${error.message}`;
      return null;
    }
    version = saved.version ?? 0;
    if (saved.saved_at) return saved;
    try {
      const old = JSON.parse(localStorage.getItem(oldStorageKey) ?? "null");
      if (old && Array.isArray(old.courses) && old.courses.length) return { ...old, carried: true };
    } catch { /* nothing usable */ }
    return null;
  }

  /** Labels follow the row's position, so "Course 5" in a message is the fifth row on screen. */
  function renumber() {
    allRows().forEach((row, i) => {
      const n = i + 1;
      row.querySelector(".course-name").setAttribute("aria-label", `Course ${n} name`);
      row.querySelector(".course-name").setAttribute("placeholder", `Course ${n}`);
      row.querySelector(".course-grade").setAttribute("aria-label", `Course ${n} grade`);
      row.querySelector(".course-credits").setAttribute("aria-label", `Course ${n} credits`);
      row.querySelector(".course-retake").setAttribute("aria-label", `Course ${n}: retake of`);
      row.querySelector(".remove-course").setAttribute("aria-label", `Remove course ${n}`);
    });
    refreshRetakes();
  }

  /** Each row's "Retake of" offers the rows above it that no other row retakes yet. */
  function refreshRetakes() {
    const rows = allRows();
    const retakenBy = new Map(rows.map((row) => [row.querySelector(".course-retake").value, row]));
    rows.forEach((row, i) => {
      const select = row.querySelector(".course-retake");
      const chosen = rows.slice(0, i).some((other) => other.dataset.rowId === select.value) ? select.value : "";
      const options = [h("option", { value: "", text: "Not a retake" })];
      rows.slice(0, i).forEach((other, j) => {
        const name = other.querySelector(".course-name").value.trim();
        const grade = other.querySelector(".course-grade").value;
        const detail = [name, grade].filter(Boolean).join(", ");
        const taken = retakenBy.has(other.dataset.rowId) && retakenBy.get(other.dataset.rowId) !== row;
        options.push(h("option", { value: other.dataset.rowId, text: `Course ${j + 1}${detail ? ` (${detail})` : ""}${taken ? " · already retaken" : ""}`, disabled: taken }));
      });
      clear(select, options);
      select.value = chosen;
      select.disabled = i === 0;
    });
  }

  function addRow(course = BLANK) {
    const name = h("input", { type: "text", value: course.name, class: "course-name" });
    const retake = h("select", { class: "course-retake" }, h("option", { value: "", text: "Not a retake" }));
    const grade = h("select", { class: "course-grade" },
      h("option", { value: "", text: "Grade…" }),
      scale.map((entry) => h("option", { value: entry.grade, text: entry.points === null ? `${entry.grade} (no GPA)` : `${entry.grade} · ${fmt(entry.points, 1)}` })));
    grade.value = course.grade;
    const credits = h("input", { type: "number", min: "0.5", max: "30", step: "0.5", value: course.credits, placeholder: "e.g. 3", class: "course-credits", inputmode: "decimal" });
    const points = h("td", { class: "num course-points", text: "—" });
    const remove = h("button", { type: "button", class: "icon-btn remove-course" }, icon("close"));
    const row = h("tr", { class: "course-row", "data-row-id": String(++rowSeq) }, h("td", {}, name), h("td", {}, grade), h("td", {}, credits), h("td", {}, retake), points, h("td", {}, remove));
    remove.addEventListener("click", () => {
      const rows = allRows();
      const index = rows.indexOf(row);
      // a retake of this attempt becomes a retake of the one this retook (F → D → B without the D: F → B)
      for (const other of rows) {
        const select = other.querySelector(".course-retake");
        if (select.value === row.dataset.rowId) {
          const earlier = retake.value;
          if (earlier && !select.querySelector(`option[value="${earlier}"]`)) select.append(h("option", { value: earlier }));
          select.value = earlier;
        }
      }
      row.remove();
      renumber();
      const next = rowsEl.querySelectorAll(".course-row")[Math.min(index, rows.length - 2)];
      (next?.querySelector(".remove-course") ?? addButton).focus();
      changed();
    });
    for (const input of [name, grade, credits, retake])
      for (const type of ["input", "change"]) input.addEventListener(type, changed);
    // the rows below name this one in their "Retake of"
    for (const input of [name, grade, retake]) input.addEventListener("change", refreshRetakes);
    rowsEl.append(row);
    renumber();
    return row;
  }

  // Errors -----------------------------------------------------------------------------------------
  function clearInvalid(scope) {
    scope.querySelectorAll("[aria-invalid]").forEach((el) => {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-errormessage");
    });
  }

  // The field the user is working in: one they clicked or typed in since it took focus. Tabbing
  // past a field does not count; clicking into the planner and typing there does.
  let engaged = null;
  const engage = (event) => { engaged = event.target; };
  root.addEventListener("pointerdown", engage, true);
  root.addEventListener("input", engage, true);
  root.addEventListener("focusin", (event) => { if (event.target !== engaged) engaged = null; }, true);

  /** Marks `control` and takes the user to it (an answer that comes after they tabbed on), unless
   * they are working in another field by then: a late answer must not pull the caret out of the
   * field they clicked or typed in (their next keystrokes would land in the course row). The
   * message is an alert either way. */
  function markInvalid(control, messageEl) {
    if (!control) return;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-errormessage", messageEl.id);
    const active = document.activeElement;
    if (active && active !== control && active === engaged) return;
    control.focus();
  }

  /** The result cards without a number: `text` says what to do to get one. */
  function noResult(text, state) {
    lastResult = null;
    resultEl.dataset.state = state;
    resultEl.classList.remove("is-stale"); // what it says is for the input as it is now
    clear(resultEl, resultCard("—", text, null, false, text));
    planner.fromResult();
  }

  const lettered = new Set(scale.filter((entry) => entry.points !== null).map((entry) => entry.grade));
  let calcSeq = 0;
  const calculate = async () => {
    const seq = ++calcSeq;
    const rows = allRows();
    errorEl.textContent = "";
    clearInvalid(calculator);
    rows.forEach((row) => { row.querySelector(".course-points").textContent = "—"; });
    if (!rows.length) {
      noResult("Add a course to see your GPA.", "empty");
      return;
    }
    // A row left empty is not a course yet; one with a grade or credits missing is not counted
    // until it has both (it says so); the others go to the service.
    const counted = [];
    const unfinished = [];
    rows.forEach((row, i) => {
      const name = row.querySelector(".course-name").value.trim();
      const grade = row.querySelector(".course-grade").value;
      const credits = row.querySelector(".course-credits").value.trim();
      if (!name && !grade && !credits) return;
      if (!grade || !credits) unfinished.push(i + 1);
      else counted.push({ row, index: i, course: { name: name || `Course ${i + 1}`, grade, credits: Number(credits) } });
    });
    // a retake names its earlier attempt by its place among the courses sent (one not sent yet is no link)
    counted.forEach(({ row, course }) => {
      const earlier = counted.findIndex((other) => other.row.dataset.rowId === row.querySelector(".course-retake").value);
      if (earlier >= 0) course.retake_of = earlier;
    });
    const unfinishedNote = unfinished.length ? `${unfinished.length === 1 ? `Course ${unfinished[0]} is` : `Courses ${unfinished.slice(0, -1).join(", ")} and ${unfinished.at(-1)} are`} not counted until ${unfinished.length === 1 ? "it has" : "they have"} a grade and credits.` : "";
    if (!counted.length) {
      noResult(unfinished.length ? `Pick a grade and enter the credits of a course to see your GPA.` : "Add a course to see your GPA.", "empty");
      return;
    }
    if (lettered.size && !counted.some(({ course }) => lettered.has(course.grade))) {
      noResult("Add a course with a letter grade (A+ to F) to see your GPA: P, NP, W and I count toward no GPA.", "empty");
      return;
    }
    const body = { courses: counted.map(({ course }) => course) };
    if (prevGpa.value !== "" && prevCredits.value !== "") {
      body.previous_gpa = Number(prevGpa.value);
      body.previous_credits = Number(prevCredits.value);
    }
    resultEl.classList.add("is-stale");
    try {
      const result = await api("/api/gpa/calculate", { method: "POST", body });
      if (seq !== calcSeq) return;
      counted.forEach(({ row }, k) => {
        const course = result.courses[k];
        const cell = row.querySelector(".course-points");
        const points = course.counts ? `${fmt(course.grade_points, Number.isInteger(Math.round(Number(course.grade_points) * 1000) / 100) ? 1 : 2)} × ${course.credits} = ${fmt(course.quality_points)}` : course.grade_points !== null ? "not counted" : "not graded";
        clear(cell, points, course.note ? h("span", { class: "course-note", text: course.note }) : null);
      });
      const combined = body.previous_gpa !== undefined;
      lastResult = { gpa: combined ? result.cumulative_gpa : result.gpa, credits: Number(result.total_credits) + (combined ? body.previous_credits : 0) };
      const half = prevGpa.value !== "" || prevCredits.value !== "";
      resultEl.dataset.state = "ok";
      const text = `${Number(result.total_credits)} graded credits · ${fmt(result.quality_points)} quality points${unfinishedNote ? `. ${unfinishedNote}` : ""}`;
      clear(resultEl, resultCard(fmt(result.gpa), text, combined ? fmt(result.cumulative_gpa) : null, half && !combined));
      if (result.courses.some((course) => course.retake_of !== null))
        resultEl.append(h("p", { class: "muted small", id: "retake-policy", text: `Retakes: this campus's policy is that ${RETAKE_POLICY[result.retake_policy] ?? result.retake_policy}.` }));
      planner.fromResult();
    } catch (error) {
      if (seq !== calcSeq) return;
      // the service numbers the courses it was sent; the message numbers the rows on screen
      const detail = String(error.message ?? "").replace(/^courses\[(\d+)\]/, (all, k) => (counted[Number(k)] ? `courses[${counted[Number(k)].index}]` : all));
      const problem = plainError(detail, (i) => rows[i]?.querySelector(".course-name").value.trim() ?? "");
      errorEl.textContent = problem.text;
      let control = null;
      if (problem.key === "courses" && problem.index !== undefined) control = rows[problem.index]?.querySelector(`.course-${problem.sub ?? "credits"}`);
      else if (problem.key === "previous_gpa") control = prevGpa;
      else if (problem.key === "previous_credits") control = prevCredits;
      markInvalid(control, errorEl);
      const what = problem.key === "courses" && problem.index !== undefined ? "the marked course" : control ? "the marked field" : "the problem below the courses";
      noResult(`Fix ${what} to see your GPA.`, "error");
    } finally {
      if (seq === calcSeq) resultEl.classList.remove("is-stale");
    }
  };
  const recalc = debounce(calculate, 250);
  const changed = () => {
    editing();
    resultEl.classList.add("is-stale"); // the number shown is for the input as it was
    recalc();
  };
  for (const input of [prevGpa, prevCredits])
    for (const type of ["input", "change"]) input.addEventListener(type, changed);

  /** `none`: the sentence both cards show instead of a number. */
  function resultCard(gpa, text, cumulative, half = false, none = "") {
    const cumulativeText = none || (cumulative ? "including previous terms" : half ? "enter both previous GPA and previous credits to combine" : "add previous GPA and credits to combine");
    return h("div", { class: `gpa-cards${none ? " is-empty" : ""}` },
      h("div", { class: "stat stat-primary" }, h("span", { class: "stat-label", text: "Term GPA" }), h("span", { class: "stat-value", id: "term-gpa", text: gpa }), h("span", { class: "stat-text", text })),
      h("div", { class: "stat" }, h("span", { class: "stat-label", text: "Cumulative GPA" }), h("span", { class: "stat-value", id: "cumulative-gpa", text: none ? "—" : cumulative ?? gpa }),
        h("span", { class: "stat-text", text: cumulativeText })));
  }

  const addButton = h("button", {
    type: "button",
    class: "btn btn-ghost",
    id: "add-course",
    text: "+ Add course",
    onclick: () => {
      addRow().querySelector("input").focus();
      changed();
    }
  });
  const clearButton = h("button", {
    type: "button",
    class: "btn btn-ghost",
    id: "clear-courses",
    text: "Clear all",
    onclick: async () => {
      const count = allRows().length;
      const ok = await confirmDialog({
        title: "Clear all courses?",
        message: `This removes ${count === 1 ? "the course" : `all ${count} courses`} and your previous GPA and credits from your profile, on every device.`,
        confirmLabel: "Clear all",
        cancelLabel: "Keep them",
        danger: true,
      });
      if (!ok) {
        clearButton.focus();
        return;
      }
      clear(rowsEl);
      prevGpa.value = "";
      prevCredits.value = "";
      editing();
      calculate();
      addButton.focus();
    }
  });
  const planner = makePlanner();
  const calculator = h("section", { class: "card" },
    h("h2", { text: "Courses" }),
    h("div", { class: "table-wrap" }, h("table", { class: "table courses" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Course" }), h("th", { scope: "col", text: "Grade" }), h("th", { scope: "col", text: "Credits" }), h("th", { scope: "col", text: "Retake of" }), h("th", { scope: "col", class: "num", text: "Points" }), h("th", { scope: "col" }, h("span", { class: "sr-only", text: "Remove" })))),
      rowsEl)),
    h("div", { class: "gpa-actions" }, addButton, clearButton, savedNote),
    h("div", { class: "form-row" }, field("Previous GPA", prevGpa), field("Previous credits", prevCredits)),
    errorEl);
  root.append(h("div", { class: "two-col" }, calculator, h("div", { class: "stack" }, resultEl, planner.el)));

  /** The rows and previous terms of a saved list (`null`: one empty row); a saved one is the version to save over. */
  function fillRows(saved) {
    clear(rowsEl);
    const loaded = (saved ? saved.courses : [BLANK]).map((course) => addRow({ name: String(course.name ?? ""), grade: String(course.grade ?? ""), credits: String(course.credits ?? "") }));
    (saved?.courses ?? []).forEach((course, i) => {
      const earlier = Number.isInteger(course.retake_of) && course.retake_of < i ? loaded[course.retake_of] : null;
      if (earlier) loaded[i].querySelector(".course-retake").value = earlier.dataset.rowId;
    });
    refreshRetakes();
    prevGpa.value = saved?.previous_gpa ?? "";
    prevCredits.value = saved?.previous_credits ?? "";
    if (Number.isInteger(saved?.version)) version = saved.version;
    if (saved?.saved_at) showSaved(saved.saved_at);
  }

  const saved = await loadSaved();
  fillRows(saved);
  if (saved?.carried) {
    // this browser's list from before becomes the profile's
    await saveNow();
    if (savedNote.dataset.state === "saved") localStorage.removeItem(oldStorageKey);
  }
  await calculate();
  planner.plan();

  function makePlanner() {
    const ids = { cg: nextId("p"), cc: nextId("p"), tg: nextId("p"), rc: nextId("p") };
    const currentGpa = h("input", { id: ids.cg, type: "number", min: "0", max: "4", step: "0.01", inputmode: "decimal", "data-plan": "current_gpa" });
    const currentCredits = h("input", { id: ids.cc, type: "number", min: "0", step: "0.5", inputmode: "decimal", "data-plan": "current_credits" });
    const targetGpa = h("input", { id: ids.tg, type: "number", min: "0", max: "4", step: "0.01", value: "3.5", inputmode: "decimal", "data-plan": "target_gpa" });
    const remaining = h("input", { id: ids.rc, type: "number", min: "1", step: "1", value: "30", inputmode: "decimal", "data-plan": "remaining_credits" });
    const inputs = { current_gpa: currentGpa, current_credits: currentCredits, target_gpa: targetGpa, remaining_credits: remaining };
    const out = h("div", { class: "plan-result", "aria-live": "polite", id: "plan-result" });
    const linkNote = h("p", { class: "muted small plan-link", id: "plan-link" });
    // The current GPA and credits follow the calculator's result until the user types their own.
    let linked = true;
    const useResult = h("button", { type: "button", class: "btn btn-ghost btn-small", id: "use-result", text: "Use my result" });
    let seq = 0;
    const plan = async () => {
      const mine = ++seq;
      clearInvalid(section);
      const missing = Object.entries(inputs).filter(([, input]) => input.value.trim() === "").map(([key]) => FIELD_LABEL[key].toLowerCase().replace("gpa", "GPA"));
      if (missing.length) {
        const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
        clear(out, h("p", { class: "plan-missing", text: `Enter your ${list} to see the average you need.` }));
        return;
      }
      try {
        const result = await api("/api/gpa/plan", { method: "POST", body: { current_gpa: Number(currentGpa.value), current_credits: Number(currentCredits.value), target_gpa: Number(targetGpa.value), remaining_credits: Number(remaining.value) } });
        if (mine !== seq) return;
        const required = Number(result.required_gpa);
        clear(out, h("p", { class: result.achievable ? "plan-ok" : "plan-bad" },
          h("strong", { text: required <= 0 ? "Already there! " : result.achievable ? `You need ${fmt(required)} ` : `Out of reach: ${fmt(required)} needed ` }),
          required <= 0 ? "Your target is met whatever your remaining grades." : result.achievable ? "on average over your remaining credits." : "— more than the 4.00 maximum. Try a lower target or more credits."));
      } catch (error) {
        if (mine !== seq) return;
        const problem = plainError(error.message);
        const message = h("p", { class: "form-error", role: "alert", id: nextId("pe"), text: problem.text });
        clear(out, message);
        markInvalid(inputs[problem.key], message);
      }
    };
    const planSoon = debounce(plan, 300);
    for (const input of Object.values(inputs))
      for (const type of ["input", "change"]) input.addEventListener(type, planSoon);
    for (const input of [currentGpa, currentCredits]) {
      input.addEventListener("input", () => {
        linked = false;
        showLink();
      });
    }

    function showLink() {
      useResult.disabled = !lastResult;
      const broken = resultEl.dataset.state === "error";
      linkNote.textContent = linked && lastResult ? "Current GPA and credits come from your calculator result." : lastResult ? "" : broken ? "Fix the marked course on the left to use your result here." : "Calculate a GPA on the left to use it here.";
    }

    /** While linked the fields hold the calculator's result, and nothing when there is none. */
    function fill() {
      currentGpa.value = lastResult ? fmt(lastResult.gpa) : "";
      currentCredits.value = lastResult ? String(Number(lastResult.credits)) : "";
    }
    useResult.addEventListener("click", () => {
      linked = true;
      fill();
      showLink();
      plan();
    });
    const section = h("section", { class: "card" }, h("h2", { text: "Target planner" }), h("p", { class: "muted small", text: "What average do you need to reach your goal?" }),
      h("div", { class: "plan-use" }, useResult, linkNote),
      h("div", { class: "form-grid" }, field("Current GPA", currentGpa), field("Credits so far", currentCredits), field("Target GPA", targetGpa), field("Credits remaining", remaining)), out);
    return {
      el: section,
      plan,
      /** The calculator has a new result (or none): follow it while linked. */
      fromResult() {
        if (linked) {
          fill();
          if (seq) planSoon();
        }
        showLink();
      },
    };
  }
}
