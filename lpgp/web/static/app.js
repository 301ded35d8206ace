// The workshop app's address names the screen on show: /voila/render/app.ipynb#vote.
// Following a link to "#vote", reloading, or pressing Back changes the address's fragment
// (never the page), and this hands the screen's name to the kernel through the app's hidden
// step field, so one kernel serves every screen of a chair's session.
(function () {
  "use strict";

  function stepField() {
    return document.querySelector(".lpgp-step-field input");
  }

  function wanted() {
    return decodeURIComponent(window.location.hash.replace(/^#/, "")) || "home";
  }

  function send() {
    var field = stepField();
    if (!field) {
      return false;
    }
    var step = wanted();
    if (field.value !== step) {
      field.value = step;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return true;
  }

  // Widgets appear once the kernel has run the notebook: wait for the field, then hand over
  // the screen named in the address the page was opened with.
  function whenReady() {
    if (send()) {
      return;
    }
    var watcher = new MutationObserver(function () {
      if (send()) {
        watcher.disconnect();
      }
    });
    watcher.observe(document.body, { childList: true, subtree: true });
  }

  window.addEventListener("hashchange", send);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", whenReady);
  } else {
    whenReady();
  }
})();
