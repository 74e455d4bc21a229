// Messages the service could not deliver (the outbox's parked ones): a notice in the order's view,
// a count in the queue's header with a list of them all, and 重发 (replay) on each.

import { $, el, say } from "../js/dom.js";
import { label, terms } from "../js/vocabulary.js";
import { api, reportError, state } from "./desk.js";
import { localTime } from "./format.js";

// Where each place shows a parked message's order, the replay's outcome and what went wrong.
const IN_ORDER = { withNumber: false, notice: "detail-notice", error: "detail-message" };
const IN_LIST = { withNumber: true, notice: "outbox-dialog-notice", error: "outbox-dialog-message" };

const parked = { noticeSeq: 0, noticeFor: null };

let openTicket = () => {};

function parkedQuery(number) {
  return "/api/outbox/parked" + (number ? "?ticket=" + encodeURIComponent(number) : "");
}

/** One parked message: what did not happen, why, how often it was tried, and 重发. */
function parkedLine(message, place) {
  const what = label("outbox_kinds", message.kind);
  const retry = el("button", { text: "重发", className: "retry", attrs: { type: "button", "aria-label": "重发：" + what } });
  retry.addEventListener("click", () => replay(message, retry, place));
  let order = null;
  if (place.withNumber && message.ticket_number) {
    order = el("button", { text: "工单 " + message.ticket_number, className: "link", attrs: { type: "button" } });
    order.addEventListener("click", () => {
      $("outbox-dialog").close();
      openTicket(message.ticket_number);
    });
  }
  return el("li", { className: "parked parked-" + message.status, attrs: { "data-id": String(message.id) } }, [
    order,
    el("strong", { text: what, className: "parked-kind" }),
    el("span", { text: label("outbox_statuses", message.status), className: "tag parked-status" }),
    el("span", { text: "原因：" + (message.last_error || "—"), className: "parked-reason" }),
    el("span", { text: "已尝试 " + message.attempts + " 次", className: "parked-tries" }),
    el("time", { text: localTime(message.created_at), attrs: { datetime: message.created_at }, className: "muted" }),
    retry,
  ]);
}

/** The shown order's parked messages in its notice; hidden when there are none. */
export async function showOrderParked(number) {
  const seq = ++parked.noticeSeq;
  if (number !== parked.noticeFor) $("outbox-notice").hidden = true;  // not another order's notice meanwhile
  parked.noticeFor = number;
  const messages = await api(parkedQuery(number));
  if (seq !== parked.noticeSeq) return;  // a newer load has been started meanwhile
  $("outbox-notice-list").replaceChildren(...messages.map((m) => parkedLine(m, IN_ORDER)));
  $("outbox-notice").hidden = !messages.length;
}

/** The count in the queue's header: every parked message, whatever its order. */
export async function loadParkedCount() {
  const { counts } = await api("/api/outbox/counts");
  const total = terms("outbox_statuses").reduce((sum, status) => sum + (counts[status.value] || 0), 0);
  $("outbox-count").textContent = String(total);
  $("outbox-badge").hidden = total === 0;
}

async function showAllParked() {
  const messages = await api(parkedQuery(null));
  $("outbox-all").replaceChildren(...messages.map((m) => parkedLine(m, IN_LIST)));
  if (!messages.length) $("outbox-all").appendChild(el("li", { text: "没有未送达的消息", className: "muted" }));
}

/** What shows parked messages, anew: the count, the list when open, the shown order's notice. */
async function refreshParked() {
  const loads = [loadParkedCount()];
  if ($("outbox-dialog").open) loads.push(showAllParked());
  if (state.number) loads.push(showOrderParked(state.number));
  await Promise.all(loads);
}

async function replay(message, button, { notice, error }) {
  say(notice, "");
  say(error, "");
  button.disabled = true;
  try {
    await api("/api/outbox/" + message.id + "/replay", { method: "POST" });
    const order = message.ticket_number ? "（工单 " + message.ticket_number + "）" : "";
    say(notice, "已重发：" + label("outbox_kinds", message.kind) + order);
  } catch (failure) {
    reportError(failure, error);  // 409: sent again meanwhile by someone else; the refresh shows it
  }
  await refreshParked().catch((failure) => reportError(failure, error));
}

async function openParkedList() {
  say(IN_LIST.notice, "");
  say(IN_LIST.error, "");
  $("outbox-dialog").showModal();
  try { await showAllParked(); } catch (error) { reportError(error, IN_LIST.error); }
}

/** Wires the count and its list; `open(number)` shows an order picked in the list. */
export function initOutboxPanel({ open }) {
  openTicket = open;
  $("outbox-badge").addEventListener("click", openParkedList);
  $("outbox-close").addEventListener("click", () => $("outbox-dialog").close());
}
