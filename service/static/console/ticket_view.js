// One work order: its fields, what did not reach the citizen, the chat transcript, the event log,
// and the agent's actions on it (claim, reply, return, reassign, close, a message, a correction).

import { $, el, say } from "../js/dom.js";
import { label, term } from "../js/vocabulary.js";
import { agentName, api, reportError, state } from "./desk.js";
import { URGENT, actorLabel, field, localTime, statusBadge, topicText } from "./format.js";
import { showOrderParked } from "./outbox_panel.js";
import { loadQueue } from "./queue.js";

const ACTIONS = ["claim", "reply", "return", "reassign", "close", "message", "correct"];
const FIELD_LABELS = { type: "类型", topic_l1: "一级分类", topic_l2: "二级分类", summary: "摘要" };

export async function openTicket(number) {
  say("detail-message", "");
  say("detail-notice", "");
  for (const row of $("queue-rows").children) row.classList.toggle("selected", row.dataset.number === number);
  try {
    await loadDetail(number);
    $("detail").scrollIntoView({ block: "nearest" });
  } catch (error) { reportError(error, "detail-message"); }
}

export async function loadDetail(number) {
  const seq = ++state.detailSeq;
  const ticket = await api("/api/tickets/" + encodeURIComponent(number) + "?agent=" + encodeURIComponent(agentName()));
  if (seq !== state.detailSeq) return;  // the agent opened another order meanwhile
  renderDetail(ticket);
}

function renderDetail(ticket) {
  const switched = ticket.number !== state.formsFor;
  state.ticket = ticket;
  state.number = ticket.number;
  $("detail").hidden = false;
  $("detail-number").textContent = ticket.number;
  $("detail-status").replaceWith(Object.assign(statusBadge(ticket.status), { id: "detail-status" }));

  const fields = $("detail-fields");
  fields.replaceChildren();
  field(fields, "渠道", label("ticket_channels", ticket.channel));
  field(fields, "类型", label("ticket_types", ticket.type), "d-type");
  field(fields, "分类", topicText(ticket.topic_l1, ticket.topic_l2), "d-topic");
  field(fields, "紧急程度", label("ticket_urgencies", ticket.urgency), ticket.urgency === URGENT ? "urgent" : "");
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
  if (ticket.satisfaction) {
    field(fields, "市民评价", label("ticket_satisfactions", ticket.satisfaction) + "（" + localTime(ticket.rated_at) + "）");
  }

  renderTranscript(ticket);
  renderEvents(ticket.events || []);
  renderActions(ticket, switched);
  showOrderParked(ticket.number).catch((error) => reportError(error, "detail-message"));
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
      el("strong", { text: label("ticket_actions", event.action), className: "event-action" }),
    ];
    if (event.from_status && event.from_status !== event.to_status) {
      const move = label("ticket_statuses", event.from_status) + " → " + label("ticket_statuses", event.to_status);
      parts.push(el("span", { text: move, className: "muted event-move" }));
    }
    const note = event.action === "create" ? label("ticket_channels", event.note) : event.note;
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
  return Object.fromEntries(ACTIONS.map((name) => [name, actions.has(name)]));
}

function actionHint(ticket, me) {
  if (ticket.status === "closed") return "本工单已办结。";
  if (ticket.assignee && ticket.assignee !== me) return "本工单由 " + ticket.assignee + " 办理，您可以查看或改派。";
  if (term("ticket_statuses", ticket.status)?.claimable) return "请先受理，受理后即可答复或退回。";
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
  say("message-hint", !chat ? "" : can.message ? "消息将即时发送到市民的对话中。" : "受理本工单后（办理中），可在此与市民对话。");

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
async function act(action, path, body, { method = "POST", form } = {}) {
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
    say("detail-notice", "已" + label("ticket_actions", action) + "：工单 " + number);
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

async function sendMessage() {
  const number = state.number;
  say("detail-message", "");
  try {
    await api("/api/tickets/" + encodeURIComponent(number) + "/messages", {
      method: "POST", body: { agent: agentName(), text: $("message-text").value.trim() },
    });
    $("message-text").value = "";
    await loadDetail(number);
  } catch (error) { reportError(error, "detail-message"); }
}

function correct() {
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
  act("correct", "", changes, { method: "PATCH" });
}

/** While the agent talks with the citizen (their claimed order with a chat): the transcript anew. */
export function refreshChat() {
  const ticket = state.ticket;
  const chatting = ticket && ticket.conversation === true && ticket.status === "claimed" && ticket.assignee === agentName();
  if (chatting) loadDetail(ticket.number).catch((error) => reportError(error));
}

function onAction(id, handler) {
  const node = $(id);
  node.addEventListener(node.tagName === "FORM" ? "submit" : "click", (event) => {
    event.preventDefault();
    handler(node);
  });
}

export function initTicketView() {
  onAction("claim", () => act("claim", "/claim", {}));
  onAction("close", () => act("close", "/close", {}));
  onAction("reply-form", (form) => act("reply", "/reply", { reply: $("reply-text").value.trim() }, { form }));
  onAction("return-form", (form) => act("return", "/return", { reason: $("return-reason").value.trim() }, { form }));
  onAction("reassign-form", (form) => {
    const note = $("reassign-note").value.trim();
    act("reassign", "/reassign", { department: $("reassign-department").value.trim(), ...(note ? { note } : {}) }, { form });
  });
  onAction("message-form", sendMessage);
  onAction("correct-form", correct);
}
