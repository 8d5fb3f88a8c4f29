/* Draws the charts of a page from the JSON in <script type="application/json" id="chart-data">.
   Every <canvas data-chart="name"> gets the chart of that name; the table next to it keeps the
   figures readable without JavaScript. Chart.js is served locally (static/vendor). */
(function () {
  "use strict";
  var palette = ["#b71c1c", "#e65100", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#00838f", "#5d4037"];
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec) { return; }
      var round = spec.type === "doughnut" || spec.type === "pie";
      var datasets = spec.datasets.map(function (d, i) {
        var colour = round ? palette : palette[i % palette.length];
        return Object.assign({ backgroundColor: colour, borderColor: round ? "#fff" : colour, spanGaps: true }, d);
      });
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: round || datasets.length > 1 } },
          scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
