// "离我最近的服务站": asks the browser for its location and reloads the stations page with it (?lat=&lng=).
// Its words come from the status element's data-* attributes (translated by the page).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-nearest]") : null;
    if (!button) return;
    var status = document.querySelector("[data-nearest-status]");
    if (!("geolocation" in navigator)) {
      if (status) status.textContent = status.getAttribute("data-no-geolocation");
      return;
    }
    if (status) status.textContent = status.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      var params = new URLSearchParams(window.location.search);
      params.set("lat", pos.coords.latitude.toFixed(6));
      params.set("lng", pos.coords.longitude.toFixed(6));
      params.delete("page");
      window.location.search = params.toString();
    }, function () {
      if (status) status.textContent = status.getAttribute("data-failed");
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
