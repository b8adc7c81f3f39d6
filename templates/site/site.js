// kontrakt site: a filter over a page's lists, added on top of pages that work
// without it. A list marked data-filter gets a text box; typing hides the items
// that do not hold the text (and headings whose items are all hidden).
"use strict";
(function () {
  var lists = document.querySelectorAll("[data-filter]");
  if (!lists.length) return;
  var scope = document.getElementById("filter-scope");
  if (!scope) return;
  var label = document.createElement("label");
  var input = document.createElement("input");
  input.type = "search";
  input.id = "filter-input";
  label.htmlFor = input.id;
  label.textContent = scope.getAttribute("data-label") + " ";
  var box = document.createElement("p");
  box.className = "filter";
  box.appendChild(label);
  box.appendChild(input);
  scope.parentNode.insertBefore(box, scope);
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLowerCase();
    lists.forEach(function (list) {
      var shown = 0;
      list.querySelectorAll("li").forEach(function (item) {
        var hit = !wanted || item.textContent.toLowerCase().indexOf(wanted) !== -1;
        item.hidden = !hit;
        if (hit) shown += 1;
      });
      var group = list.closest("section");
      if (group) group.hidden = shown === 0;
    });
  });
})();
