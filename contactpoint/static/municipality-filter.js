// A municipality select that narrows as one types. Without this script the page shows the
// plain select, which works on its own; with it, a text box above the select keeps only the
// municipalities whose name starts with (or contains) what was typed, and says how many match.
function enhance(wrapper) {
  const select = wrapper.querySelector("select");
  if (!select || wrapper.dataset.enhanced) return;
  wrapper.dataset.enhanced = "true";
  const all = Array.from(select.options).slice(1).map((o) => ({ value: o.value, text: o.text }));
  const first = select.options[0];

  const label = document.createElement("label");
  label.className = "govuk-label";
  label.htmlFor = `${select.id}-filter`;
  label.textContent = wrapper.dataset.filterLabel;
  const input = document.createElement("input");
  input.className = "govuk-input govuk-input--width-20";
  input.id = `${select.id}-filter`;
  input.type = "text";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-controls", select.id);
  const status = document.createElement("p");
  status.className = "govuk-hint";
  status.id = `${select.id}-filter-status`;
  status.setAttribute("role", "status");
  input.setAttribute("aria-describedby", status.id);
  const group = document.createElement("div");
  group.className = "govuk-!-margin-bottom-2";
  group.append(label, input, status);
  wrapper.insertBefore(group, select);

  const normal = (s) => s.toLocaleLowerCase("sv").normalize("NFC").trim();
  input.addEventListener("input", () => {
    const typed = normal(input.value);
    const chosen = select.value;
    const matches = all.filter((o) => normal(o.text).includes(typed));
    matches.sort((a, b) => normal(b.text).startsWith(typed) - normal(a.text).startsWith(typed));
    select.replaceChildren(first, ...matches.map((o) => new Option(o.text, o.value, false, o.value === chosen)));
    if (matches.length === 1) select.value = matches[0].value;
    status.textContent = typed ? wrapper.dataset.countText.replace("{count}", matches.length) : "";
  });
}

document.querySelectorAll('[data-module="municipality-filter"]').forEach(enhance);
