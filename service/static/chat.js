// Citizens' web chat (chat.html): talks to Rasa's REST channel, keeps the conversation in localStorage.

import { request } from "./js/api.js";
import { $, el, say } from "./js/dom.js";
import { lifeEventCard } from "./js/life_event_card.js";
import { setUpDisplay } from "./chat/display.js";

const TEXT = {
  welcome: "您好！我是清江市政务服务导办助手。告诉我您想办什么事，我会一次性告诉您要带的材料、去哪办、多久办好，也可以帮您预约。",
  examples: ["身份证丢了补办要带啥", "开个小吃店要办什么证", "我想预约一下换身份证"],
  unreachable: "暂时连不上导办助手，消息没有发出去。请检查网络后点“重试”；急事也可拨打 12345 政务服务便民热线。",
  retry: "重试",
  copy: "复制告知单",
  copied: "已复制",
  copyFailed: "复制失败，请长按文字手动复制",
  print: "打印",
  printTitle: "清江市政务服务 · 一次性告知单",
  printedAt: "打印时间：",
  restored: "已恢复上次的对话",
  cleared: "已开始新对话",
  agentLabel: "12345 话务员",
  agentOnIt: "话务员正在为您服务，您发的消息会直接转给话务员。",
  waitingAgent: "工单已提交，话务员接手后会在这里回复您。",
  human: "转人工",
  largeTextOn: "已开启大字模式",
  largeTextOff: "已关闭大字模式，恢复标准字号",
  highContrastOn: "已开启高对比度模式",
  highContrastOff: "已关闭高对比度模式",
};
// What the 转人工 button sends: the intent the bot hands to a 12345 agent (data/rules/handoff.yml).
const REQUEST_HUMAN = "/request_human";
const SENDER_KEY = "daoban.chat.sender";
const HISTORY_KEY = "daoban.chat.history";
// After a 12345 handoff: the last agent message shown, so the outbox is read from there on.
const OUTBOX_KEY = "daoban.chat.outbox";
const OUTBOX_POLL_MS = 4000;
// Reminders and a case's news wait in the service for this conversation's page (service/webchat).
const NOTICES_POLL_MS = 30000;
const POLLS_AFTER_CLOSE = 5;
const MAX_TURNS = 200;
const TIMEOUT_MS = 20000;
// A notice opens with 【事项名称】一次性告知（告知单号：…） (service/catalogue/notice.py).
const NOTICE_HEADER = /【[^】]+】一次性告知（告知单号：/;
// A copy of common/personal_data.py's ID_NUMBER and MOBILE: ID and mobile numbers never sit in localStorage.
const ID_NUMBER = /(^|[^0-9A-Za-z])(\d{3})\d{11}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE = /(^|\D)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
// "12345" alone is the hotline; in a work-order number (12345-20261123-00001) it is not.
const LINK = /(https?:\/\/[^\s，。；、！？）》”"'<>]+)|\b(0\d{2,3}-\d{7,8}|12345(?![-\d]))\b/g;

const log = $("log");
const input = $("input");
let rasaUrl = null;
let busy = false;

// ---- storage ----------------------------------------------------------------

function load(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch { return fallback; }
}

function store(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* private mode: keep going */ }
}

function newSenderId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function senderId() {
  let sender = load(SENDER_KEY, null);
  if (!sender) { sender = newSenderId(); store(SENDER_KEY, sender); }
  return sender;
}

function remember(turn) {
  const history = load(HISTORY_KEY, []);
  history.push(turn);
  store(HISTORY_KEY, history.slice(-MAX_TURNS));
}

function mask(text) {
  return text.replace(ID_NUMBER, (_, before, head, tail) => before + head + "*".repeat(11) + tail)
             .replace(MOBILE, (_, before, head, tail) => before + head + "****" + tail);
}

// ---- rendering --------------------------------------------------------------

// Text with web addresses and phone numbers made into links; everything else stays text.
function appendLinked(parent, text) {
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    parent.append(text.slice(last, match.index));
    const link = el("a", { text: match[0] });
    link.href = match[1] ? match[1] : "tel:" + match[2].replace("-", "");
    if (match[1]) { link.target = "_blank"; link.rel = "noopener noreferrer"; }
    parent.append(link);
    last = match.index + match[0].length;
  }
  parent.append(text.slice(last));
}

// Inline tags such as 【免提交】 become badges.
function appendTagged(parent, text) {
  const parts = text.split(/(【[^】]+】)/);
  for (const part of parts) {
    if (/^【[^】]+】$/.test(part)) parent.append(el("span", { text: part.slice(1, -1), className: "badge" }));
    else if (part) appendLinked(parent, part);
  }
}

// One line of a bot message: a 【…】 header, a 一、 section, a "1. " material, or plain text.
function renderLine(line) {
  let match;
  if ((match = line.match(/^【([^】]+)】(.*)$/))) {
    const row = el("div", { className: "line line-head" });
    row.append(el("strong", { text: match[1], className: "head-tag" }));
    appendTagged(row, match[2]);
    return row;
  }
  if (/^([一二三四五六七八九十]+、|联办提示$)/.test(line)) return el("div", { text: line, className: "line line-section" });
  if ((match = line.match(/^(\d+)\.\s*(.*)$/))) {
    const row = el("div", { className: "line line-item" });
    row.append(el("span", { text: match[1] + ".", className: "item-no" }));
    const body = el("span", { className: "item-body" });
    appendTagged(body, match[2]);
    row.append(body);
    return row;
  }
  const row = el("div", { className: line.trim() ? "line" : "line line-blank" });
  appendTagged(row, line);
  return row;
}

function renderText(container, text) {
  for (const line of text.split("\n")) container.append(renderLine(line));
}

function scrollToEnd() { log.scrollTop = log.scrollHeight; }

// Phones keep the keyboard down after a tap or on opening; on desktops typing goes on in the input.
function focusInputOnDesktop() {
  if (matchMedia("(pointer: fine)").matches) input.focus();
}

function setStatus(text) { say("status", text); }

function userBubble(text) {
  const row = el("div", { className: "row row-user" });
  row.append(el("div", { text, className: "bubble bubble-user" }));
  log.append(row);
  return row;
}

function choices(buttons, numbered) {
  const group = el("div", { className: numbered ? "choices numbered" : "choices" });
  for (const button of buttons) {
    const choice = el("button", { text: button.title, className: "choice" });
    choice.type = "button";
    choice.addEventListener("click", () => send(button.payload ?? button.title, button.title));
    group.append(choice);
  }
  return group;
}

// The messages of one reply that form a notice: from its header to the end, buttons excluded.
function noticeRange(messages) {
  const start = messages.findIndex((m) => m.text && NOTICE_HEADER.test(m.text));
  if (start < 0) return null;
  let end = start + 1;
  while (end < messages.length && messages[end].text && !messages[end].buttons?.length
         && !NOTICE_HEADER.test(messages[end].text)) end++;
  return [start, end];
}

function noticeTools(text) {
  const tools = el("div", { className: "notice-tools" });
  const copy = el("button", { text: TEXT.copy, className: "tool" });
  copy.type = "button";
  copy.addEventListener("click", async () => {
    const done = await copyText(text);
    copy.textContent = done ? TEXT.copied : TEXT.copyFailed;
    setStatus(copy.textContent);
    setTimeout(() => { copy.textContent = TEXT.copy; }, 2000);
  });
  const print = el("button", { text: TEXT.print, className: "tool" });
  print.type = "button";
  print.addEventListener("click", () => printNotice(text));
  tools.append(copy, print);
  return tools;
}

function botMessage(message) {
  const row = el("div", { className: "row row-bot" });
  const bubble = el("div", { className: "bubble bubble-bot" });
  if (message.agent) {
    bubble.classList.add("bubble-agent");
    bubble.append(el("div", { text: TEXT.agentLabel, className: "agent-label" }));
  }
  if (message.text) renderText(bubble, message.text);
  if (message.custom?.life_event) bubble.append(lifeEventCard(message.custom.life_event));
  if (message.image) {
    const image = el("img", { className: "image" });
    image.src = message.image;
    image.alt = "";
    bubble.append(image);
  }
  row.append(bubble);
  if (message.buttons?.length) row.append(choices(message.buttons, !message.examples));
  return row;
}

// One reply of the bot (several messages); a notice among them gets one frame and its tools.
function botReply(messages) {
  const reply = el("div", { className: "reply" });
  const range = noticeRange(messages);
  messages.forEach((message, index) => {
    if (range && index === range[0]) {
      const notice = el("section", { className: "notice" });
      notice.setAttribute("aria-label", "一次性告知");
      const parts = messages.slice(range[0], range[1]);
      for (const part of parts) notice.append(botMessage(part));
      notice.append(noticeTools(parts.map((m) => m.text).join("\n\n")));
      reply.append(notice);
    } else if (!range || index < range[0] || index >= range[1]) {
      reply.append(botMessage(message));
    }
  });
  numberChoices(reply);
  log.append(reply);
  return reply;
}

// The bot's buttons numbered through the whole reply, as a typed "2" picks them (bot/replies.py)
// and as WeChat shows them; the welcome's examples are no bot buttons and get no number.
function numberChoices(reply) {
  reply.querySelectorAll(".numbered .choice").forEach((choice, index) => {
    choice.prepend(el("span", { text: `${index + 1}. `, className: "choice-no" }));
  });
}

function welcome() {
  return botReply([{ text: TEXT.welcome, examples: true, buttons: TEXT.examples.map((e) => ({ title: e, payload: e })) }]);
}

// Only the latest reply's choices can be tapped; older ones are kept for reading.
function enableLatestChoices() {
  for (const choice of log.querySelectorAll(".choice")) choice.disabled = true;
  const last = log.lastElementChild;
  if (!busy && last && last.classList.contains("reply")) {
    for (const choice of last.querySelectorAll(".choice")) choice.disabled = false;
  }
}

function renderHistory() {
  log.replaceChildren();
  welcome();
  const history = load(HISTORY_KEY, []);
  for (const turn of history) {
    if (turn.user !== undefined) userBubble(turn.user);
    else if (turn.bot) botReply(turn.bot);
  }
  enableLatestChoices();
  scrollToEnd();
  if (history.length) setStatus(TEXT.restored);
}

// ---- talking to Rasa -------------------------------------------------------

async function loadConfig() {
  try {
    rasaUrl = (await request("/api/chat/config")).rasa_url;
  } catch {
    rasaUrl = location.protocol + "//" + location.hostname + ":5005";
  }
}

// Each message is named, so that one sent again (重试) after its first copy reached the bot is
// answered with that copy's replies, not run twice (bot/resent_messages.py).
function newMessageId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12)); // randomUUID needs a secure context
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function askRasa(sender, message, messageId, resent) {
  if (!rasaUrl) await loadConfig();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const metadata = { client_message_id: messageId, resent };
  try {
    return await request(rasaUrl + "/webhooks/rest/webhook", {
      method: "POST", body: { sender, message, metadata }, signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
}

function setBusy(value) {
  busy = value;
  $("typing").hidden = !value;
  $("send").disabled = value;
  log.setAttribute("aria-busy", String(value));
  enableLatestChoices();
  if (value) scrollToEnd();
}

function unreachable(payload, messageId) {
  const row = el("div", { className: "row row-bot row-error" });
  const bubble = el("div", { className: "bubble bubble-error" });
  appendLinked(bubble, TEXT.unreachable);
  bubble.setAttribute("role", "alert");
  const retry = el("button", { text: TEXT.retry, className: "retry" });
  retry.type = "button";
  retry.addEventListener("click", () => { row.remove(); deliver(payload, messageId, true); });
  row.append(bubble, retry);
  log.append(row);
  scrollToEnd();
  retry.focus();
}

async function deliver(payload, messageId = newMessageId(), resent = false) {
  const sender = senderId();
  setBusy(true);
  try {
    const messages = await askRasa(sender, payload, messageId, resent);
    if (sender !== load(SENDER_KEY, null)) return; // "新对话" was pressed meanwhile
    const handoff = messages.find((m) => m.custom?.handoff);
    if (handoff) followOutbox();
    const shown = messages.filter((m) => m.text || m.image || m.buttons?.length || m.custom?.life_event);
    if (shown.length) {
      remember({ bot: shown });
      botReply(shown);
    }
  } catch {
    if (sender === load(SENDER_KEY, null)) unreachable(payload, messageId);
  } finally {
    setBusy(false);
    scrollToEnd();
  }
}

// Sends `payload` to the bot and shows `title` (what the citizen typed or tapped).
function send(payload, title) {
  if (busy || !payload.trim()) return;
  for (const error of log.querySelectorAll(".row-error")) error.remove();
  const shown = mask(title.trim());
  remember({ user: shown });
  userBubble(shown);
  focusInputOnDesktop();
  deliver(payload.trim());
}

// ---- copy and print ---------------------------------------------------------

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

// ---- after a 12345 handoff: the agent's messages --------------------------------

let outboxTimer = null;

function followOutbox() {
  const outbox = load(OUTBOX_KEY, null);
  if (!outbox || outbox.sender !== senderId()) {
    store(OUTBOX_KEY, { sender: senderId(), after: 0, closedPolls: 0, status: "new" });
    setStatus(TEXT.waitingAgent);
  }
  if (!outboxTimer) outboxTimer = setTimeout(pollOutbox, OUTBOX_POLL_MS);
}

async function pollOutbox() {
  outboxTimer = null;
  const outbox = load(OUTBOX_KEY, null);
  if (!outbox || outbox.sender !== senderId()) return;
  try {
    const url = `/api/conversations/${encodeURIComponent(outbox.sender)}/outbox?after=${outbox.after}`;
    const { messages, ticket } = await request(url);
    if (outbox.sender !== load(SENDER_KEY, null)) return;
    if (messages.length) {
      const shown = messages.map((m) => ({ text: m.text, buttons: m.buttons || undefined,
                                           agent: m.author.startsWith("agent:") || undefined }));
      remember({ bot: shown });
      botReply(shown);
      enableLatestChoices();
      scrollToEnd();
      outbox.after = messages[messages.length - 1].id;
    }
    if (ticket && ticket.status !== outbox.status) {
      // Said in the conversation, not only in the status line: the bot is quiet from now on.
      if (ticket.status === "claimed") {
        const note = [{ text: TEXT.agentOnIt }];
        remember({ bot: note });
        botReply(note);
        scrollToEnd();
      }
      setStatus(ticket.status === "claimed" ? TEXT.agentOnIt : ticket.status_label);
      outbox.status = ticket.status;
    }
    if (ticket?.status === "closed") outbox.closedPolls += 1;
    store(OUTBOX_KEY, outbox);
    // After the close only the rating question is still to come.
    if (outbox.closedPolls > POLLS_AFTER_CLOSE) { localStorage.removeItem(OUTBOX_KEY); return; }
  } catch { /* offline for a moment: try again on the next tick */ }
  outboxTimer = setTimeout(pollOutbox, OUTBOX_POLL_MS);
}

// ---- the web chat's outbox: a booking's reminder, a case's news -------------------------

async function showNotices() {
  const sender = senderId();
  try {
    const notices = await request(`/api/chat/${encodeURIComponent(sender)}/notices`);
    if (notices.length && sender === senderId()) {
      const shown = notices.map((n) => ({ text: n.text }));
      remember({ bot: shown });
      botReply(shown);
      enableLatestChoices();
      scrollToEnd();
      await request(`/api/chat/${encodeURIComponent(sender)}/notices/shown`,
                    { method: "POST", body: { up_to: notices[notices.length - 1].id } });
    }
  } catch { /* offline for a moment: the notices wait for the next look */ }
  setTimeout(showNotices, NOTICES_POLL_MS);
}

function printNotice(text) {
  const area = $("print-area");
  area.replaceChildren(el("h1", { text: TEXT.printTitle }));
  const body = el("div", { className: "print-body" });
  renderText(body, text);
  area.append(body, el("p", { text: TEXT.printedAt + new Date().toLocaleString("zh-CN"), className: "printed-at" }));
  document.body.classList.add("printing-notice");
  window.print();
}

window.addEventListener("afterprint", () => document.body.classList.remove("printing-notice"));

// ---- start ------------------------------------------------------------------

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value;
  if (!text.trim() || busy) return;
  input.value = "";
  send(text, text);
});

$("human").addEventListener("click", () => send(REQUEST_HUMAN, TEXT.human));

$("new-chat").addEventListener("click", () => {
  try { localStorage.removeItem(HISTORY_KEY); } catch { /* nothing stored */ }
  store(SENDER_KEY, newSenderId());
  setBusy(false);
  renderHistory();
  setStatus(TEXT.cleared);
  input.value = "";
  input.focus();
});

setUpDisplay([
  { name: "largeText", button: $("large-text"), className: "large-text", on: TEXT.largeTextOn, off: TEXT.largeTextOff },
  { name: "highContrast", button: $("high-contrast"), className: "high-contrast",
    on: TEXT.highContrastOn, off: TEXT.highContrastOff },
], setStatus);
renderHistory();
loadConfig();
focusInputOnDesktop();
if (load(OUTBOX_KEY, null)?.sender === senderId()) followOutbox();
showNotices();
