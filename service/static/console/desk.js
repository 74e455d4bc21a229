// What the console's parts share: the agent's login, the service client, the page's state, and
// where an error is shown.

import { apiClient } from "../js/api.js";
import { $, say } from "../js/dom.js";

export const TOKEN_KEY = "consoleToken";
const AGENT_KEY = "consoleAgent";

export const state = {
  page: 1,
  number: null,       // the order shown in the detail
  ticket: null,
  formsFor: null,     // the order the action forms were last filled for
  queueSeq: 0,
  detailSeq: 0,
  topics: new Set(),
  departments: new Set(),
  suggestion: null,   // {type, topic:{l1,l2}, confidence, summary?, phone?, place?, item?} for the text below
  suggestionText: "",
};

export function agentName() { return sessionStorage.getItem(AGENT_KEY) || ""; }

export function signIn(agent, token) {
  sessionStorage.setItem(AGENT_KEY, agent);
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function showLogin(message) {
  $("desk").hidden = true;
  $("whoami").hidden = true;
  $("login").hidden = false;
  say("login-message", message);
  $("login-agent").value = agentName();
  (agentName() ? $("login-token") : $("login-agent")).focus();
}

export function logout(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.number = null;
  state.ticket = null;
  $("queue-rows").replaceChildren();
  $("detail").hidden = true;
  showLogin(message);
}

export const api = apiClient({ tokenKey: TOKEN_KEY, onUnauthorized: logout });

/** Shows what went wrong in `target`; a cancelled request or a refused token (login shows it) says nothing. */
export function reportError(error, target = "message") {
  if (error.name === "AbortError" || error.status === 401) return;
  say(target, error.message);
}
