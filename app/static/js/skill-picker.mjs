// Skill pickers, enhanced with GOV.UK's accessible-autocomplete:
// - many skills (catalogue/macros.html skill_picker, data-module="cw-skill-picker"): a search box
//   over the grouped skill checkboxes. Choosing a skill ticks its checkbox and lists it with a
//   Remove button; a status region says what changed. The checkboxes stay in the form (hidden),
//   so what is sent is exactly what the page without JavaScript sends.
// - one skill (a <select data-module="cw-skill-autocomplete">): the library's own enhancement of
//   the select, which stays in the form and is what is sent.

const ENHANCED = "data-skill-picker-enhanced";

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function enhance(picker) {
  const autocomplete = window.accessibleAutocomplete;
  if (!autocomplete || picker.hasAttribute(ENHANCED)) return;
  picker.setAttribute(ENHANCED, "");
  const fieldId = picker.dataset.field;
  const options = picker.querySelector("[data-skill-options]");
  const boxes = Array.from(options.querySelectorAll("input[type=checkbox]"));
  const labelOf = (box) => picker.querySelector(`label[for="${CSS.escape(box.id)}"]`).textContent.trim();
  const byLabel = new Map();
  for (const box of boxes) if (!byLabel.has(labelOf(box))) byLabel.set(labelOf(box), box);

  // The search box takes the field's id, so the error summary's link lands on it.
  const first = boxes.find((box) => box.id === fieldId);
  if (first) {
    const label = picker.querySelector(`label[for="${CSS.escape(fieldId)}"]`);
    first.id = `${fieldId}-1`;
    label.setAttribute("for", first.id);
  }
  options.hidden = true;
  for (const note of picker.querySelectorAll("[data-without-js]")) note.hidden = true;

  const search = element("div", { class: "cw-skill-picker__search" });
  const searchLabel = element("label", { class: "govuk-label", for: fieldId }, "Search for a skill, then choose it from the list");
  const container = element("div");
  search.append(searchLabel, container);
  const chosenHeading = element("h3", { class: "govuk-heading-s", id: `${fieldId}-chosen-heading` }, "Chosen skills");
  const none = element("p", { class: "govuk-body" }, "None chosen yet.");
  const chosen = element("ul", { class: "govuk-list cw-skill-picker__chosen", "aria-labelledby": chosenHeading.id });
  const status = element("div", { id: `${fieldId}-announcement`, class: "govuk-visually-hidden", role: "status", "aria-live": "polite" });
  options.after(search, chosenHeading, none, chosen, status);

  function say(message) {
    // Cleared first so the same words twice are announced twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function count() {
    const n = boxes.filter((box) => box.checked).length;
    return n === 1 ? "1 skill chosen" : `${n} skills chosen`;
  }

  function render(focusAfter) {
    chosen.replaceChildren();
    const ticked = boxes.filter((box) => box.checked);
    none.hidden = ticked.length > 0;
    ticked.forEach((box, index) => {
      const label = labelOf(box);
      const item = element("li");
      const remove = element("button", { type: "button", class: "govuk-button govuk-button--secondary", "data-module": "govuk-button" }, "Remove");
      remove.append(element("span", { class: "govuk-visually-hidden" }, ` ${label}`));
      remove.addEventListener("click", () => {
        box.checked = false;
        say(`Removed ${label}. ${count()}.`);
        render(index);
      });
      item.append(element("span", {}, label), remove);
      chosen.append(item);
    });
    if (focusAfter !== undefined) {
      // After a removal, focus the next Remove button (or the previous, or the search box).
      const buttons = chosen.querySelectorAll("button");
      const next = buttons[Math.min(focusAfter, buttons.length - 1)];
      (next || document.getElementById(fieldId)).focus();
    }
  }

  function source(query, populate) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = [];
    for (const [label, box] of byLabel) {
      const lower = label.toLowerCase();
      if (!box.checked && words.every((word) => lower.includes(word))) matches.push(label);
    }
    const first = words[0] || "";
    // Labels starting with what was typed come first, then the rest, each alphabetically.
    matches.sort((a, b) => Number(!a.toLowerCase().startsWith(first)) - Number(!b.toLowerCase().startsWith(first)) || a.localeCompare(b));
    populate(matches.slice(0, 20));
  }

  autocomplete({
    element: container,
    id: fieldId,
    name: "",
    source,
    minLength: 2,
    // Not autoselect: its ghost-text "hint" is an unlabelled input that screen readers reach.
    autoselect: false,
    confirmOnBlur: false,
    displayMenu: "overlay",
    showNoOptionsFound: true,
    tNoResults: () => "No skill matches; try part of a word",
    onConfirm: (label) => {
      const box = label && byLabel.get(label);
      if (!box || box.checked) return;
      box.checked = true;
      render();
      say(`Added ${label}. ${count()}.`);
      // Empty the box for the next skill once the component has finished with this one.
      window.setTimeout(() => {
        const input = document.getElementById(fieldId);
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }, 0);
    },
  });
  render();
}

function enhanceSelect(select) {
  const autocomplete = window.accessibleAutocomplete;
  if (!autocomplete || select.hasAttribute(ENHANCED)) return;
  select.setAttribute(ENHANCED, "");
  const id = select.id; // the search box takes it (and so the select's label); the select becomes id-select
  autocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    minLength: 2,
    autoselect: false, // see above: its ghost-text hint is an unlabelled input
    confirmOnBlur: false,
    displayMenu: "overlay",
    showNoOptionsFound: true,
    tNoResults: () => "No skill matches; try part of a word",
  });
  select.dataset.searchBox = id;
}

// What is sent is what the search box says: a skill's exact name chooses it, anything else (an
// emptied or half-typed box) chooses nothing, and the server asks for a skill. Captured on the
// document so it runs before htmx (hx-boost) reads the form.
function chooseTyped(select) {
  const typed = (document.getElementById(select.dataset.searchBox)?.value || "").trim().toLowerCase();
  const option = Array.from(select.options).find((o) => o.value && o.textContent.trim().toLowerCase() === typed);
  select.value = option ? option.value : "";
}

document.addEventListener(
  "submit",
  (event) => {
    for (const select of event.target.querySelectorAll(`select[${ENHANCED}][data-search-box]`)) chooseTyped(select);
  },
  true,
);

export function init(scope = document) {
  for (const picker of scope.querySelectorAll("[data-module=cw-skill-picker]")) enhance(picker);
  for (const select of scope.querySelectorAll("select[data-module=cw-skill-autocomplete]")) enhanceSelect(select);
}

init();
document.body.addEventListener("htmx:afterSettle", (event) => init(event.target));
