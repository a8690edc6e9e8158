/* The organization picker (organizations/pickers.py): a text box whose <datalist> suggestions — code and name —
   come from the JSON endpoint named in data-org-picker, 20 at a time, as one types. The box submits a code (or a
   name only one organization holds), so the form works the same without this script. Loaded by base.html. */
(function () {
  "use strict";

  const DELAY_MS = 250;
  const timers = new WeakMap();
  const lastQuery = new WeakMap();

  // The tree's date: the form's field data-org-picker-date names (default "ngay"), else 31/12 of the year in the
  // field data-org-picker-year names.
  function dateOf(box) {
    const field = box.form && box.form.elements.namedItem(box.dataset.orgPickerDate || "ngay");
    if (field && field.value) {
      return field.value;
    }
    const year = box.dataset.orgPickerYear && box.form && box.form.elements.namedItem(box.dataset.orgPickerYear);
    return year && /^\d{4}$/.test(year.value) ? "31/12/" + year.value : "";
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
    const day = dateOf(box);
    const key = query + "|" + day;
    if (lastQuery.get(box) === key) {
      return;
    }
    lastQuery.set(box, key);
    const params = new URLSearchParams({ q: query });
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
        if (lastQuery.get(box) === key) {
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
