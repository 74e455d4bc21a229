// The review page (review.html): the queues of messages the bot did not understand, answered
// unsurely, that citizens disputed or whose work order an agent corrected; one card per message
// with the items POST /api/assist suggests. A suggestion and "确认标注" label it: two clicks.

import { apiClient, request } from "./js/api.js";
import { $, el, say } from "./js/dom.js";

const TOKEN_KEY = "staffToken";
const REVIEWER_KEY = "reviewer";
const SUGGESTED_ITEMS = 3;
// Each card asks /api/assist for suggestions: a page of 20 keeps that quick.
const PAGE = 20;

const api = apiClient({
  tokenKey: TOKEN_KEY,
  onUnauthorized: (message) => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); say("message", message); },
});

let vocabulary = null;
let currentQueue = "not_understood";
let showLabelled = false;
let shown = 0;

const labelOf = (list, value) => (vocabulary[list].find((c) => c.value === value) || {}).label || value || "—";
const intentLabel = (name) => labelOf(vocabulary.intents.some((c) => c.value === name) ? "intents" : "read_only_intents", name);
const percent = (score) => (score === null || score === undefined ? "" : "（" + Math.round(score * 100) + "%）");

function showLogin() {
  $("login").hidden = false; $("desk").hidden = true;
  $("reviewer").value = sessionStorage.getItem(REVIEWER_KEY) || "";
  ($("reviewer").value ? $("token") : $("reviewer")).focus();
}

async function showDesk() {
  $("login").hidden = true; $("desk").hidden = false;
  vocabulary = vocabulary || await api("/api/review/vocabulary");
  await loadQueues();
  await loadTurns();
}

async function loadQueues() {
  const counts = await api("/api/review/queues");
  $("queues").replaceChildren(...counts.map((q) => {
    const button = el("button", { text: q.label + "（" + q.waiting + "）", attrs: {
      type: "button", "data-queue": q.queue, "aria-pressed": String(q.queue === currentQueue) } });
    button.addEventListener("click", () => { currentQueue = q.queue; loadQueues(); loadTurns(); });
    return button;
  }));
  const current = counts.find((q) => q.queue === currentQueue);
  $("list-title").textContent = (current ? current.label : "") + (showLabelled ? "：已标注的消息" : "：待标注的消息");
}

async function loadTurns({ more = false } = {}) {
  say("message", "");
  if (!more) shown = 0;
  const turns = await api("/api/review/queues/" + encodeURIComponent(currentQueue) +
    "?labelled=" + showLabelled + "&limit=" + PAGE + "&offset=" + shown);
  shown += turns.length;
  if (more) $("turns").append(...turns.map(turnCard)); else $("turns").replaceChildren(...turns.map(turnCard));
  $("more").hidden = turns.length < PAGE;
  if (!shown) {
    $("turns").appendChild(el("li", { className: "turn",
      text: showLabelled ? "这个队列里还没有标注过的消息。" : "这个队列里没有待标注的消息。" }));
  }
}

function labelText(label) {
  return labelOf("kinds", label.kind) + "：" + labelOf("intents", label.intent) +
    (label.item_name ? "，" + label.item_name : "") + (label.phrase && label.kind !== "label" ? "，“" + label.phrase + "”" : "");
}

function turnCard(turn) {
  const card = el("li", { className: "turn", attrs: { "data-turn-id": String(turn.id) } });
  const read = "机器人理解：" + intentLabel(turn.intent) + percent(turn.intent_confidence) +
    (turn.item_name ? "；事项：" + turn.item_name + percent(turn.item_confidence) : "") +
    "；结果：" + labelOf("outcomes", turn.outcome) + (turn.disputed ? "；" + labelOf("disputes", turn.disputed) : "");
  card.append(el("blockquote", { text: turn.text }), el("p", { className: "read", text: read }));
  if (turn.label) {
    card.appendChild(el("p", { className: "current", text: "当前标注（" + turn.label.reviewer + "，" +
      new Date(turn.label.labelled_at).toLocaleString("zh-CN") + "）：" + labelText(turn.label) }));
  }

  const state = { item: turn.label ? turn.label.item_code : null };
  const suggestions = el("div", { className: "suggestions", attrs: { role: "group", "aria-label": "建议事项" } },
                         [el("span", { text: "建议事项：" })]);
  const intent = el("select", { attrs: { "aria-label": "意图" } },
                    vocabulary.intents.map((c) => new Option(c.label, c.value)));
  if (vocabulary.intents.some((c) => c.value === turn.intent)) intent.value = turn.intent;
  if (turn.label) intent.value = turn.label.intent;
  const phrase = el("input", { attrs: { "aria-label": "别名或缺项说明", maxlength: "200" } });
  phrase.value = turn.text.slice(0, 200);
  const confirm = el("button", { text: "确认标注", className: "primary", attrs: { type: "button" } });
  const alias = el("button", { text: "记为所选事项的新别名", attrs: { type: "button" } });
  const missing = el("button", { text: "目录缺项", attrs: { type: "button" } });
  confirm.addEventListener("click", () => save(card, turn, { kind: "label", intent: intent.value, item_code: state.item }));
  alias.addEventListener("click", () => save(card, turn, { kind: "alias", intent: intent.value, item_code: state.item, phrase: phrase.value }));
  missing.addEventListener("click", () => save(card, turn, { kind: "missing", intent: intent.value, phrase: phrase.value }));
  card.append(suggestions, el("div", { className: "actions" }, [
    el("label", { text: "意图 " }, [intent]), confirm, el("label", { text: "别名/缺项说明 " }, [phrase]), alias, missing,
  ]));
  suggest(turn, suggestions, state, intent);
  return card;
}

async function suggest(turn, group, state, intent) {
  let answer = { intent: null, items: [] };
  try {
    answer = await request("/api/assist", { method: "POST", body: { text: turn.text } });
  } catch (error) { /* a message assist refuses (only punctuation) has no suggestions */ }
  const items = answer.items.slice(0, SUGGESTED_ITEMS).map((i) => ({ code: i.code, name: i.name, score: i.score }));
  if (turn.item_code && !items.some((i) => i.code === turn.item_code)) {
    items.push({ code: turn.item_code, name: turn.item_name || turn.item_code, score: turn.item_confidence });
  }
  if (state.item && !items.some((i) => i.code === state.item)) {
    items.push({ code: state.item, name: turn.label.item_name || state.item, score: null });
  }
  const suggestedIntent = answer.intent && vocabulary.intents.some((c) => c.value === answer.intent.name) ? answer.intent.name : null;
  for (const item of items) {
    const button = el("button", { text: item.name + percent(item.score), attrs: {
      type: "button", "data-item": item.code, "aria-pressed": String(item.code === state.item) } });
    button.addEventListener("click", () => {
      const chosen = state.item !== item.code;
      state.item = chosen ? item.code : null;
      for (const other of group.querySelectorAll("button")) other.setAttribute("aria-pressed", String(chosen && other === button));
      if (chosen && suggestedIntent) intent.value = suggestedIntent;
    });
    group.appendChild(button);
  }
  if (!items.length) group.appendChild(el("span", { text: "目录里没有相近的事项" }));
}

async function save(card, turn, label) {
  say("message", "");
  try {
    const saved = await api("/api/review/turns/" + turn.id + "/label", {
      method: "PUT", body: { ...label, reviewer: sessionStorage.getItem(REVIEWER_KEY) || "" } });
    card.querySelector(".current")?.remove();
    card.querySelector(".actions").replaceChildren(el("p", { className: "done", attrs: { role: "status" },
      text: "已标注（" + saved.reviewer + "）— " + labelText(saved) }));
    card.querySelector(".suggestions").remove();
    await loadQueues();
  } catch (error) {
    if (error.status !== 401) say("message", error.message);
  }
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  sessionStorage.setItem(REVIEWER_KEY, $("reviewer").value.trim());
  sessionStorage.setItem(TOKEN_KEY, $("token").value);
  say("message", "");
  try { await showDesk(); } catch (error) { if (error.status !== 401) say("message", error.message); }
});
for (const button of $("which").querySelectorAll("button")) {
  button.addEventListener("click", () => {
    showLabelled = button.dataset.labelled === "true";
    for (const other of $("which").querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === button));
    loadQueues();
    loadTurns();
  });
}
$("more").addEventListener("click", () => loadTurns({ more: true }));
$("logout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); showLogin(); });

if (sessionStorage.getItem(TOKEN_KEY) && sessionStorage.getItem(REVIEWER_KEY)) {
  showDesk().catch((error) => { if (error.status !== 401) say("message", error.message); });
} else {
  showLogin();
}
