/* The page of a background export: polls its progress (JSON) every two seconds and reloads the page when the
   job is finished, so the download link appears. Without JavaScript the page's refresh link does the same. */
(function () {
  "use strict";
  function start() {
    var page = document.querySelector(".export-job[data-progress-url]");
    if (!page || page.getAttribute("data-finished") === "1") {
      return;
    }
    var url = page.getAttribute("data-progress-url");
    var bar = page.querySelector(".export-progress");
    var status = page.querySelector(".export-status");
    var rows = page.querySelector(".export-rows");
    // The words come from the page (translated there): "已导出 {done} / {total} 行".
    var rowsText = page.getAttribute("data-rows-text") || "{done} / {total}";
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (job) {
          if (job.finished) {
            window.location.reload();
            return;
          }
          if (bar) {
            bar.value = job.percent;
            bar.textContent = job.percent + "%";
          }
          if (status) {
            status.textContent = job.status_label;
          }
          if (rows && job.rows_total) {
            rows.textContent = rowsText.replace("{done}", job.rows_done).replace("{total}", job.rows_total);
          }
          window.setTimeout(poll, 2000);
        })
        .catch(function () {
          window.setTimeout(poll, 5000);
        });
    }
    window.setTimeout(poll, 1000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
