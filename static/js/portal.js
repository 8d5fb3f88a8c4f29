// Small behaviours of the portal, kept out of the pages so the content security policy can forbid inline scripts.
(function () {
  "use strict";
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
