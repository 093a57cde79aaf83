// "You'll be signed out soon": open the warning before the idle timeout, keep the session with
// "Stay signed in" without leaving the page, and go to the signed-out page when time is up.
(function () {
  var dialog = document.getElementById("session-timeout");
  if (!dialog) return;
  var form = dialog.querySelector("form");
  var timer = null;

  function plan(seconds, warnAt) {
    clearTimeout(timer);
    if (seconds <= 0) {
      window.location.href = dialog.dataset.signedOutUrl;
    } else if (seconds <= warnAt) {
      if (!dialog.open) dialog.showModal ? dialog.showModal() : dialog.setAttribute("open", "");
      timer = setTimeout(check, Math.min(seconds, 15) * 1000);
    } else {
      timer = setTimeout(check, (seconds - warnAt) * 1000);
    }
  }

  function check() {
    fetch(dialog.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) { s.signed_in ? plan(s.seconds, Number(dialog.dataset.warnAt)) : plan(0, 0); })
      .catch(function () { timer = setTimeout(check, 15000); });
  }

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.hasAttribute("formaction")) return; // "Sign out"
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) { dialog.close ? dialog.close() : dialog.removeAttribute("open"); plan(s.seconds, Number(dialog.dataset.warnAt)); });
  });

  plan(Number(dialog.dataset.seconds), Number(dialog.dataset.warnAt));
})();
