/* The organization picker (organizations/pickers.py): a text box whose <datalist> suggestions — code and name —
   come from the JSON endpoint named in data-org-picker, 20 at a time, as one types. The box submits a code (or a
   name only one organization holds), so the form works the same without this script. Loaded by base.html. */
(function () {
  "use strict";

  const DELAY_MS = 250;
  const timers = new WeakMap();
  const lastQuery = new WeakMap();

  function dateOf(box) {
    const field = box.form && box.form.elements.namedItem("ngay");
    return field && field.value ? field.value : "";
  }

  function fill(box, results) {
    const list = document.getElementById(box.getAttribute("list"));
    if (!list) {
      return;
    }
    list.replaceChildren(
      ...results.map((row) => {
        const option = document.createElement("option");
        option.value = row.code;
        option.label = row.code + " – " + row.name;
        option.textContent = row.name;
        return option;
      })
    );
  }

  function suggest(box) {
    const query = box.value.trim();
    if (lastQuery.get(box) === query) {
      return;
    }
    lastQuery.set(box, query);
    const params = new URLSearchParams({ q: query });
    const day = dateOf(box);
    if (day) {
      params.set("ngay", day);
    }
    if (box.dataset.orgPickerWrite) {
      params.set("ghi", "1");
    }
    fetch(box.dataset.orgPicker + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        // An answer to an older query arriving late must not replace the newer one's.
        if (lastQuery.get(box) === query) {
          fill(box, data.results || []);
        }
      })
      .catch(() => {});
  }

  function schedule(event) {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.orgPicker) {
      return;
    }
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(() => suggest(box), event.type === "focusin" ? 0 : DELAY_MS));
  }

  document.addEventListener("input", schedule);
  document.addEventListener("focusin", schedule);
})();
