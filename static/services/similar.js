// The issue form's similar public issues (说事墙), shown while the resident writes: after the title or the place
// changes, /api/v1/public-issues/similar/ is asked and its issues are listed, each with a “同样遇到” button (a
// plain form POST with the page's CSRF token). Without this script the form does the same in two steps.
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-live]");
  var form = document.querySelector("form[data-similar-form]");
  if (!box || !form || !window.fetch) return;
  var list = box.querySelector("ul");
  var endpoint = box.getAttribute("data-endpoint");
  var meToo = box.getAttribute("data-me-too");  // "/services/board/0/me-too/": 0 is replaced by the id
  var meTooLabel = box.getAttribute("data-me-too-label");  // the page's words (translated there)
  var countText = box.getAttribute("data-me-too-count");  // "{n}人同样遇到"
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var timer = null, last = "";

  function value(name) {
    var el = form.querySelector("[name=" + name + "]");
    return el ? el.value.trim() : "";
  }

  function item(row) {
    var issue = row.issue;
    var li = document.createElement("li");
    li.className = "row";
    var text = document.createElement("span");
    text.className = "grow";
    var link = document.createElement("a");
    link.href = "/services/board/" + issue.id + "/";
    var strong = document.createElement("strong");
    strong.textContent = issue.title;
    link.appendChild(strong);
    var small = document.createElement("small");
    small.className = "muted";
    small.textContent = [issue.grid_node_name, issue.location, row.reason, countText.replace("{n}", issue.me_too_count)]
      .filter(Boolean).join(" · ");
    text.appendChild(link);
    text.appendChild(document.createElement("br"));
    text.appendChild(small);
    var post = document.createElement("form");
    post.method = "post";
    post.action = meToo.replace("/0/", "/" + issue.id + "/");
    if (csrf) post.appendChild(csrf.cloneNode());
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "small";
    button.textContent = meTooLabel;
    post.appendChild(button);
    li.appendChild(text);
    li.appendChild(post);
    return li;
  }

  function ask() {
    var title = value("title");
    var query = new URLSearchParams();
    if (title.length < 2) { box.hidden = true; return; }
    query.set("title", title.slice(0, 100));
    var node = value("micro_grid") || value("community");
    if (node) query.set("grid_node", node);
    if (value("lat") && value("lng")) { query.set("lat", value("lat")); query.set("lng", value("lng")); }
    var url = endpoint + "?" + query.toString();
    if (url === last) return;
    last = url;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var rows = data.results || [];
        list.textContent = "";
        rows.forEach(function (row) { list.appendChild(item(row)); });
        box.hidden = rows.length === 0;
      })
      .catch(function () { box.hidden = true; });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 500);
  }

  ["title", "community", "micro_grid", "lat", "lng"].forEach(function (name) {
    var el = form.querySelector("[name=" + name + "]");
    if (el) { el.addEventListener("input", later); el.addEventListener("change", later); }
  });
})();
