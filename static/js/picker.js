// Chairs and speakers chosen through a search field instead of a long multiple select.
//
// The page sends a <select multiple data-people-picker> of every delegate; without this script
// that select is the form (Ctrl-click picks several). With it, the select stays in the form,
// hidden, and is kept in step with what the organiser does here: a list of the people chosen,
// each with a button to take them off, and a search field whose matches each have a button to
// add them. Words come from the select's data attributes, in the page's language.

const MAX_SHOWN = 8;

// "São Tomé" is found by "sao tome": without case and accents, as the queue searches.
function folded(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function enhance(select) {
  const words = select.dataset;
  const group = select.closest(".govuk-form-group");
  const label = group.querySelector(`label[for="${select.id}"]`);
  const hint = group.querySelector(`#${select.id}-hint`);
  const options = Array.from(select.options).map((option) => ({
    option,
    key: folded(option.textContent),
  }));

  const chosen = element("ul", { class: "govuk-list people-picker__chosen" });
  const searchId = `${select.id}-search`;
  const helpId = `${select.id}-search-hint`;
  const statusId = `${select.id}-search-status`;
  const help = element("div", { id: helpId, class: "govuk-hint" }, words.help);
  const search = element("input", {
    id: searchId,
    class: "govuk-input govuk-input--width-20 people-picker__search",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": `${helpId} ${statusId}`,
  });
  const status = element("p", {
    id: statusId,
    class: "govuk-body-s people-picker__status",
    "aria-live": "polite",
  });
  const results = element("ul", { class: "govuk-list people-picker__results" });

  function button(text, hidden, kind, onClick) {
    const node = element("button", {
      type: "button",
      class: `govuk-button govuk-button--secondary button-small people-picker__${kind}`,
    });
    node.append(text);
    node.append(element("span", { class: "govuk-visually-hidden" }, ` ${hidden}`));
    node.addEventListener("click", onClick);
    return node;
  }

  function drawChosen() {
    chosen.replaceChildren();
    const picked = options.filter(({ option }) => option.selected);
    if (!picked.length) {
      chosen.append(element("li", { class: "people-picker__nobody" }, words.nobody));
    }
    for (const { option } of picked) {
      const item = element("li", { class: "people-picker__person" });
      item.append(element("span", {}, option.textContent), " ");
      item.append(
        button(words.remove, option.textContent, "remove", () => {
          option.selected = false;
          drawChosen();
          drawResults();
          search.focus();
        }),
      );
      chosen.append(item);
    }
  }

  function drawResults() {
    results.replaceChildren();
    const needles = folded(search.value).split(/\s+/).filter(Boolean);
    if (!needles.length) {
      status.textContent = "";
      return;
    }
    const found = options.filter(
      ({ option, key }) => !option.selected && needles.every((needle) => key.includes(needle)),
    );
    status.textContent = say(words.found, { n: found.length });
    for (const { option } of found.slice(0, MAX_SHOWN)) {
      const item = element("li", { class: "people-picker__match" });
      item.append(element("span", {}, option.textContent), " ");
      item.append(
        button(words.add, option.textContent, "add", () => {
          option.selected = true;
          search.value = "";
          drawChosen();
          drawResults();
          search.focus();
        }),
      );
      results.append(item);
    }
    if (found.length > MAX_SHOWN) {
      results.append(element("li", { class: "govuk-hint" }, say(words.more, { n: found.length - MAX_SHOWN })));
    }
  }

  // Enter in the search field adds the only match rather than submitting the whole form.
  search.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const only = results.querySelectorAll(".people-picker__add");
    if (only.length === 1) only[0].click();
  });
  search.addEventListener("input", drawResults);

  const picker = element("div", { class: "people-picker" });
  picker.append(chosen, help, search, status, results);
  select.hidden = true;
  select.removeAttribute("aria-describedby");
  if (hint) hint.hidden = true;
  if (label) label.htmlFor = searchId;
  select.after(picker);
  drawChosen();
}

document.querySelectorAll("select[data-people-picker]").forEach(enhance);
