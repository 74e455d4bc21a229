// A new hotline work order from the assist panel: the dialog filled from the suggestion, then sent.

import { $, say } from "../js/dom.js";
import { api, reportError, state } from "./desk.js";
import { localTime } from "./format.js";
import { loadQueue } from "./queue.js";
import { openTicket } from "./ticket_view.js";

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

export function initNewOrder() {
  $("create-from-assist").addEventListener("click", openCreateForm);
  $("create-form").addEventListener("submit", submitCreateForm);
  $("create-cancel").addEventListener("click", () => $("create-dialog").close());
}
