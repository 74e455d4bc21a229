// Small DOM helpers every page uses: an element by id, a new element, a line of text in a node, a download.

export const $ = (id) => document.getElementById(id);

/** A new element with its text, class, attributes and children (null children are skipped). */
export function el(tag, { text, className, attrs } = {}, children = []) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.appendChild(child);
  return node;
}

/** Shows `text` in the element with this id; nothing clears it. */
export function say(id, text) { $(id).textContent = text || ""; }

/** Saves a fetched file (a CSV export) under `name`, as a link the user clicked would. */
export function saveFile(blob, name) {
  const link = el("a", { attrs: { href: URL.createObjectURL(blob), download: name } });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);  // the download must start first
}
