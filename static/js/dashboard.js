/* Dashboard: sortable figure tables and the trend charts (Chart.js, vendored). No framework. */
(function () {
  "use strict";

  const lang = document.documentElement.lang || "vi";
  const locale = lang.startsWith("vi") ? "vi-VN" : "en-GB";
  const pct = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const axis = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
  const COLOURS = { met: "#1e7a46", not_met: "#b3261e", no_data: "#9aa5b1", progress: "#9a6700", tracked: "#1d4f91" };
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

  function sortTable(table, column, button) {
    const tbody = table.tBodies[0];
    const header = button.closest("th");
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach((th) => th.setAttribute("aria-sort", "none"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(tbody.rows);
    const key = (row) => row.cells[column].dataset.sort || row.cells[column].textContent.trim();
    const numeric = column > 0;
    rows.sort((a, b) => {
      const order = numeric ? parseFloat(key(a)) - parseFloat(key(b)) : collator.compare(key(a), key(b));
      return ascending ? order : -order;
    });
    rows.forEach((row) => tbody.appendChild(row));
  }

  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("button.sort").forEach((button) => {
      button.addEventListener("click", () => sortTable(table, Number(button.dataset.column), button));
    });
  });

  const source = document.getElementById("trend-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  // A series' unit: "%" or "‰" for a ratio (two decimals), "" for a count (a whole number).
  const format = (value, unit) => {
    if (value === null || value === undefined) {
      return "—";
    }
    return unit ? pct.format(value) + " " + unit : whole.format(value);
  };

  data.series.forEach((series) => {
    const canvas = document.getElementById("trend-" + series.code);
    if (!canvas) {
      return;
    }
    const colours = series.statuses.map((status) => COLOURS[status] || COLOURS.no_data);
    const unit = series.unit === undefined ? "%" : series.unit;
    // The axis spans the values and the target with some room, never below 0 %.
    const known = series.values.concat(series.thresholds).filter((v) => v !== null && v !== undefined);
    const low = Math.min(...known);
    const high = Math.max(...known);
    const pad = Math.max((high - low) * 0.15, high * 0.02, 0.05);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.years,
        datasets: [
          {
            label: series.code,
            data: series.values,
            borderColor: "#1d4f91",
            backgroundColor: colours,
            pointBackgroundColor: colours,
            pointBorderColor: colours,
            pointRadius: 5,
            pointHoverRadius: 7,
            pointStyle: series.statuses.map((status) => (status === "not_met" ? "crossRot" : "circle")),
            borderWidth: 2,
            spanGaps: false,
          },
          {
            label: data.threshold_label + " " + (series.comparator || ""),
            data: series.thresholds,
            borderColor: "#b3261e",
            borderDash: [6, 4],
            borderWidth: 1.5,
            pointRadius: 0,
            fill: false,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: locale,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (context) => {
                if (context.datasetIndex === 1) {
                  return data.threshold_label + ": " + (series.comparator || "") + " " + format(context.parsed.y, unit);
                }
                const status = series.statuses[context.dataIndex];
                return series.code + ": " + format(context.parsed.y, unit) + " (" + (data.labels[status] || "") + ")";
              },
            },
          },
        },
        scales: {
          y: {
            suggestedMin: known.length ? Math.max(0, low - pad) : undefined,
            suggestedMax: known.length ? (unit === "%" ? Math.min(100, high + pad) : high + pad) : undefined,
            // A share never exceeds 100 %: without a hard cap Chart.js rounds the axis up to 120 %.
            max: unit === "%" && known.length && high <= 100 && high + pad > 100 ? 100 : undefined,
            ticks: { callback: (value) => axis.format(value) + (unit ? " " + unit : "") },
          },
          x: { grid: { display: false } },
        },
      },
    });
  });

  const table = document.getElementById("trend-table");
  if (table) {
    const tbody = table.tBodies[0];
    data.series.forEach((series) => {
      const row = tbody.insertRow();
      row.insertCell().textContent = series.code + " – " + series.title;
      series.values.forEach((value, index) => {
        const cell = row.insertCell();
        cell.className = "num status-" + series.statuses[index];
        cell.textContent = format(value, series.unit === undefined ? "%" : series.unit);
      });
    });
  }
})();
