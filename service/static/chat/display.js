// The web chat's display settings for older and low-vision citizens (适老化): large text and high
// contrast. Each is a toggle button (aria-pressed), a class on <html> that chat.css acts on, and a
// choice remembered in localStorage for the next visit.

const KEY = "daoban.chat.display";

function remembered() {
  try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch { return {}; }
}

function remember(settings) {
  try { localStorage.setItem(KEY, JSON.stringify(settings)); } catch { /* private mode: this visit only */ }
}

function apply({ name, button, className }, on) {
  document.documentElement.classList.toggle(className, on);
  button.setAttribute("aria-pressed", String(on));
}

/**
 * Wires the toggles, each { name, button, className, on, off } (`on` and `off` are what a screen
 * reader is told), and applies what was chosen last time. `announce` says a line in a live region.
 */
export function setUpDisplay(toggles, announce) {
  const chosen = remembered();
  for (const toggle of toggles) {
    apply(toggle, chosen[toggle.name] === true);
    toggle.button.addEventListener("click", () => {
      const on = toggle.button.getAttribute("aria-pressed") !== "true";
      apply(toggle, on);
      remember({ ...remembered(), [toggle.name]: on });
      announce(on ? toggle.on : toggle.off);
    });
  }
}
