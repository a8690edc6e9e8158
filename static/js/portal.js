/* The portal's small page behaviours, kept out of the templates: the Content-Security-Policy runs no inline
   script, no on…= attribute and no inline style. Loaded by base.html on every page. No framework. */
(function () {
  "use strict";

  // Bars whose length is a share (data-width, in %): set through the CSSOM, which the policy allows.
  function drawBars(root) {
    root.querySelectorAll("[data-width]").forEach((bar) => {
      const share = parseFloat(bar.dataset.width);
      bar.style.width = (Number.isFinite(share) ? Math.max(0, Math.min(100, share)) : 0) + "%";
    });
  }
  drawBars(document);
  // Content swapped in by htmx.
  document.addEventListener("htmx:load", (event) => drawBars(event.target));

  // Approval queue: the header's box ticks or unticks every submission.
  document.addEventListener("change", (event) => {
    if (event.target.id !== "check-all") {
      return;
    }
    document.querySelectorAll('input[name="ho_so"]').forEach((box) => {
      box.checked = event.target.checked;
    });
  });

  // Rating grid: fill the members' empty rows with the chosen level.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#fill-button")) {
      return;
    }
    const value = document.getElementById("fill-value").value;
    document.querySelectorAll("select.rating").forEach((select) => {
      if (!select.value && select.name.startsWith("m-")) {
        select.value = value;
        select.classList.add("filled");
      }
    });
  });

  // Printing: the folded sections (<details> cards and the trend table) print open, then fold back; the tree's
  // nodes stay as they are (opening one fetches its children).
  let openedForPrint = [];
  window.addEventListener("beforeprint", () => {
    openedForPrint = Array.from(document.querySelectorAll("main details.card:not([open]), main details.chart-table:not([open])"));
    openedForPrint.forEach((details) => { details.open = true; });
  });
  window.addEventListener("afterprint", () => {
    openedForPrint.forEach((details) => { details.open = false; });
    openedForPrint = [];
  });

  // The user menu closes on a click elsewhere or on Escape.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.usermenu[open]").forEach((menu) => {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      document.querySelectorAll("details.usermenu[open]").forEach((menu) => { menu.open = false; });
    }
  });
})();
