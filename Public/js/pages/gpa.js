// GPA calculator: course rows with a grade picker, a live result from the GPA service with the
// points per course, the cumulative GPA, and the target planner.
import { api } from "../api.js";
import { h, clear, field, pageHeader, debounce, nextId } from "../ui.js";

const FALLBACK_GRADES = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F", "P", "NP", "W", "I"];
const fmt = (value, digits = 2) => (value === null || value === undefined ? "—" : Number(value).toFixed(digits));

export async function render(root) {
  root.append(pageHeader("GPA calculator", "Add your courses; the result updates as you type."));
  let scale = FALLBACK_GRADES.map((grade) => ({ grade, points: null }));
  try { scale = await api("/api/gpa/scale"); } catch { /* fallback list */ }

  const rowsEl = h("tbody", { id: "course-rows" });
  const resultEl = h("div", { class: "gpa-result", "aria-live": "polite", id: "gpa-result" });
  const errorEl = h("p", { class: "form-error", role: "alert", id: "gpa-error" });
  const prevGpa = h("input", { type: "number", min: "0", max: "4", step: "0.01", placeholder: "e.g. 3.40", id: "prev-gpa", inputmode: "decimal" });
  const prevCredits = h("input", { type: "number", min: "0", step: "0.5", placeholder: "e.g. 30", id: "prev-credits", inputmode: "decimal" });
  let counter = 0;

  function addRow(course = { name: "", grade: "A", credits: "3" }) {
    counter += 1;
    const name = h("input", { type: "text", value: course.name, placeholder: `Course ${counter}`, "aria-label": `Course ${counter} name`, class: "course-name" });
    const grade = h("select", { "aria-label": `Course ${counter} grade`, class: "course-grade" },
      scale.map((entry) => h("option", { value: entry.grade, text: entry.points === null ? `${entry.grade} (no GPA)` : `${entry.grade} · ${fmt(entry.points, 1)}` })));
    grade.value = course.grade;
    const credits = h("input", { type: "number", min: "0.5", max: "30", step: "0.5", value: course.credits, "aria-label": `Course ${counter} credits`, class: "course-credits", inputmode: "decimal" });
    const points = h("td", { class: "num course-points", text: "—" });
    const remove = h("button", { type: "button", class: "icon-btn remove-course", "aria-label": `Remove course ${counter}`, text: "✕" });
    const row = h("tr", { class: "course-row" }, h("td", {}, name), h("td", {}, grade), h("td", {}, credits), points, h("td", {}, remove));
    remove.addEventListener("click", () => {
      row.remove();
      recalc();
    });
    for (const input of [name, grade, credits])
      for (const type of ["input", "change"]) input.addEventListener(type, recalc);
    rowsEl.append(row);
    return row;
  }

  const calculate = async () => {
    const rows = [...rowsEl.querySelectorAll(".course-row")];
    errorEl.textContent = "";
    if (!rows.length) {
      clear(resultEl, resultCard("—", "Add a course to see your GPA.", null));
      return;
    }
    const courses = rows.map((row, i) => ({
      name: row.querySelector(".course-name").value.trim() || `Course ${i + 1}`,
      grade: row.querySelector(".course-grade").value,
      credits: Number(row.querySelector(".course-credits").value),
    }));
    const body = { courses };
    if (prevGpa.value !== "" && prevCredits.value !== "") {
      body.previous_gpa = Number(prevGpa.value);
      body.previous_credits = Number(prevCredits.value);
    }
    resultEl.classList.add("is-stale");
    try {
      const result = await api("/api/gpa/calculate", { method: "POST", body });
      rows.forEach((row, i) => {
        const course = result.courses[i];
        row.querySelector(".course-points").textContent = course?.quality_points === null ? "not graded" : `${fmt(course.grade_points, 1)} × ${course.credits} = ${fmt(course.quality_points)}`;
      });
      clear(resultEl, resultCard(fmt(result.gpa), `${fmt(result.total_credits, 1).replace(/\.0$/, "")} graded credits · ${fmt(result.quality_points)} quality points`, body.previous_gpa !== undefined ? fmt(result.cumulative_gpa) : null));
    } catch (error) {
      errorEl.textContent = error.message;
      rows.forEach((row) => { row.querySelector(".course-points").textContent = "—"; });
    } finally {
      resultEl.classList.remove("is-stale");
    }
  };
  const recalc = debounce(calculate, 250);
  for (const input of [prevGpa, prevCredits])
    for (const type of ["input", "change"]) input.addEventListener(type, recalc);

  function resultCard(gpa, text, cumulative) {
    return h("div", { class: "gpa-cards" },
      h("div", { class: "stat stat-primary" }, h("span", { class: "stat-label", text: "Term GPA" }), h("span", { class: "stat-value", id: "term-gpa", text: gpa }), h("span", { class: "stat-text", text })),
      h("div", { class: "stat" }, h("span", { class: "stat-label", text: "Cumulative GPA" }), h("span", { class: "stat-value", id: "cumulative-gpa", text: cumulative ?? gpa }), h("span", { class: "stat-text", text: cumulative ? "including previous terms" : "add previous GPA and credits to combine" })));
  }

  const addButton = h("button", {
    type: "button",
    class: "btn btn-ghost",
    id: "add-course",
    text: "+ Add course",
    onclick: () => {
      addRow({ name: "", grade: "B", credits: "3" }).querySelector("input").focus();
      recalc();
    }
  });
  root.append(h("div", { class: "two-col" },
    h("section", { class: "card" },
      h("h2", { text: "This term" }),
      h("div", { class: "table-wrap" }, h("table", { class: "table courses" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Course" }), h("th", { scope: "col", text: "Grade" }), h("th", { scope: "col", text: "Credits" }), h("th", { scope: "col", class: "num", text: "Points" }), h("th", { scope: "col" }, h("span", { class: "sr-only", text: "Remove" })))),
        rowsEl)),
      addButton,
      h("div", { class: "form-row" }, field("Previous GPA", prevGpa), field("Previous credits", prevCredits)),
      errorEl),
    h("div", { class: "stack" }, resultEl, planner())));

  addRow({ name: "Calculus I", grade: "A-", credits: "4" });
  addRow({ name: "Academic Writing", grade: "B+", credits: "3" });
  await calculate();

  function planner() {
    const ids = { cg: nextId("p"), cc: nextId("p"), tg: nextId("p"), rc: nextId("p") };
    const currentGpa = h("input", { id: ids.cg, type: "number", min: "0", max: "4", step: "0.01", value: "3.0", inputmode: "decimal" });
    const currentCredits = h("input", { id: ids.cc, type: "number", min: "0", step: "1", value: "30", inputmode: "decimal" });
    const targetGpa = h("input", { id: ids.tg, type: "number", min: "0", max: "4", step: "0.01", value: "3.5", inputmode: "decimal" });
    const remaining = h("input", { id: ids.rc, type: "number", min: "1", step: "1", value: "30", inputmode: "decimal" });
    const out = h("div", { class: "plan-result", "aria-live": "polite", id: "plan-result" });
    const plan = debounce(async () => {
      try {
        const result = await api("/api/gpa/plan", { method: "POST", body: { current_gpa: Number(currentGpa.value), current_credits: Number(currentCredits.value), target_gpa: Number(targetGpa.value), remaining_credits: Number(remaining.value) } });
        const required = Number(result.required_gpa);
        clear(out, h("p", { class: result.achievable ? "plan-ok" : "plan-bad" },
          h("strong", { text: required <= 0 ? "Already there! " : result.achievable ? `You need ${fmt(required)} ` : `Out of reach: ${fmt(required)} needed ` }),
          required <= 0 ? "Your target is met whatever your remaining grades." : result.achievable ? "on average over your remaining credits." : "— more than the 4.00 maximum. Try a lower target or more credits."));
      } catch (error) {
        clear(out, h("p", { class: "form-error", role: "alert", text: error.message }));
      }
    }, 300);
    for (const input of [currentGpa, currentCredits, targetGpa, remaining])
      for (const type of ["input", "change"]) input.addEventListener(type, plan);
    plan();
    return h("section", { class: "card" }, h("h2", { text: "Target planner" }), h("p", { class: "muted small", text: "What average do you need to reach your goal?" }),
      h("div", { class: "form-grid" }, field("Current GPA", currentGpa), field("Credits so far", currentCredits), field("Target GPA", targetGpa), field("Credits remaining", remaining)), out);
  }
}
