// The service's vocabularies (GET /api/meta): every state, type and action with its Chinese label.
// Loaded once per page; the pages take their labels from here, never from a copy of their own.

import { request } from "./api.js";

let vocabularies = {};
let loading = null;

/** Reads /api/meta once; later calls share that answer. After a failure the next call asks again. */
export function loadVocabulary() {
  loading ??= request("/api/meta")
    .then((meta) => { vocabularies = meta; })
    .catch((error) => {
      loading = null;
      throw error;
    });
  return loading;
}

/** The terms of one vocabulary (`ticket_statuses`, `booking_statuses`, …) in the service's order. */
export function terms(name) { return vocabularies[name] || []; }

/** The label of `value`; the value itself when the vocabulary has not been read or lacks it. */
export function label(name, value) { return term(name, value)?.label ?? value; }

/** The term of `value` with all the service says of it (a ticket state: claimable, open). */
export function term(name, value) { return terms(name).find((candidate) => candidate.value === value); }

/** One <option> per term of the vocabulary, after the options already in `select`. */
export function addOptions(select, name) {
  for (const entry of terms(name)) select.appendChild(new Option(entry.label, entry.value));
}

/** Labels every element marked data-label="vocabulary:value" (the page's own text is the fallback). */
export function labelElements(root = document) {
  for (const node of root.querySelectorAll("[data-label]")) {
    const [name, value] = node.dataset.label.split(":");
    const known = term(name, value);
    if (known) node.textContent = known.label;
  }
}
