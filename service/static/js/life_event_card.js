// The card of a life event (高效办成一件事) in the web chat: the steps in order, the one set of
// materials, cost, time and the 综合窗口. Built by actions/life_event_text.py (custom payload).

import { el } from "./dom.js";

const TEXT = {
  steps: "办理顺序",
  materials: "一套材料",
  fee: "费用",
  time: "时间",
  window: "综合窗口",
  when: "按需：",
};

function row(label, value) {
  return value ? el("div", { className: "card-row" }, [
    el("span", { text: label, className: "card-label" }), el("span", { text: value }),
  ]) : null;
}

function step(s) {
  const notes = [s.where, s.after, s.when && TEXT.when + s.when].filter(Boolean).join("；");
  return el("li", {}, [
    el("span", { text: s.name, className: s.where ? "card-step card-step-outside" : "card-step" }),
    notes ? el("span", { text: notes, className: "card-note" }) : null,
  ]);
}

/** The card element for `card` ({code, name, notice_no, steps, materials, fee, time, window, booking}). */
export function lifeEventCard(card) {
  const node = el("section", { className: "life-event-card", attrs: { "aria-label": card.name } }, [
    el("h2", { text: card.name }),
    el("h3", { text: TEXT.steps }),
    el("ol", {}, card.steps.map(step)),
    el("h3", { text: TEXT.materials }),
    el("ul", {}, card.materials.map((m) => el("li", {}, [
      el("span", { text: m.name }), el("span", { text: m.used_by, className: "card-note" }),
    ]))),
    row(TEXT.fee, card.fee),
    row(TEXT.time, card.time),
    row(TEXT.window, [card.window, card.booking].filter(Boolean).join("；")),
  ]);
  node.dataset.code = card.code;
  return node;
}
