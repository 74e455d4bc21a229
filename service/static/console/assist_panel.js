// The assist panel: reads what a caller says while the agent types it — the intent, the service
// items with their one-time notices (一次性告知), and a suggested work order.

import { $, el, say } from "../js/dom.js";
import { label } from "../js/vocabulary.js";
import { api, state } from "./desk.js";
import { field, percent, remember, topicText } from "./format.js";

const ASSIST_DELAY_MS = 300;
const LOW_CONFIDENCE = 0.5;
const NECESSITY_LABELS = { 容缺: "可容缺后补", 情形: "视情形" };
const INTENT_LABELS = {
  greet: "问候", goodbye: "道别", thank: "致谢", affirm: "肯定", deny: "否定", bot_challenge: "询问是否机器人",
  out_of_scope: "超出服务范围", nlu_fallback: "未能识别", ask_materials: "咨询所需材料", ask_conditions: "咨询办理条件",
  ask_fee: "咨询收费", ask_time_limit: "咨询办理时限", ask_location: "咨询办理地点", ask_process: "咨询办理流程",
  ask_online: "咨询网上办理", book_appointment: "预约办事", query_appointment: "查询预约", cancel_appointment: "取消预约",
  check_progress: "查询办理进度", complain: "投诉", suggest: "建议", report: "举报", seek_help: "求助",
  request_human: "要求转人工", inform: "补充信息",
};

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
    const intent = INTENT_LABELS[result.intent.name] || result.intent.name;
    say("assist-intent", "识别意图：" + intent + "（" + percent(result.intent.confidence) + "）");
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

// An imported item's source may not publish a time limit, the visits or a material's form (null).
const UNPUBLISHED = "未公布，请以窗口答复为准";

function noticeDigest(notice) {
  const promised = notice.time_limit.promised_days;
  const limit = notice.time_limit.on_the_spot ? "即办件" : promised === null ? "时限未公布" : "承诺 " + promised + " 个工作日";
  const visits = notice.visits === null ? "跑动次数未公布" : "最多跑 " + notice.visits + " 次";
  return "材料 " + notice.materials.length + " 项 · " + notice.fee.amount + " · " + limit + " · " + visits;
}

function limitText(limit) {
  if (limit.on_the_spot) return "即办件，当场办结";
  const promised = limit.promised_days === null ? "承诺时限" + UNPUBLISHED : "自受理之日起 " + limit.promised_days + " 个工作日";
  const legal = limit.legal_days === null ? "法定时限未公布" : "法定 " + limit.legal_days + " 个工作日";
  return promised + "（" + legal + "）";
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
      el("span", { text: m.form === null ? " 份数、原件或复印件" + UNPUBLISHED : " " + m.form + m.count + "份（" + m.media + "）" }),
      ...tags.map((tag) => el("span", { text: tag, className: "tag" })),
      m.situations.length ? el("div", { text: "仅限：" + m.situations.join("、"), className: "muted small" }) : null,
      m.note ? el("div", { text: m.note, className: "muted small" }) : null,
    ]);
  })));
  const facts = el("dl", { className: "fields compact" });
  const limit = notice.time_limit;
  field(facts, "办理时限", limitText(limit));
  field(facts, "收费", notice.fee.amount);
  field(facts, "地点", notice.place);
  field(facts, "时间", notice.hours);
  field(facts, "咨询电话", notice.phone);
  field(facts, "网上办理", notice.online.available ? "可以" + (notice.online.where ? "：" + notice.online.where : "") : "不可网上办理");
  field(facts, "到现场", notice.visits === null ? UNPUBLISHED : notice.visits === 0 ? "无需到现场" : "最多 " + notice.visits + " 次");
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
  say("suggest-type", label("ticket_types", draft.type));
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

export function initAssistPanel() {
  $("assist-text").addEventListener("input", scheduleAssist);
  $("assist-clear").addEventListener("click", () => { $("assist-text").value = ""; runAssist(); $("assist-text").focus(); });
}
