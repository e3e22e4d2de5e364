// On a phone the main navigation folds behind a "Menü" button; without script it stays open.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".site-menu-button");
  if (!button) return;
  var nav = button.closest(".site-nav");
  nav.classList.add("site-nav--foldable");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("site-nav--open", open);
  });
});
