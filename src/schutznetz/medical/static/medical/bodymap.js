// The findings form's body map, by pointer and by keyboard (WCAG 2.1 AA):
// - a region chosen on the map fills the last row while that row has no region yet, so no empty
//   row is left standing; otherwise htmx fetches a new row with the region;
// - the keyboard does not tab through the forty regions of the drawings: each row chooses its region
//   from a list, and "Weiteren Einzelbefund hinzufügen" fetches an empty row;
// - after either, focus moves to the row's next field and a live region announces the row.
(function () {
  "use strict";

  function rows() {
    return document.querySelectorAll("#injury-rows .injury-row");
  }

  function regionOf(row) {
    return row.querySelector("select[name$='-region']");
  }

  function announce(text) {
    var live = document.getElementById("injury-announce");
    if (!live) {
      return;
    }
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  function arrive(row) {
    var region = regionOf(row);
    var chosen = region && region.value ? region.options[region.selectedIndex].textContent : "";
    var next = chosen ? row.querySelector("select[name$='-kind']") : region;
    if (next) {
      next.focus();
    }
    var legend = row.querySelector("legend");
    var name = legend ? legend.textContent.trim() : "Einzelbefund";
    announce(chosen ? name + ": " + chosen + ". Bitte die Art der Verletzung wählen." : name + " hinzugefügt. Bitte die Körperregion wählen.");
  }

  // Capture phase: before htmx's own click handler on the region link.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest ? event.target.closest(".bodymap__link") : null;
      if (!link) {
        return;
      }
      var all = rows();
      var last = all.length ? all[all.length - 1] : null;
      var region = last ? regionOf(last) : null;
      if (region && !region.value) {
        event.preventDefault();
        event.stopImmediatePropagation();
        region.value = link.getAttribute("data-region");
        arrive(last);
      }
    },
    true
  );

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "injury-rows") {
      var all = rows();
      if (all.length) {
        arrive(all[all.length - 1]);
      }
    }
  });
})();
// On a phone the drawings' smallest regions may measure less than 24 px: the row's list of regions is
// the equivalent control that WCAG 2.5.8 (target size) accepts, and itself a full-size target.
