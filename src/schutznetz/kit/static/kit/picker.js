// Search-as-you-type picker (kit.forms.SearchPicker): a result button adds a ticked box to the
// chosen list; Enter in the search field searches instead of sending the form.
(function () {
  function picker(element) { return element.closest("[data-picker]"); }

  function choose(button) {
    var root = picker(button);
    var value = button.getAttribute("data-pick-value");
    var label = button.getAttribute("data-pick-label");
    var list = root.querySelector("[data-picker-chosen]");
    var box = Array.prototype.find.call(list.querySelectorAll("input"), function (input) {
      return input.value === value;
    });
    if (!box) {
      var id = root.getAttribute("data-picker-id") + "_" + value;
      var item = document.createElement("li");
      item.innerHTML = '<div class="kern-form-check"><input type="checkbox" class="kern-form-check__checkbox">' +
        '<label class="kern-label"></label></div>';
      box = item.querySelector("input");
      box.name = root.getAttribute("data-picker-name");
      box.value = value;
      box.id = id;
      var text = item.querySelector("label");
      text.htmlFor = id;
      text.textContent = label;
      list.appendChild(item);
    }
    box.checked = true;
    root.querySelector("[data-picker-empty]").hidden = true;
    root.querySelector("[data-picker-status]").textContent = label + " ausgewählt.";
    var search = root.querySelector("[data-picker-search]");
    search.value = "";
    root.querySelector(".picker__results").innerHTML = "";
    search.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-value]");
    if (button && picker(button)) choose(button);
  });

  document.addEventListener("keydown", function (event) {
    var search = event.target.closest && event.target.closest("[data-picker-search]");
    if (search && event.key === "Enter") {
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(search, "picker-search");
    }
  });
})();
