// Bridge admin page: refreshes the recent deliveries from /admin/live/deliveries, which renders the rows as the page does
// (encoded on the server); they are parsed inertly (DOMParser runs no script) and swapped in. The table is left alone
// while the admin is using it: a retry being confirmed, attempts opened, a field focused.
(function () {
  "use strict";
  var rows = document.getElementById("deliveries-rows");
  if (!rows) { return; }
  var updated = document.getElementById("deliveries-updated");
  var empty = document.getElementById("deliveries-empty");

  function busy() {
    return rows.contains(document.activeElement) || rows.querySelector("details[open], input:checked") !== null;
  }

  function refresh() {
    if (document.hidden || busy()) { return; }
    fetch(rows.getAttribute("data-source"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/admin/signin"); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null || busy()) { return; }
        var fresh = new DOMParser().parseFromString("<table>" + html + "</table>", "text/html").getElementById("deliveries-rows");
        if (!fresh) { return; }
        rows.replaceChildren.apply(rows, Array.prototype.map.call(fresh.children, function (row) { return document.importNode(row, true); }));
        empty.hidden = rows.children.length > 0;
        updated.textContent = "updated " + new Date().toLocaleTimeString();
      })
      .catch(function () { updated.textContent = "could not refresh"; });
  }

  setInterval(refresh, 3000);
})();
