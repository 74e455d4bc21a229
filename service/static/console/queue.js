// The work-order queue: filters, one page of orders, paging and the CSV export of the filter.

import { $, el, say, saveFile } from "../js/dom.js";
import { label } from "../js/vocabulary.js";
import { api, reportError, state } from "./desk.js";
import { URGENT, localTime, remember, statusBadge, topicText } from "./format.js";

const PAGE_SIZE = 20;

let openTicket = () => {};

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
    const { blob, name } = await api.file("/api/tickets/export.csv?" + params, "12345.csv");
    saveFile(blob, name);
  } catch (error) {
    say("message", error.message || "导出未成功，请稍后再试");
  }
}

export async function loadQueue() {
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
    el("td", { text: label("ticket_types", ticket.type), className: "type" }),
    el("td", { text: topicText(ticket.topic_l1, ticket.topic_l2), className: "topic" }),
    el("td", { className: "summary" }, [
      ticket.urgency === URGENT ? el("span", { text: label("ticket_urgencies", URGENT), className: "urgent-tag" }) : null,
      document.createTextNode(ticket.summary),
    ]),
    el("td", {}, [statusBadge(ticket.status)]),
    el("td", { text: ticket.assignee || "—", className: "optional assignee" }),
    el("td", { text: ticket.department || "—", className: "optional roomy" }),
    el("td", { className: "deadline" }, [
      el("time", { text: localTime(ticket.deadline), attrs: { datetime: ticket.deadline } }),
      ticket.overdue ? el("span", { text: "已超时", className: "overdue-tag" }) : null,
    ]),
  );
  return row;
}

function reloadQueue() { loadQueue().catch((error) => reportError(error)); }

/** Wires the filters, the pager and the export; `open(number)` shows an order picked in the queue. */
export function initQueue({ open }) {
  openTicket = open;
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.page = 1;
    reloadQueue();
  });
  $("export").addEventListener("click", exportQueue);
  $("page-prev").addEventListener("click", () => { state.page -= 1; reloadQueue(); });
  $("page-next").addEventListener("click", () => { state.page += 1; reloadQueue(); });
}
