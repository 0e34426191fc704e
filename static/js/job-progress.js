// Follows a compendium job: polls its status and updates the progress bar; reloads when done.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-url]");
  if (!section) return;
  var url = section.getAttribute("data-job-url");
  var bar = document.getElementById("job-progress");
  var state = document.getElementById("job-state");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (bar) bar.value = job.percent;
        if (state) state.textContent = (job.step || document.body.dataset.msgWaiting || "Waiting for a worker") + " (" + job.percent + "%)";
        if (job.finished || job.stale) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
