// How the console writes things: local times, percentages, topics, who acted, state badges,
// rows of a definition list and the suggestions of a datalist.

import { $, el } from "../js/dom.js";
import { label } from "../js/vocabulary.js";

// The urgency value the queue and the order mark in red.
export const URGENT = "紧急";

function pad(n) { return String(n).padStart(2, "0"); }

/** An ISO timestamp from the server in the browser's local time: 2026-12-08 08:30. */
export function localTime(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
}

export function percent(x) { return Math.round(x * 100) + "%"; }

export function topicText(l1, l2) { return [l1, l2].filter(Boolean).join(" / ") || "未分类"; }

export function actorLabel(actor) {
  if (actor === "citizen") return "市民";
  if (actor === "bot") return "智能助手";
  if (actor && actor.startsWith("agent:")) return "坐席 " + actor.slice("agent:".length);
  return actor || "—";
}

export function statusBadge(status) {
  return el("span", { text: label("ticket_statuses", status), className: "status status-" + status });
}

/** Appends a <dt>name</dt><dd>value</dd> pair; an empty value shows as —. */
export function field(list, name, value, className) {
  const dd = el("dd", { className });
  const dt = el("dt", { text: name, className: className && className.includes("wide") ? "wide" : "" });
  if (value instanceof Node) dd.appendChild(value); else dd.textContent = value === null || value === undefined || value === "" ? "—" : value;
  list.append(dt, dd);
  return dd;
}

/** Adds `value` to the set and to the suggestions of the datalist with this id. */
export function remember(set, value, datalistId) {
  if (!value || set.has(value)) return;
  set.add(value);
  $(datalistId).replaceChildren(...[...set].sort().map((v) => el("option", { attrs: { value: v } })));
}
