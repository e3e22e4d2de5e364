// At phone width the sections of a long page ([data-fold], e.g. the case page) fold under their
// headings, each heading a disclosure button; following a link to a section, or a form error
// inside it, opens it. Wider, or without script, every section stays open.
(function () {
  var narrow = window.matchMedia("(max-width: 40em)");

  function setOpen(section, open) {
    var button = section.querySelector(".fold-button");
    button.setAttribute("aria-expanded", String(open));
    section.querySelector("[data-fold-body]").hidden = !open;
  }

  function openAt(hash) {
    var target = hash && hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    var section = target && target.closest("[data-fold]");
    if (section && section.querySelector(".fold-button")) setOpen(section, true);
  }

  function fold(section) {
    var heading = section.querySelector("h2");
    var body = section.querySelector("[data-fold-body]");
    if (!heading || !body) return;
    body.id = heading.id + "-body";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "fold-button";
    button.setAttribute("aria-controls", body.id);
    while (heading.firstChild) button.appendChild(heading.firstChild);
    heading.appendChild(button);
    button.addEventListener("click", function () {
      setOpen(section, button.getAttribute("aria-expanded") !== "true");
    });
    setOpen(section, !!body.querySelector(".kern-error, .kern-alert--danger"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!narrow.matches) return;
    document.querySelectorAll("[data-fold]").forEach(fold);
    openAt(window.location.hash);
    window.addEventListener("hashchange", function () { openAt(window.location.hash); });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest('a[href^="#"]');
      if (link) openAt(link.getAttribute("href"));
    });
    narrow.addEventListener("change", function (event) {
      if (!event.matches) document.querySelectorAll("[data-fold]").forEach(function (s) { setOpen(s, true); });
    });
  });
})();
