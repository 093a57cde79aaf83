// Keeps a case's steps current without a reload; the page shows the truth without it too.
(function () {
  var region = document.getElementById("steps");
  if (!region || !window.fetch) { return; }
  var url = region.getAttribute("data-refresh");
  var open = ["received", "in_progress"];
  function refresh() {
    var status = region.querySelector(".case-status");
    if (status && open.indexOf(status.getAttribute("data-status")) === -1) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html !== null && html.trim() !== region.innerHTML.trim()) { region.innerHTML = html; }
        window.setTimeout(refresh, 2000);
      })
      .catch(function () { window.setTimeout(refresh, 5000); });
  }
  window.setTimeout(refresh, 1500);
})();
