// "离我最近的服务站": asks the browser for its location and reloads the stations page with it (?lat=&lng=).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-nearest]") : null;
    if (!button) return;
    var status = document.querySelector("[data-nearest-status]");
    if (!("geolocation" in navigator)) {
      if (status) status.textContent = "您的浏览器无法提供位置。";
      return;
    }
    if (status) status.textContent = "正在获取您的位置……";
    navigator.geolocation.getCurrentPosition(function (pos) {
      var params = new URLSearchParams(window.location.search);
      params.set("lat", pos.coords.latitude.toFixed(6));
      params.set("lng", pos.coords.longitude.toFixed(6));
      params.delete("page");
      window.location.search = params.toString();
    }, function () {
      if (status) status.textContent = "无法获取您的位置，请允许浏览器使用位置后再试。";
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
