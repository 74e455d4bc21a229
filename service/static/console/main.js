// 12345 hotline agents' console (console.html): reads the vocabulary, fills the selects, wires the
// queue, the order view, the undelivered messages and the assist panel to the login, and refreshes
// what the agent sees.

import { $, say } from "../js/dom.js";
import { addOptions, labelElements, loadVocabulary } from "../js/vocabulary.js";
import { initAssistPanel } from "./assist_panel.js";
import { TOKEN_KEY, agentName, logout, reportError, showLogin, signIn, state } from "./desk.js";
import { initNewOrder } from "./new_order.js";
import { initOutboxPanel, loadParkedCount } from "./outbox_panel.js";
import { initQueue, loadQueue } from "./queue.js";
import { initTicketView, loadDetail, openTicket, refreshChat } from "./ticket_view.js";

const REFRESH_MS = 20000;
const CHAT_REFRESH_MS = 4000;

async function showDesk() {
  await loadQueue();
  loadParkedCount().catch((error) => reportError(error));
  $("login").hidden = true;
  $("desk").hidden = false;
  $("whoami").hidden = false;
  $("agent-label").textContent = agentName();
}

async function refreshAll() {
  try {
    await Promise.all([loadQueue(), loadParkedCount()]);
    if (state.number) await loadDetail(state.number);
  } catch (error) { reportError(error); }
}

const watching = () => !$("desk").hidden && !document.hidden;

async function start() {
  try {
    await loadVocabulary();
  } catch (error) { say("message", error.message); }
  addOptions($("filter-status"), "ticket_statuses");
  for (const select of document.querySelectorAll(".type-select")) addOptions(select, "ticket_types");
  addOptions($("create-urgency"), "ticket_urgencies");
  labelElements();

  initQueue({ open: openTicket });
  initTicketView();
  initAssistPanel();
  initNewOrder();
  initOutboxPanel({ open: openTicket });
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    signIn($("login-agent").value.trim(), $("login-token").value.trim());
    $("login-token").value = "";
    say("login-message", "");
    try { await showDesk(); } catch (error) { if (error.status !== 401) say("login-message", error.message); }
  });
  $("logout").addEventListener("click", () => logout(""));
  $("refresh").addEventListener("click", refreshAll);
  setInterval(() => { if (watching()) refreshAll(); }, REFRESH_MS);
  setInterval(() => { if (watching()) refreshChat(); }, CHAT_REFRESH_MS);

  if (sessionStorage.getItem(TOKEN_KEY) && agentName()) showDesk().catch((error) => showLogin(error.message));
  else showLogin("");
}

start();
