// 12345 hotline agents' console: the work-order queue, one order's detail and actions, and the
// assist panel that reads what a caller says (intent, service items, suggested work order).
"use strict";

const TOKEN_KEY = "consoleToken";
const AGENT_KEY = "consoleAgent";
const REFRESH_MS = 20000;
// While the agent is talking with the citizen (their claimed order with a chat): the transcript.
const CHAT_REFRESH_MS = 4000;
const ASSIST_DELAY_MS = 300;
const PAGE_SIZE = 20;
const LOW_CONFIDENCE = 0.5;

const TYPES = ["咨询", "求助", "投诉", "举报", "建议"];
// Mirrors service/tickets/models.py: who may do what in which status.
const CLAIMABLE = ["new", "returned", "reassigned"];
const CHANNEL_LABELS = { web: "网站", wechat: "微信", hotline: "热线电话" };
const ACTION_LABELS = {
  create: "建单", claim: "认领", reply: "答复", return: "退回", reassign: "转派",
  close: "办结", rate: "评价", correct: "更正", message: "发消息",
};
const NECESSITY_LABELS = { 容缺: "可容缺后补", 情形: "视情形" };
const FIELD_LABELS = { type: "类型", topic_l1: "一级分类", topic_l2: "二级分类", summary: "摘要" };
const STATUS_LABELS = {
  new: "待受理", claimed: "办理中", replied: "已答复", closed: "已办结", returned: "已退回", reassigned: "已改派",
};
const INTENT_LABELS = {
  greet: "问候", goodbye: "道别", thank: "致谢", affirm: "肯定", deny: "否定", bot_challenge: "询问是否机器人",
  out_of_scope: "超出服务范围", nlu_fallback: "未能识别", ask_materials: "咨询所需材料", ask_conditions: "咨询办理条件",
  ask_fee: "咨询收费", ask_time_limit: "咨询办理时限", ask_location: "咨询办理地点", ask_process: "咨询办理流程",
  ask_online: "咨询网上办理", book_appointment: "预约办事", query_appointment: "查询预约", cancel_appointment: "取消预约",
  check_progress: "查询办理进度", complain: "投诉", suggest: "建议", report: "举报", seek_help: "求助",
  request_human: "要求转人工", inform: "补充信息",
};

const $ = (id) => document.getElementById(id);

const state = {
  page: 1,
  number: null,       // the order shown in the detail
  ticket: null,
  formsFor: null,     // the order the action forms were last filled for
  queueSeq: 0,
  detailSeq: 0,
  topics: new Set(),
  departments: new Set(),
  suggestion: null,   // {type, topic:{l1,l2}, confidence, summary?, phone?, place?, item?} for the text below
  suggestionText: "",
};

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function agentName() { return sessionStorage.getItem(AGENT_KEY) || ""; }

async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Authorization: "Bearer " + (sessionStorage.getItem(TOKEN_KEY) || "") };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "无法连接服务，请检查网络后重试");
  }
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logout(typeof data.detail === "string" ? data.detail : "令牌无效，请重新登录");
    throw new ApiError(401, data.detail || "令牌无效，请重新登录");
  }
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail : "请求未成功（" + response.status + "），请稍后再试";
    throw new ApiError(response.status, detail);
  }
  return data;
}

// --- small DOM helpers ---------------------------------------------------------------------------

function el(tag, { text, className, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

function pad(n) { return String(n).padStart(2, "0"); }

/** An ISO timestamp from the server in the browser's local time: 2026-12-08 08:30. */
function localTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
}

function percent(x) { return Math.round(x * 100) + "%"; }

function topicText(l1, l2) { return [l1, l2].filter(Boolean).join(" / ") || "未分类"; }

function actorLabel(actor) {
  if (actor === "citizen") return "市民";
  if (actor === "bot") return "智能助手";
  if (actor && actor.startsWith("agent:")) return "坐席 " + actor.slice("agent:".length);
  return actor || "—";
}

function statusLabel(status) { return STATUS_LABELS[status] || status; }

function statusBadge(status, label) {
  return el("span", { text: label || statusLabel(status), className: "status status-" + status });
}

function say(node, text) { $(node).textContent = text || ""; }

function remember(set, value, datalistId) {
  if (!value || set.has(value)) return;
  set.add(value);
  const list = $(datalistId);
  list.replaceChildren(...[...set].sort().map((v) => el("option", { attrs: { value: v } })));
}

// --- login ---------------------------------------------------------------------------------------

function showLogin(message) {
  $("desk").hidden = true;
  $("whoami").hidden = true;
  $("login").hidden = false;
  say("login-message", message);
  $("login-agent").value = agentName();
  (agentName() ? $("login-token") : $("login-agent")).focus();
}

function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.number = null;
  state.ticket = null;
  $("queue-rows").replaceChildren();
  $("detail").hidden = true;
  showLogin(message);
}

async function showDesk() {
  await loadQueue();
  $("login").hidden = true;
  $("desk").hidden = false;
  $("whoami").hidden = false;
  $("agent-label").textContent = agentName();
}

// --- the queue -----------------------------------------------------------------------------------

function queueQuery() {
  const params = new URLSearchParams({ page: String(state.page), page_size: String(PAGE_SIZE) });
  if ($("filter-status").value) params.set("status", $("filter-status").value);
  if ($("filter-type").value) params.set("type", $("filter-type").value);
  if ($("filter-topic").value.trim()) params.set("topic", $("filter-topic").value.trim());
  if ($("filter-overdue").checked) params.set("overdue", "true");
  return params;
}

/** The filtered queue as a CSV file (phones masked by the service). */
async function exportQueue() {
  const params = queueQuery();
  params.delete("page");
  params.delete("page_size");
  try {
    const response = await fetch("/api/tickets/export.csv?" + params, {
      headers: { Authorization: "Bearer " + (sessionStorage.getItem(TOKEN_KEY) || "") },
    });
    if (!response.ok) throw new ApiError(response.status, "导出未成功（" + response.status + "），请稍后再试");
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || "12345.csv";
    const link = el("a", { attrs: { href: URL.createObjectURL(await response.blob()), download: name } });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);  // the download must start first
  } catch (error) {
    say("message", error.message || "导出未成功，请稍后再试");
  }
}

async function loadQueue() {
  const seq = ++state.queueSeq;
  const page = await api("/api/tickets?" + queueQuery());
  if (seq !== state.queueSeq) return;  // a newer load has been started meanwhile
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  if (state.page > pages) {
    state.page = pages;
    await loadQueue();
    return;
  }
  say("message", "");
  $("queue-rows").replaceChildren(...page.items.map(queueRow));
  if (!page.items.length) {
    const cell = el("td", { text: "没有符合条件的工单", className: "empty" });
    cell.colSpan = 8;
    $("queue-rows").appendChild(el("tr", {}, [cell]));
  }
  const overdue = page.items.filter((t) => t.overdue).length;
  say("queue-status", "共 " + page.total + " 件" + (overdue ? "，本页超时 " + overdue + " 件" : "") +
    " · 更新于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + " · 每 20 秒自动刷新");
  say("page-info", "第 " + state.page + " / " + pages + " 页");
  $("page-prev").disabled = state.page <= 1;
  $("page-next").disabled = state.page >= pages;
}

function queueRow(ticket) {
  remember(state.topics, ticket.topic_l1, "topic-options");
  remember(state.departments, ticket.department, "department-options");
  const row = el("tr", { className: ticket.overdue ? "overdue" : "" });
  row.dataset.number = ticket.number;
  if (ticket.number === state.number) row.classList.add("selected");
  const open = el("button", { text: ticket.number, className: "link", attrs: { type: "button", "aria-label": "查看工单 " + ticket.number } });
  open.addEventListener("click", () => openTicket(ticket.number));
  row.append(
    el("td", {}, [open]),
    el("td", { text: ticket.type, className: "type" }),
    el("td", { text: topicText(ticket.topic_l1, ticket.topic_l2), className: "topic" }),
    el("td", { className: "summary" }, [
      ticket.urgency === "紧急" ? el("span", { text: "紧急", className: "urgent-tag" }) : null,
      document.createTextNode(ticket.summary),
    ]),
    el("td", {}, [statusBadge(ticket.status, ticket.status_label)]),
    el("td", { text: ticket.assignee || "—", className: "optional assignee" }),
    el("td", { text: ticket.department || "—", className: "optional roomy" }),
    el("td", { className: "deadline" }, [
      el("time", { text: localTime(ticket.deadline), attrs: { datetime: ticket.deadline } }),
      ticket.overdue ? el("span", { text: "已超时", className: "overdue-tag" }) : null,
    ]),
  );
  return row;
}

function reportError(error, target = "message") {
  if (error.name === "AbortError" || error.status === 401) return;
  say(target, error.message);
}

async function refreshAll() {
  try {
    await loadQueue();
    if (state.number) await loadDetail(state.number);
  } catch (error) { reportError(error); }
}

// --- one order -----------------------------------------------------------------------------------

async function openTicket(number) {
  say("detail-message", "");
  say("detail-notice", "");
  for (const row of $("queue-rows").children) row.classList.toggle("selected", row.dataset.number === number);
  try {
    await loadDetail(number);
    $("detail").scrollIntoView({ block: "nearest" });
  } catch (error) { reportError(error, "detail-message"); }
}

async function loadDetail(number) {
  const seq = ++state.detailSeq;
  const ticket = await api("/api/tickets/" + encodeURIComponent(number) + "?agent=" + encodeURIComponent(agentName()));
  if (seq !== state.detailSeq) return;  // the agent opened another order meanwhile
  renderDetail(ticket);
}

function field(list, label, value, className) {
  const dd = el("dd", { className });
  const dt = el("dt", { text: label, className: className && className.includes("wide") ? "wide" : "" });
  if (value instanceof Node) dd.appendChild(value); else dd.textContent = value === null || value === undefined || value === "" ? "—" : value;
  list.append(dt, dd);
  return dd;
}

function renderDetail(ticket) {
  const switched = ticket.number !== state.formsFor;
  state.ticket = ticket;
  state.number = ticket.number;
  $("detail").hidden = false;
  $("detail-number").textContent = ticket.number;
  $("detail-status").replaceWith(Object.assign(statusBadge(ticket.status, ticket.status_label), { id: "detail-status" }));

  const fields = $("detail-fields");
  fields.replaceChildren();
  field(fields, "渠道", CHANNEL_LABELS[ticket.channel] || ticket.channel);
  field(fields, "类型", ticket.type, "d-type");
  field(fields, "分类", topicText(ticket.topic_l1, ticket.topic_l2), "d-topic");
  field(fields, "紧急程度", ticket.urgency, ticket.urgency === "紧急" ? "urgent" : "");
  field(fields, "诉求人", ticket.requester);
  const phone = el("span", {}, [el("a", { text: ticket.phone, className: "phone", attrs: { href: "tel:" + ticket.phone } })]);
  if (ticket.confidential) {
    phone.append(" ", el("span", { text: "保密", className: "secret", attrs: { title: "市民要求保密：回电时核实身份，不得向他人透露" } }));
  }
  field(fields, "联系电话", phone);
  field(fields, "区县", ticket.district);
  field(fields, "地点", ticket.place);
  field(fields, "关联事项", ticket.item_code);
  field(fields, "承办单位", ticket.department);
  field(fields, "受理人", ticket.assignee, "d-assignee");
  field(fields, "登记时间", localTime(ticket.created_at));
  const deadline = el("span", {}, [el("time", { text: localTime(ticket.deadline), attrs: { datetime: ticket.deadline } })]);
  if (ticket.overdue) deadline.append(" ", el("span", { text: "已超时", className: "overdue-tag" }));
  field(fields, "办理时限", deadline, "d-deadline");
  field(fields, "摘要", ticket.summary, "d-summary wide");
  field(fields, "诉求内容", ticket.content, "d-content wide pre");
  if (ticket.reply) field(fields, "答复（" + localTime(ticket.replied_at) + "）", ticket.reply, "d-reply wide pre");
  if (ticket.closed_at) field(fields, "办结时间", localTime(ticket.closed_at));
  if (ticket.satisfaction) field(fields, "市民评价", ticket.satisfaction + "（" + localTime(ticket.rated_at) + "）");

  renderTranscript(ticket);
  renderEvents(ticket.events || []);
  renderActions(ticket, switched);
  state.formsFor = ticket.number;
}

function renderTranscript(ticket) {
  // Older servers send no transcript: the block stays hidden.
  const lines = Array.isArray(ticket.transcript) ? ticket.transcript : null;
  $("transcript-block").hidden = lines === null;
  if (lines === null) return;
  const log = $("transcript");
  log.replaceChildren(...lines.map((line) => {
    const who = line.author === "citizen" ? "citizen" : line.author === "bot" ? "bot" : "agent";
    return el("li", { className: "msg msg-" + who }, [
      el("div", { className: "msg-meta" }, [
        el("span", { text: actorLabel(line.author), className: "msg-author" }),
        el("time", { text: localTime(line.at), attrs: { datetime: line.at } }),
      ]),
      el("div", { text: line.text, className: "msg-text" }),
    ]);
  }));
  if (!lines.length) log.appendChild(el("li", { text: "暂无对话记录", className: "muted" }));
  log.scrollTop = log.scrollHeight;
}

function renderEvents(events) {
  $("events").replaceChildren(...events.map((event) => {
    const parts = [
      el("time", { text: localTime(event.at), attrs: { datetime: event.at } }),
      el("span", { text: actorLabel(event.actor), className: "event-actor" }),
      el("strong", { text: ACTION_LABELS[event.action] || event.action, className: "event-action" }),
    ];
    if (event.from_status && event.from_status !== event.to_status) {
      const move = statusLabel(event.from_status) + " → " + statusLabel(event.to_status);
      parts.push(el("span", { text: move, className: "muted" }));
    }
    const note = event.action === "create" ? CHANNEL_LABELS[event.note] || event.note : event.note;
    if (note) parts.push(el("span", { text: note, className: "event-note" }));
    for (const [name, [before, after]] of Object.entries(event.changes || {})) {
      const change = (FIELD_LABELS[name] || name) + "：" + (before || "空") + " → " + (after || "空");
      parts.push(el("span", { text: change, className: "event-note" }));
    }
    return el("li", { className: "event event-" + event.action }, parts);
  }));
}

/** Which actions the service accepts from this agent now: it says so (`allowed_actions`). */
function allowed(ticket) {
  const actions = new Set(ticket.allowed_actions || []);
  return Object.fromEntries(
    ["claim", "reply", "return", "reassign", "close", "message", "correct"].map((name) => [name, actions.has(name)]));
}

function actionHint(ticket, me) {
  if (ticket.status === "closed") return "本工单已办结。";
  if (ticket.assignee && ticket.assignee !== me) return "本工单由 " + ticket.assignee + " 办理，您可以查看或转派。";
  if (CLAIMABLE.includes(ticket.status)) return "请先认领，认领后即可答复或退回。";
  if (ticket.status === "claimed") return "您正在办理本工单：答复市民后即可办结。";
  if (ticket.status === "replied") return "已答复：确认无误后请办结，或退回重办。";
  return "";
}

function renderActions(ticket, switched) {
  const me = agentName();
  const can = allowed(ticket);
  for (const button of document.querySelectorAll("#detail [data-action]")) button.disabled = !can[button.dataset.action];
  for (const [formId, action] of [["reply-form", "reply"], ["return-form", "return"], ["reassign-form", "reassign"]]) {
    for (const input of $(formId).querySelectorAll("input, textarea")) input.disabled = !can[action];
  }
  $("message-text").disabled = !can.message;
  say("action-hint", actionHint(ticket, me));

  const chat = ticket.conversation === true;
  $("message-form").hidden = !chat;
  say("message-hint", !chat ? "" : can.message ? "消息将即时发送到市民的对话中。" : "认领本工单后（办理中），可在此与市民对话。");

  if (switched) {
    for (const id of ["reply-text", "return-reason", "reassign-department", "reassign-note", "message-text"]) $(id).value = "";
    fillCorrection(ticket);
  }
}

function fillCorrection(ticket) {
  $("correct-type").value = ticket.type;
  $("correct-l1").value = ticket.topic_l1 || "";
  $("correct-l2").value = ticket.topic_l2 || "";
  $("correct-summary").value = ticket.summary || "";
}

/** Runs one action on the shown order, then shows the order as the service returns it. */
async function act(label, path, body, { method = "POST", form } = {}) {
  const number = state.number;
  say("detail-message", "");
  say("detail-notice", "");
  const buttons = document.querySelectorAll("#detail [data-action]");
  for (const button of buttons) button.disabled = true;
  try {
    const result = await api("/api/tickets/" + encodeURIComponent(number) + path, {
      method, body: { agent: agentName(), ...body },
    });
    if (form) form.reset();
    say("detail-notice", "已" + label + "：工单 " + number);
    state.detailSeq += 1;  // a refresh started before this action must not show the order as it was
    renderDetail(result);
    if (path === "") fillCorrection(state.ticket);
    await loadQueue();
  } catch (error) {
    reportError(error, "detail-message");
    // Someone else may have changed it: show the order as it is now.
    await loadDetail(number).catch(() => renderActions(state.ticket, false));
    loadQueue().catch(() => {});
  }
}

function onAction(id, handler) {
  const node = $(id);
  node.addEventListener(node.tagName === "FORM" ? "submit" : "click", (event) => {
    event.preventDefault();
    handler(node);
  });
}

onAction("claim", () => act("认领", "/claim", {}));
onAction("close", () => act("办结", "/close", {}));
onAction("reply-form", (form) => act("答复", "/reply", { reply: $("reply-text").value.trim() }, { form }));
onAction("return-form", (form) => act("退回", "/return", { reason: $("return-reason").value.trim() }, { form }));
onAction("reassign-form", (form) => {
  const note = $("reassign-note").value.trim();
  act("转派", "/reassign", { department: $("reassign-department").value.trim(), ...(note ? { note } : {}) }, { form });
});
onAction("message-form", async () => {
  const number = state.number;
  say("detail-message", "");
  try {
    await api("/api/tickets/" + encodeURIComponent(number) + "/messages", {
      method: "POST", body: { agent: agentName(), text: $("message-text").value.trim() },
    });
    $("message-text").value = "";
    await loadDetail(number);
  } catch (error) { reportError(error, "detail-message"); }
});
onAction("correct-form", () => {
  const ticket = state.ticket;
  const wanted = {
    type: $("correct-type").value,
    topic_l1: $("correct-l1").value.trim() || null,
    topic_l2: $("correct-l2").value.trim() || null,
    summary: $("correct-summary").value.trim() || null,
  };
  const changes = {};
  for (const [name, value] of Object.entries(wanted)) if (value !== (ticket[name] || null)) changes[name] = value;
  if (changes.summary === null) delete changes.summary;  // a summary cannot be emptied
  if (!Object.keys(changes).length) {
    say("detail-message", "没有需要更正的内容");
    return;
  }
  act("更正", "", changes, { method: "PATCH" });
});

// --- the assist panel ----------------------------------------------------------------------------

const assist = { timer: null, controller: null, seq: 0 };

function scheduleAssist() {
  clearTimeout(assist.timer);
  assist.timer = setTimeout(runAssist, ASSIST_DELAY_MS);
}

async function runAssist() {
  const text = $("assist-text").value.trim();
  if (assist.controller) assist.controller.abort();  // a late answer must never overwrite a newer one
  const seq = ++assist.seq;
  if (!text) {
    assist.controller = null;
    clearAssist();
    return;
  }
  const controller = new AbortController();
  assist.controller = controller;
  say("assist-status", "正在识别…");
  const [understood, suggested] = await Promise.allSettled([
    api("/api/assist", { method: "POST", body: { text }, signal: controller.signal }),
    suggestTicket(text, controller.signal),
  ]);
  if (seq !== assist.seq) return;
  assist.controller = null;
  const problems = [understood, suggested].filter((r) => r.status === "rejected" && r.reason.name !== "AbortError");
  say("assist-status", problems.length ? problems[0].reason.message : "");
  if (understood.status === "fulfilled") renderUnderstanding(understood.value);
  if (suggested.status === "fulfilled") renderSuggestion(suggested.value, text);
}

/** The draft of a work order from this text; only type and topic where the service has no draft. */
async function suggestTicket(text, signal) {
  try {
    return await api("/api/tickets/draft", { method: "POST", body: { content: text }, signal });
  } catch (error) {
    if (error.status !== 404 && error.status !== 405) throw error;
    return await api("/api/tickets/classify", { method: "POST", body: { content: text }, signal });
  }
}

function clearAssist() {
  say("assist-status", "");
  say("assist-intent", "");
  $("suggestion").hidden = true;
  $("assist-items-block").hidden = true;
  $("assist-items").replaceChildren();
  state.suggestion = null;
}

function renderUnderstanding(result) {
  if (result.intent) {
    const label = INTENT_LABELS[result.intent.name] || result.intent.name;
    say("assist-intent", "识别意图：" + label + "（" + percent(result.intent.confidence) + "）");
  } else {
    say("assist-intent", result.nlu_available ? "未能识别意图" : "语义识别暂不可用，以下为事项检索结果");
  }
  $("assist-items-block").hidden = !result.items.length;
  $("assist-items").replaceChildren(...result.items.map((item, i) =>
    itemEntry(item, i === 0 && result.notice && result.notice.item.code === item.code ? result.notice : null)));
}

function itemEntry(item, notice) {
  const details = el("details", { className: "item" });
  details.dataset.code = item.code;
  const summary = el("summary", {}, [
    el("span", { text: item.name, className: "item-name" }),
    el("span", { text: item.department + " · 匹配度 " + percent(item.score), className: "muted" }),
  ]);
  const body = el("div", { className: "notice" });
  details.append(summary, body);
  if (notice) {
    renderNotice(body, notice);
    summary.appendChild(el("span", { text: noticeDigest(notice), className: "digest" }));
    details.open = true;
  } else {
    details.addEventListener("toggle", async () => {
      if (!details.open || body.dataset.loaded) return;
      body.textContent = "正在读取一次性告知…";
      try {
        const loaded = await api("/api/catalogue/items/" + encodeURIComponent(item.code) + "/notice");
        renderNotice(body, loaded);
        body.dataset.loaded = "1";
      } catch (error) { body.textContent = error.message; }
    });
  }
  return el("li", {}, [details]);
}

function noticeDigest(notice) {
  const limit = notice.time_limit.on_the_spot ? "即办件" : "承诺 " + notice.time_limit.promised_days + " 个工作日";
  return "材料 " + notice.materials.length + " 项 · " + notice.fee.amount + " · " + limit + " · 最多跑 " + notice.visits + " 次";
}

function renderNotice(body, notice) {
  body.replaceChildren();
  body.dataset.loaded = "1";
  if (!notice.handled_here && notice.handled_by) {
    const by = notice.handled_by;
    body.appendChild(el("p", { className: "elsewhere", text: "本事项由" + by.name + "办理：" + by.address + "，电话 " + by.phone + "，" + by.hours }));
  }
  if (notice.situations.length) {
    body.appendChild(el("p", { text: "办理情形：" + notice.situations.map((s) => s.name).join("；"), className: "muted" }));
  }
  body.appendChild(el("h4", { text: "申请材料（" + notice.materials.length + " 项）" }));
  body.appendChild(el("ol", { className: "materials" }, notice.materials.map((m) => {
    const tags = [NECESSITY_LABELS[m.necessity], m.source !== "自备" ? m.source : ""].filter(Boolean);
    return el("li", { className: "material" }, [
      el("span", { text: m.name, className: "material-name" }),
      el("span", { text: " " + m.form + m.count + "份（" + m.media + "）" }),
      ...tags.map((tag) => el("span", { text: tag, className: "tag" })),
      m.situations.length ? el("div", { text: "仅限：" + m.situations.join("、"), className: "muted small" }) : null,
      m.note ? el("div", { text: m.note, className: "muted small" }) : null,
    ]);
  })));
  const facts = el("dl", { className: "fields compact" });
  const limit = notice.time_limit;
  field(facts, "办理时限", limit.on_the_spot ? "即办件，当场办结" : "自受理之日起 " + limit.promised_days + " 个工作日（法定 " + limit.legal_days + " 个工作日）");
  field(facts, "收费", notice.fee.amount);
  field(facts, "地点", notice.place);
  field(facts, "时间", notice.hours);
  field(facts, "咨询电话", notice.phone);
  field(facts, "网上办理", notice.online.available ? "可以" + (notice.online.where ? "：" + notice.online.where : "") : "不可网上办理");
  field(facts, "到现场", notice.visits === 0 ? "无需到现场" : "最多 " + notice.visits + " 次");
  body.appendChild(facts);
  const full = el("details", { className: "full-text" }, [
    el("summary", { text: "一次性告知全文（可照读）" }),
    el("pre", { text: notice.text }),
  ]);
  body.appendChild(full);
}

function renderSuggestion(draft, text) {
  state.suggestion = draft;
  state.suggestionText = text;
  $("suggestion").hidden = false;
  say("suggest-type", draft.type);
  say("suggest-topic", topicText(draft.topic.l1, draft.topic.l2));
  const low = draft.confidence < LOW_CONFIDENCE;
  say("suggest-confidence", percent(draft.confidence) + (low ? "（较低，请核对）" : ""));
  $("suggest-confidence").classList.toggle("low", low);
  // The classify fallback has no summary, phone, place or item: those rows are left out.
  for (const [id, value] of [["suggest-summary", draft.summary], ["suggest-phone", draft.phone], ["suggest-place", draft.place],
    ["suggest-item", draft.item ? draft.item.name + "（" + draft.item.code + "）" : null]]) {
    say(id, value || "—");
    const row = $(id);
    row.hidden = row.previousElementSibling.hidden = !("summary" in draft);
  }
  remember(state.topics, draft.topic.l1, "topic-options");
}

// --- a new order from the assist panel -----------------------------------------------------------

function openCreateForm() {
  const draft = state.suggestion;
  if (!draft) return;
  $("create-form").reset();
  say("create-message", "");
  $("create-phone").value = draft.phone || "";
  $("create-type").value = draft.type;
  $("create-l1").value = draft.topic.l1 || "";
  $("create-l2").value = draft.topic.l2 || "";
  $("create-place").value = draft.place || "";
  $("create-summary").value = draft.summary || "";
  $("create-content").value = state.suggestionText;
  $("create-item-label").hidden = !draft.item;
  $("create-item").checked = Boolean(draft.item);
  $("create-item-name").textContent = draft.item ? "关联事项：" + draft.item.name + "（" + draft.item.code + "）" : "";
  $("create-dialog").showModal();
  (draft.phone ? $("create-requester") : $("create-phone")).focus();
}

async function submitCreateForm(event) {
  event.preventDefault();
  say("create-message", "");
  const optional = (id) => $(id).value.trim() || undefined;
  const body = {
    channel: "hotline",
    requester: optional("create-requester"),
    phone: $("create-phone").value.trim(),
    confidential: $("create-confidential").checked,
    type: $("create-type").value,
    topic_l1: optional("create-l1"),
    topic_l2: optional("create-l2"),
    district: optional("create-district"),
    place: optional("create-place"),
    urgency: $("create-urgency").value,
    summary: optional("create-summary"),
    content: $("create-content").value.trim(),
    item_code: state.suggestion && state.suggestion.item && $("create-item").checked ? state.suggestion.item.code : undefined,
  };
  const submit = $("create-form").querySelector("button[type=submit]");
  submit.disabled = true;
  try {
    const created = await api("/api/tickets", { method: "POST", body });
    $("create-dialog").close();
    say("message", "");
    await loadQueue();
    await openTicket(created.number);
    say("detail-notice", "已新建工单 " + created.number + "，办理时限 " + localTime(created.deadline));
  } catch (error) {
    reportError(error, "create-message");
  } finally {
    submit.disabled = false;
  }
}

// --- wiring --------------------------------------------------------------------------------------

for (const select of document.querySelectorAll(".type-select")) {
  for (const type of TYPES) select.appendChild(new Option(type, type));
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem(AGENT_KEY, $("login-agent").value.trim());
  sessionStorage.setItem(TOKEN_KEY, $("login-token").value.trim());
  $("login-token").value = "";
  say("login-message", "");
  try { await showDesk(); } catch (error) { if (error.status !== 401) say("login-message", error.message); }
});
$("logout").addEventListener("click", () => logout(""));
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  state.page = 1;
  loadQueue().catch((error) => reportError(error));
});
$("refresh").addEventListener("click", refreshAll);
$("export").addEventListener("click", exportQueue);
$("page-prev").addEventListener("click", () => { state.page -= 1; loadQueue().catch((error) => reportError(error)); });
$("page-next").addEventListener("click", () => { state.page += 1; loadQueue().catch((error) => reportError(error)); });
$("assist-text").addEventListener("input", scheduleAssist);
$("assist-clear").addEventListener("click", () => { $("assist-text").value = ""; runAssist(); $("assist-text").focus(); });
$("create-from-assist").addEventListener("click", openCreateForm);
$("create-form").addEventListener("submit", submitCreateForm);
$("create-cancel").addEventListener("click", () => $("create-dialog").close());

setInterval(() => {
  if (!$("desk").hidden && !document.hidden) refreshAll();
}, REFRESH_MS);

setInterval(() => {
  const ticket = state.ticket;
  const chatting = ticket && ticket.conversation === true && ticket.status === "claimed" && ticket.assignee === agentName();
  if (chatting && !$("desk").hidden && !document.hidden) loadDetail(ticket.number).catch((error) => reportError(error));
}, CHAT_REFRESH_MS);

if (sessionStorage.getItem(TOKEN_KEY) && agentName()) showDesk().catch((error) => showLogin(error.message));
else showLogin("");
