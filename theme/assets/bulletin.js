/* The home page's street chooser: "前往" opens the chosen street's page.
   Without JavaScript (or without a choice) the form leads to the list of all streets. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-street-chooser]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var select = form.querySelector("select");
      if (!select || !select.value) return;
      event.preventDefault();
      window.location.href = new URL(select.value, document.baseURI).href;
    });
  });
})();
