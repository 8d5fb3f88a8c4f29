// Small behaviours of the portal, kept out of the pages so the content security policy can forbid inline scripts.
(function () {
  "use strict";
  // <select data-parent-select="id_community" data-parents="child:parent,...">: a two-step picker; only the
  // children of the chosen parent are offered, and a child of another parent is cleared.
  function narrow(child) {
    var parent = document.getElementById(child.getAttribute("data-parent-select"));
    if (!parent) return;
    var parents = {};
    (child.getAttribute("data-parents") || "").split(",").forEach(function (pair) {
      var p = pair.split(":");
      parents[p[0]] = p[1];
    });
    Array.prototype.forEach.call(child.options, function (option) {
      var show = !option.value || parents[option.value] === parent.value;
      option.hidden = !show;
      option.disabled = !show;
      if (!show && option.selected) child.value = "";
    });
    Array.prototype.forEach.call(child.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
  }
  function narrowAll() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-parent-select]"), narrow);
  }
  document.addEventListener("DOMContentLoaded", narrowAll);
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLSelectElement && event.target.id) narrowAll();
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLSelectElement)) return;
    // <select data-autosubmit>: submit the form on change (the language selector).
    if (target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
      return;
    }
    // <select data-fill="id_text">: copy the chosen option's data-text into that field (reply templates).
    var fill = target.getAttribute("data-fill");
    if (fill) {
      var option = target.options[target.selectedIndex];
      var field = document.getElementById(fill);
      if (option && option.dataset.text && field) field.value = option.dataset.text;
    }
  });
})();
