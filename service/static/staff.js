// Window staff's day list: bookings per hall and date, and the arrived / done / no-show buttons.
"use strict";

const TOKEN_KEY = "staffToken";
const STATUS_LABELS = { booked: "已预约", cancelled: "已取消", arrived: "已到场", done: "已办结", no_show: "未到场" };
// The moves the service allows from each status (service/booking/service.py STAFF_MOVES).
const MOVES = { booked: ["arrived", "no_show"], arrived: ["done"], no_show: ["arrived"] };
const MOVE_LABELS = { arrived: "到场", done: "办结", no_show: "未到" };

const $ = (id) => document.getElementById(id);

function say(text) { $("message").textContent = text || ""; }

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY), ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
    throw new Error(body.detail || "令牌无效，请重新输入");
  }
  if (!response.ok) throw new Error(body.detail || "请求失败（" + response.status + "）");
  return body;
}

function showLogin() { $("login").hidden = false; $("desk").hidden = true; $("token").focus(); }

async function showDesk() {
  $("login").hidden = true;
  $("desk").hidden = false;
  if (!$("date").value) $("date").value = new Date().toLocaleDateString("sv-SE");
  if (!$("hall").options.length) {
    const halls = await fetch("/api/halls").then((r) => r.json());
    for (const hall of halls) $("hall").appendChild(new Option(hall.code + " " + hall.name, hall.code));
  }
  await load();
}

async function load() {
  say("");
  const day = await api("/api/staff/appointments?date=" + encodeURIComponent($("date").value) + "&hall=" + encodeURIComponent($("hall").value));
  const counts = {};
  for (const a of day.appointments) counts[a.status] = (counts[a.status] || 0) + 1;
  $("summary").textContent = day.hall.name + " " + day.date + "：共 " + day.appointments.length + " 个预约" +
    Object.entries(counts).map(([s, n]) => "，" + STATUS_LABELS[s] + " " + n).join("");
  const rows = $("rows");
  rows.replaceChildren();
  for (const slot of day.slots) {
    const bookings = day.appointments.filter((a) => a.slot === slot);
    if (!bookings.length) continue;
    const header = document.createElement("tr");
    header.className = "slot-row";
    const td = cell(header, slot + "（" + bookings.length + " 人）");
    td.colSpan = 10;
    rows.appendChild(header);
    for (const a of bookings) rows.appendChild(bookingRow(a));
  }
  if (!day.appointments.length) {
    const empty = document.createElement("tr");
    cell(empty, "当天没有预约").colSpan = 10;
    rows.appendChild(empty);
  }
}

function bookingRow(a) {
  const row = document.createElement("tr");
  row.dataset.code = a.code;
  cell(row, a.code);
  cell(row, a.item_name + (a.situation ? "（" + a.situation + "）" : ""));
  cell(row, a.window);
  cell(row, a.name + (a.agent ? "（代办：" + a.agent.name + "）" : ""));
  cell(row, a.phone, "phone");
  cell(row, a.id_number);
  cell(row, a.materials_ready.join("、") || "—");
  cell(row, a.materials_missing.join("、") || "—", a.materials_missing.length ? "missing" : "");
  const status = cell(row, "");
  const badge = document.createElement("span");
  badge.className = "status status-" + a.status;
  badge.textContent = STATUS_LABELS[a.status];
  status.appendChild(badge);
  const actions = cell(row, "");
  for (const target of MOVES[a.status] || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = MOVE_LABELS[target];
    button.dataset.status = target;
    button.addEventListener("click", () => mark(a.code, target));
    actions.appendChild(button);
  }
  return row;
}

async function mark(code, target) {
  try {
    await api("/api/staff/appointments/" + encodeURIComponent(code), { method: "PATCH", body: JSON.stringify({ status: target }) });
    await load();
  } catch (error) { say(error.message); }
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  try { await showDesk(); } catch (error) { say(error.message); }
});
$("filter-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try { await load(); } catch (error) { say(error.message); }
});
$("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); $("rows").replaceChildren(); showLogin(); });

if (sessionStorage.getItem(TOKEN_KEY)) showDesk().catch((error) => say(error.message)); else showLogin();
