// The operators' dashboard (dashboard.html): one chart per /api/dashboard/<name> table for the chosen
// date range, each with a one-line summary (also the chart's accessible name) and its CSV; and the
// open 好差评 follow-ups, which staff close here with what was done. Chart.js is vendored (static/vendor).

import { apiClient } from "./js/api.js";
import { $, el, say, saveFile } from "./js/dom.js";

const TOKEN_KEY = "staffToken";
const STAFF_NAME_KEY = "dashboardStaffName";
const NO_DATA = "该时段没有数据";

const api = apiClient({
  tokenKey: TOKEN_KEY,
  onUnauthorized: (message) => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); say("message", message); },
});

const COLORS = {
  conversations: "#2563eb", turns: "#0d9488",
  notice: "#16a34a", offered: "#2563eb", referral: "#7c3aed", handoff: "#ea580c", declined: "#6b7280",
  not_understood: "#dc2626", other: "#cbd5e1", not_understood_share: "#111827",
  handoff_rate: "#ea580c", tickets: "#2563eb",
  attended: "#16a34a", no_shows: "#dc2626", cancelled: "#9ca3af",
  "非常满意": "#15803d", "满意": "#4ade80", "基本满意": "#93c5fd", "不满意": "#f97316", "非常不满意": "#b91c1c",
};
// ticket-deadlines: answered on time, late, open, warning, overdue.
const DEADLINE_COLORS = ["#16a34a", "#a16207", "#2563eb", "#f59e0b", "#dc2626"];
const RATINGS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"];
const OUTCOMES = ["notice", "offered", "referral", "handoff", "declined", "not_understood", "other"];

const sum = (values) => values.reduce((a, b) => a + b, 0);
const percent = (part, whole) => (whole ? Math.round((1000 * part) / whole) / 10 : 0);

/** What each chart draws from its table: the label column, the series, and the line that sums it up. */
const CHARTS = [
  { name: "conversations", type: "line", label: "day", series: ["conversations", "turns"],
    summary: (c) => `共 ${sum(c("turns"))} 轮对话，单日最多 ${Math.max(...c("conversations"))} 个对话` },
  { name: "outcomes", type: "bar", stacked: true, label: "day", series: OUTCOMES, line: "not_understood_share",
    summary: (c) => {
      const all = sum(OUTCOMES.map((key) => sum(c(key))));
      return `未理解占比 ${percent(sum(c("not_understood")), all)}%（${sum(c("not_understood"))}/${all} 轮）`;
    } },
  { name: "top-items", type: "bar", horizontal: true, label: "item_name", series: ["turns"],
    summary: (c) => `最多：${c("item_name")[0]}（${c("turns")[0]} 轮）` },
  { name: "missing-items", type: "bar", horizontal: true, label: "topic", series: ["turns"], example: "example",
    summary: (c) => `目录外诉求 ${sum(c("turns"))} 轮，最多：${c("topic")[0]}（${c("turns")[0]} 轮）` },
  { name: "handoffs", type: "bar", horizontal: true, label: "topic", series: ["handoff_rate"], percent: true,
    summary: (c) => `转人工 ${sum(c("handoffs"))} 次，最多：${c("topic")[0]}（转人工率 ${c("handoff_rate")[0]}%）` },
  { name: "ticket-deadlines", type: "doughnut", label: "state", series: ["tickets"],
    summary: (c) => { const n = c("tickets"); return `共 ${sum(n)} 件，已超期未答复 ${n[4]} 件，临近期限 ${n[3]} 件`; } },
  { name: "bookings", type: "bar", label: "hall", series: ["attended", "no_shows", "cancelled"],
    summary: (c) => `预约 ${sum(c("bookings"))} 个，爽约 ${sum(c("no_shows"))} 个（${percent(sum(c("no_shows")), sum(c("bookings")))}%）` },
  { name: "ratings-by-channel", type: "bar", stacked: true, label: "channel", series: RATINGS,
    summary: (c) => {
      const poor = sum(c("不满意")) + sum(c("非常不满意"));
      return `评价 ${sum(c("ratings"))} 个，差评 ${poor} 个（${percent(poor, sum(c("ratings")))}%）`;
    } },
  { name: "ratings-by-item", type: "bar", stacked: true, horizontal: true, label: "subject", series: RATINGS,
    summary: (c) => `评价最多：${c("subject")[0]}（${c("ratings")[0]} 个，差评率 ${c("poor_rate")[0]}%）` },
];

// For tests and the curious: the tables and the Chart.js instances by chart name.
window.dashboard = { tables: {}, charts: {} };

function showLogin() { $("login").hidden = false; $("desk").hidden = true; $("token").focus(); }

function rangeQuery() {
  const params = new URLSearchParams();
  if ($("from").value) params.set("from", $("from").value);
  if ($("to").value) params.set("to", $("to").value);
  return params;
}

function panel(spec) {
  const title = el("h2", { attrs: { id: "title-" + spec.name } });
  const canvas = el("canvas", { attrs: { id: "chart-" + spec.name, role: "img" } });
  const download = el("button", { text: "下载 CSV", className: "download", attrs: { type: "button" } });
  download.addEventListener("click", () => downloadCsv(spec.name));
  return el("section", { className: "panel chart", attrs: { "aria-labelledby": "title-" + spec.name, "data-chart": spec.name } }, [
    title, el("p", { className: "summary", attrs: { id: "summary-" + spec.name } }),
    el("div", { className: "plot" }, [canvas]), download,
  ]);
}

function chartConfig(spec, table, column) {
  const labels = column(spec.label);
  const labelOf = (key) => table.columns.find((c) => c.key === key).label;
  const datasets = spec.series.map((key) => ({
    label: labelOf(key), data: column(key), backgroundColor: COLORS[key], borderColor: COLORS[key],
    stack: spec.stacked ? "all" : undefined, yAxisID: spec.horizontal ? undefined : "y",
  }));
  if (spec.type === "doughnut") {
    datasets[0].backgroundColor = DEADLINE_COLORS;
    datasets[0].borderColor = "#fff";
  }
  if (spec.line) {
    datasets.push({ type: "line", label: labelOf(spec.line), data: column(spec.line), borderColor: COLORS[spec.line],
                    backgroundColor: COLORS[spec.line], yAxisID: "share", tension: 0.2 });
  }
  const valueAxis = spec.horizontal ? "x" : "y";
  const scales = spec.type === "doughnut" ? {} : {
    x: { stacked: Boolean(spec.stacked) }, y: { stacked: Boolean(spec.stacked) },
  };
  if (scales[valueAxis]) {
    scales[valueAxis].beginAtZero = true;
    scales[valueAxis].ticks = { precision: 0 };
    if (spec.percent) Object.assign(scales[valueAxis], { max: 100, title: { display: true, text: "%" } });
  }
  if (spec.line) scales.share = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: "%" } };
  const examples = spec.example ? column(spec.example) : null;
  return {
    type: spec.type, data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: spec.horizontal ? "y" : "x", scales,
      plugins: {
        legend: { display: spec.series.length > 1 || spec.type === "doughnut" || Boolean(spec.line), position: "bottom" },
        tooltip: examples ? { callbacks: { afterLabel: (item) => "例：" + examples[item.dataIndex] } } : {},
      },
    },
  };
}

function draw(spec, table) {
  window.dashboard.tables[spec.name] = table;
  const column = (key) => {
    const index = table.columns.findIndex((c) => c.key === key);
    return table.rows.map((row) => row[index]);
  };
  $("title-" + spec.name).textContent = table.title;
  const summary = table.rows.length && (spec.name !== "ticket-deadlines" || sum(column("tickets")))
    ? spec.summary(column) : NO_DATA;
  say("summary-" + spec.name, summary);
  const canvas = $("chart-" + spec.name);
  canvas.setAttribute("aria-label", table.title + "：" + summary);
  window.dashboard.charts[spec.name]?.destroy();
  window.dashboard.charts[spec.name] = new window.Chart(canvas, chartConfig(spec, table, column));
}

async function loadCharts() {
  const query = rangeQuery();
  const tables = await Promise.all(CHARTS.map((spec) => api(`/api/dashboard/${spec.name}?${query}`)));
  CHARTS.forEach((spec, index) => draw(spec, tables[index]));
  // The service chose the default range: show it in the form.
  $("from").value = tables[0].start;
  $("to").value = tables[0].end;
}

async function downloadCsv(name) {
  const query = rangeQuery();
  query.set("format", "csv");
  try {
    const { blob, name: filename } = await api.file(`/api/dashboard/${name}?${query}`, `dashboard-${name}.csv`);
    saveFile(blob, filename);
  } catch (error) {
    say("message", error.message || "下载未成功，请稍后再试");
  }
}

const localTime = (iso) => new Date(iso).toLocaleString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 16);

async function loadFollowUps() {
  const tasks = await api("/api/follow-ups");
  const overdue = tasks.filter((task) => task.overdue).length;
  say("follow-ups-summary", tasks.length
    ? `待整改 ${tasks.length} 件${overdue ? `，其中已超期 ${overdue} 件` : ""}。差评须在评价后 15 个工作日内整改并告知市民。`
    : "目前没有待整改的差评。");
  $("follow-up-rows").replaceChildren(...tasks.map(followUpRow));
}

function followUpRow(task) {
  const text = el("textarea", { attrs: { id: "action-" + task.id, maxlength: "1000" } });
  const close = el("button", { text: "办结并告知市民", className: "primary", attrs: { type: "button" } });
  close.addEventListener("click", () => closeFollowUp(task, text.value));
  const due = el("td", { text: localTime(task.due_at) + (task.overdue ? "（已超期）" : ""), className: task.overdue ? "overdue" : "" });
  const row = el("tr", { attrs: { "data-follow-up": String(task.id) } }, [
    el("td", { text: task.number }), el("td", { text: task.channel_label }),
    el("td", { text: task.summary + "（" + task.subject + "）" }), el("td", { text: task.rating }),
    el("td", { text: localTime(task.opened_at) }), due,
    el("td", {}, [el("label", { text: "整改情况（工单 " + task.number + "）", className: "visually-hidden", attrs: { for: text.id } }),
                  text, close]),
  ]);
  return row;
}

async function closeFollowUp(task, text) {
  say("message", "");
  const staff = $("staff-name").value.trim();
  if (!staff) { say("message", "请先填写经办人姓名"); $("staff-name").focus(); return; }
  sessionStorage.setItem(STAFF_NAME_KEY, staff);
  try {
    await api(`/api/follow-ups/${task.id}/close`, { method: "POST", body: { agent: staff, action_taken: text } });
    say("message", `工单 ${task.number} 的整改已办结，已通知市民`);
    await loadFollowUps();
  } catch (error) { say("message", error.message); }
}

async function showDesk() {
  $("login").hidden = true;
  $("desk").hidden = false;
  if (!$("charts").children.length) $("charts").append(...CHARTS.map(panel));
  $("staff-name").value = sessionStorage.getItem(STAFF_NAME_KEY) || "";
  await Promise.all([loadCharts(), loadFollowUps()]);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("message", "");
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  try { await showDesk(); } catch (error) { say("message", error.message); }
});
$("range-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  say("message", "");
  try { await loadCharts(); } catch (error) { say("message", error.message); }
});
$("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); });

if (sessionStorage.getItem(TOKEN_KEY)) showDesk().catch((error) => say("message", error.message)); else showLogin();
