// Window staff's day list (staff.html): bookings per hall and date, and the arrived / done /
// no-show buttons. The token is kept in sessionStorage for the tab's lifetime.

import { apiClient, request } from "./js/api.js";
import { $, el, say } from "./js/dom.js";
import { label, loadVocabulary, term } from "./js/vocabulary.js";

const TOKEN_KEY = "staffToken";

const api = apiClient({
  tokenKey: TOKEN_KEY,
  onUnauthorized: () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); },
});

function cell(row, text, className) { return row.appendChild(el("td", { text, className })); }

function showLogin() { $("login").hidden = false; $("desk").hidden = true; $("token").focus(); }

async function showDesk() {
  $("login").hidden = true;
  $("desk").hidden = false;
  if (!$("date").value) $("date").value = new Date().toLocaleDateString("sv-SE");
  await loadVocabulary();
  if (!$("hall").options.length) {
    for (const hall of await request("/api/halls")) $("hall").appendChild(new Option(hall.code + " " + hall.name, hall.code));
  }
  await load();
}

async function load() {
  say("message", "");
  const day = await api("/api/staff/appointments?date=" + encodeURIComponent($("date").value) + "&hall=" + encodeURIComponent($("hall").value));
  const counts = {};
  for (const a of day.appointments) counts[a.status] = (counts[a.status] || 0) + 1;
  $("summary").textContent = day.hall.name + " " + day.date + "：共 " + day.appointments.length + " 个预约" +
    Object.entries(counts).map(([s, n]) => "，" + label("booking_statuses", s) + " " + n).join("");
  const rows = $("rows");
  rows.replaceChildren();
  for (const slot of day.slots) {
    const bookings = day.appointments.filter((a) => a.slot === slot);
    if (!bookings.length) continue;
    const header = el("tr", { className: "slot-row" });
    cell(header, slot + "（" + bookings.length + " 人）").colSpan = 10;
    rows.appendChild(header);
    for (const a of bookings) rows.appendChild(bookingRow(a));
  }
  if (!day.appointments.length) {
    const empty = el("tr");
    cell(empty, "当天没有预约").colSpan = 10;
    rows.appendChild(empty);
  }
}

function bookingRow(a) {
  const row = el("tr");
  row.dataset.code = a.code;
  cell(row, a.code);
  const item = cell(row, a.item_name + (a.situation ? "（" + a.situation + "）" : ""));
  // A booking for a whole life event (高效办成一件事): the window takes the bundle's items together.
  if (a.bundle) {
    item.appendChild(el("div", { text: "一件事：" + a.bundle.name + "（一并受理：" + a.bundle.items.join("、") + "）",
                                 className: "bundle" }));
  }
  cell(row, a.window);
  cell(row, a.name + (a.agent ? "（代办：" + a.agent.name + "）" : ""));
  cell(row, a.phone, "phone");
  cell(row, a.id_number);
  cell(row, a.materials_ready.join("、") || "—");
  cell(row, a.materials_missing.join("、") || "—", a.materials_missing.length ? "missing" : "");
  cell(row, "").appendChild(el("span", { text: label("booking_statuses", a.status), className: "status status-" + a.status }));
  const actions = cell(row, "");
  // The moves the service allows from this status, as /api/meta publishes them.
  for (const move of term("booking_statuses", a.status)?.moves || []) {
    const button = el("button", { text: move.label, attrs: { type: "button", "data-status": move.value } });
    button.addEventListener("click", () => mark(a.code, move.value));
    actions.appendChild(button);
  }
  return row;
}

async function mark(code, target) {
  try {
    await api("/api/staff/appointments/" + encodeURIComponent(code), { method: "PATCH", body: { status: target } });
    await load();
  } catch (error) { say("message", error.message); }
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  try { await showDesk(); } catch (error) { say("message", error.message); }
});
$("filter-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try { await load(); } catch (error) { say("message", error.message); }
});
$("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("rows").replaceChildren(); showLogin(); });

if (sessionStorage.getItem(TOKEN_KEY)) showDesk().catch((error) => say("message", error.message)); else showLogin();
