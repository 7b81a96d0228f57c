// GPA calculator: course rows with a grade picker, a live result from the GPA service with the
// points per course, the cumulative GPA, and the target planner (which can take the result as its
// starting point). The courses are kept in this browser (localStorage, per user) until cleared.
// A new user starts with one empty row (examples only as placeholders) and no GPA until a course
// has a grade and credits. The service's field errors ("courses[4].credits: …") are shown as
// sentences naming the course and the field, and the field is marked invalid and focused; while
// the input cannot be calculated the result cards show no number at all (never the last one),
// and the planner does not use one.
import { api } from "../api.js";
import { h, clear, field, pageHeader, debounce, nextId } from "../ui.js";
import { icon } from "../icons.js";

const FALLBACK_GRADES = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F", "P", "NP", "W", "I"];
const BLANK = { name: "", grade: "", credits: "" };
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
  root.append(pageHeader("GPA calculator", "Add your courses; the result updates as you type. They are kept in this browser until you clear them."));
  let scale = FALLBACK_GRADES.map((grade) => ({ grade, points: null }));
  try { scale = await api("/api/gpa/scale"); } catch { /* fallback list */ }

  const storageKey = `campus.gpa.${user?.id ?? "anonymous"}`;
  const rowsEl = h("tbody", { id: "course-rows" });
  const resultEl = h("div", { class: "gpa-result", "aria-live": "polite", id: "gpa-result" });
  const errorEl = h("p", { class: "form-error", role: "alert", id: "gpa-error" });
  const prevGpa = h("input", { type: "number", min: "0", max: "4", step: "0.01", placeholder: "e.g. 3.40", id: "prev-gpa", inputmode: "decimal" });
  const prevCredits = h("input", { type: "number", min: "0", step: "0.5", placeholder: "e.g. 30", id: "prev-credits", inputmode: "decimal" });
  let lastResult = null;

  // Keeping the courses -------------------------------------------------------------------------
  function loadSaved() {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) ?? "null");
      return saved && Array.isArray(saved.courses) ? saved : null;
    } catch {
      return null;
    }
  }

  function save() {
    const courses = [...rowsEl.querySelectorAll(".course-row")].map((row) => ({
      name: row.querySelector(".course-name").value,
      grade: row.querySelector(".course-grade").value,
      credits: row.querySelector(".course-credits").value,
    }));
    try {
      localStorage.setItem(storageKey, JSON.stringify({ courses, previous_gpa: prevGpa.value, previous_credits: prevCredits.value }));
    } catch { /* storage full or blocked: the page still works */ }
  }

  /** Labels follow the row's position, so "Course 5" in a message is the fifth row on screen. */
  function renumber() {
    [...rowsEl.querySelectorAll(".course-row")].forEach((row, i) => {
      const n = i + 1;
      row.querySelector(".course-name").setAttribute("aria-label", `Course ${n} name`);
      row.querySelector(".course-name").setAttribute("placeholder", `Course ${n}`);
      row.querySelector(".course-grade").setAttribute("aria-label", `Course ${n} grade`);
      row.querySelector(".course-credits").setAttribute("aria-label", `Course ${n} credits`);
      row.querySelector(".remove-course").setAttribute("aria-label", `Remove course ${n}`);
    });
  }

  function addRow(course = BLANK) {
    const name = h("input", { type: "text", value: course.name, class: "course-name" });
    const grade = h("select", { class: "course-grade" },
      h("option", { value: "", text: "Grade…" }),
      scale.map((entry) => h("option", { value: entry.grade, text: entry.points === null ? `${entry.grade} (no GPA)` : `${entry.grade} · ${fmt(entry.points, 1)}` })));
    grade.value = course.grade;
    const credits = h("input", { type: "number", min: "0.5", max: "30", step: "0.5", value: course.credits, placeholder: "e.g. 3", class: "course-credits", inputmode: "decimal" });
    const points = h("td", { class: "num course-points", text: "—" });
    const remove = h("button", { type: "button", class: "icon-btn remove-course" }, icon("close"));
    const row = h("tr", { class: "course-row" }, h("td", {}, name), h("td", {}, grade), h("td", {}, credits), points, h("td", {}, remove));
    remove.addEventListener("click", () => {
      const rows = [...rowsEl.querySelectorAll(".course-row")];
      const index = rows.indexOf(row);
      row.remove();
      renumber();
      const next = rowsEl.querySelectorAll(".course-row")[Math.min(index, rows.length - 2)];
      (next?.querySelector(".remove-course") ?? addButton).focus();
      changed();
    });
    for (const input of [name, grade, credits])
      for (const type of ["input", "change"]) input.addEventListener(type, changed);
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

  /** Marks `control` and takes the user to it, unless they are typing elsewhere by the time the
   * answer comes: a late answer must not pull the caret out of the field they moved on to (their
   * next keystrokes would land in the course row). The message is an alert either way. */
  function markInvalid(control, messageEl) {
    if (!control) return;
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-errormessage", messageEl.id);
    const active = document.activeElement;
    const typingElsewhere = active && active !== control && active.matches("input, select, textarea");
    if (!typingElsewhere) control.focus();
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
    const rows = [...rowsEl.querySelectorAll(".course-row")];
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
        row.querySelector(".course-points").textContent = course?.quality_points === null ? "not graded" : `${fmt(course.grade_points, 1)} × ${course.credits} = ${fmt(course.quality_points)}`;
      });
      const combined = body.previous_gpa !== undefined;
      lastResult = { gpa: combined ? result.cumulative_gpa : result.gpa, credits: Number(result.total_credits) + (combined ? body.previous_credits : 0) };
      const half = prevGpa.value !== "" || prevCredits.value !== "";
      resultEl.dataset.state = "ok";
      const text = `${fmt(result.total_credits, 1).replace(/\.0$/, "")} graded credits · ${fmt(result.quality_points)} quality points${unfinishedNote ? `. ${unfinishedNote}` : ""}`;
      clear(resultEl, resultCard(fmt(result.gpa), text, combined ? fmt(result.cumulative_gpa) : null, half && !combined));
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
    save();
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
    onclick: () => {
      clear(rowsEl);
      prevGpa.value = "";
      prevCredits.value = "";
      save();
      calculate();
      addButton.focus();
    }
  });
  const planner = makePlanner();
  const calculator = h("section", { class: "card" },
    h("h2", { text: "This term" }),
    h("div", { class: "table-wrap" }, h("table", { class: "table courses" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Course" }), h("th", { scope: "col", text: "Grade" }), h("th", { scope: "col", text: "Credits" }), h("th", { scope: "col", class: "num", text: "Points" }), h("th", { scope: "col" }, h("span", { class: "sr-only", text: "Remove" })))),
      rowsEl)),
    h("div", { class: "gpa-actions" }, addButton, clearButton),
    h("div", { class: "form-row" }, field("Previous GPA", prevGpa), field("Previous credits", prevCredits)),
    errorEl);
  root.append(h("div", { class: "two-col" }, calculator, h("div", { class: "stack" }, resultEl, planner.el)));

  const saved = loadSaved();
  for (const course of saved ? saved.courses : [BLANK]) addRow({ name: String(course.name ?? ""), grade: String(course.grade ?? ""), credits: String(course.credits ?? "") });
  if (saved) {
    prevGpa.value = saved.previous_gpa ?? "";
    prevCredits.value = saved.previous_credits ?? "";
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
