// Window staff's cases (staff_cases.html): accept an application (受理), take a case through its
// states with the steps /api/meta allows from each, and watch deadlines (电子监察). The token is
// kept in sessionStorage for the tab's lifetime, like the day list's (staff.js).

import { apiClient } from "./js/api.js";
import { $, el, say } from "./js/dom.js";
import { label, loadVocabulary, term } from "./js/vocabulary.js";

const TOKEN_KEY = "staffToken";
const STAFF_KEY = "caseStaffName";
const LIST_SEPARATOR = /[、，,；;\n]+/;

const api = apiClient({
  tokenKey: TOKEN_KEY,
  onUnauthorized: (message) => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); say("message", message); },
});

function cell(row, text, className) { return row.appendChild(el("td", { text, className })); }

function showLogin() { $("login").hidden = false; $("desk").hidden = true; $("token").focus(); }

async function showDesk() {
  await api("/api/cases?status=accepted");  // checks the token before the desk is shown
  $("login").hidden = true;
  $("desk").hidden = false;
  $("staff").value ||= sessionStorage.getItem(STAFF_KEY) || "";
  await loadVocabulary();
  await Promise.all([loadCases(), loadWatch(false)]);
}

function deadlineText(deadline) {
  const left = deadline.working_days_left === null ? "" : "，剩 " + deadline.working_days_left + " 个工作日";
  return deadline.due_on + "（" + label("case_warnings", deadline.warning) + left + "）";
}

async function loadCases() {
  const rows = $("rows");
  rows.replaceChildren();
  const cases = await api("/api/cases");
  for (const c of cases) rows.appendChild(caseRow(c));
  if (!cases.length) cell(rows.appendChild(el("tr")), "还没有办件").colSpan = 8;
}

function caseRow(c) {
  const row = el("tr");
  row.dataset.number = c.number;
  cell(row, c.number);
  cell(row, c.item_name);
  cell(row, c.department);
  cell(row, c.applicant);
  cell(row, "").appendChild(el("span", { text: c.status_label, className: "status" }));
  cell(row, deadlineText(c.deadline), "deadline warning-" + c.deadline.warning);
  cell(row, c.materials_missing.join("、") || c.reason || "—", c.materials_missing.length ? "missing" : "");
  const actions = cell(row, "");
  const note = el("input", { className: "note", attrs: { "aria-label": "理由或补正材料" } });
  actions.appendChild(note);
  // The steps the service allows from this state, as /api/meta publishes them.
  for (const action of term("case_statuses", c.status)?.actions || []) {
    const button = el("button", { text: label("case_actions", action), attrs: { type: "button", "data-action": action } });
    button.addEventListener("click", () => takeStep(c.number, action, note.value));
    actions.appendChild(button);
  }
  return row;
}

function stepBody(action, text) {
  const body = { staff: $("staff").value.trim() };
  const step = term("case_actions", action);
  const written = text.trim();
  if (step?.needs_materials) body.materials = written.split(LIST_SEPARATOR).map((m) => m.trim()).filter(Boolean);
  else if (written) body.reason = written;
  return body;
}

async function takeStep(number, action, text) {
  say("message", "");
  try {
    await api("/api/cases/" + encodeURIComponent(number) + "/" + action, { method: "POST", body: stepBody(action, text) });
    await Promise.all([loadCases(), loadWatch(false)]);
  } catch (error) { say("message", error.message); }
}

async function loadWatch(checkOverdue) {
  if (checkOverdue) await api("/api/cases/overdue-check", { method: "POST" });
  const watch = await api("/api/cases/supervision");
  say("watch-summary", watch.as_of + "：临近时限 " + watch.yellow + " 件，已超期 " + watch.red + " 件");
  const departments = $("watch-departments");
  departments.replaceChildren();
  for (const department of watch.departments) {
    const block = el("div", { className: "department" });
    block.dataset.department = department.department;
    block.appendChild(el("h3", { text: department.department + "：黄灯 " + department.yellow + " 件，红灯 " + department.red + " 件" }));
    for (const c of department.cases) {
      block.appendChild(el("div", {
        text: c.number + " " + c.item_name + " " + c.applicant + " " + deadlineText(c.deadline),
        className: "warning-" + c.deadline.warning,
      }));
    }
    departments.appendChild(block);
  }
}

function value(id) { const text = $(id).value.trim(); return text || undefined; }

$("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("message", "");
  sessionStorage.setItem(STAFF_KEY, $("staff").value.trim());
  const appointment = value("appointment");
  const body = appointment
    ? { staff: value("staff"), appointment_code: appointment }
    : { staff: value("staff"), item_code: value("item"), applicant: value("applicant"), phone: value("phone"), id_number: value("id-number") };
  // Only for an item whose guide publishes no 承诺时限: the service says when it is needed.
  const promisedDays = value("promised-days");
  if (promisedDays) body.promised_days = Number(promisedDays);
  try {
    const created = await api("/api/cases", { method: "POST", body });
    for (const id of ["appointment", "item", "applicant", "phone", "id-number", "promised-days"]) $(id).value = "";
    await loadCases();
    say("message", "已受理，办件编号 " + created.number);
  } catch (error) { say("message", error.message); }
});
$("watch").addEventListener("click", () => loadWatch(true).catch((error) => say("message", error.message)));
$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  try { await showDesk(); } catch (error) { say("message", error.message); }
});
$("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("rows").replaceChildren(); showLogin(); });

if (sessionStorage.getItem(TOKEN_KEY)) showDesk().catch((error) => say("message", error.message)); else showLogin();
