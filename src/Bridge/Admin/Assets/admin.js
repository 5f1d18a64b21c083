// Bridge admin page: progressive enhancement only; every form works without this script.

// Times, confirm steps and the channel picker (links). Times come as <time datetime="…Z"> with UTC in the text and title: the text is
// rewritten to the admin's own time zone, the title keeps UTC on hover. A removal's Cancel closes its confirm step.
var bridgeTime = (function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });

  // Also for the rows the deliveries refresh swaps in.
  function localize(root) {
    root.querySelectorAll("time[datetime]").forEach(function (node) {
      node.textContent = format.format(new Date(node.getAttribute("datetime")));
    });
  }

  localize(document);

  document.querySelectorAll("[data-close-details]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var details = button.closest("details");
      details.open = false;
      details.querySelector("summary").focus();
    });
  });

  // A channel picked from the channels Bridge has seen brings its platform and workspace along.
  var channelId = document.getElementById("channelId");
  if (channelId) {
    channelId.addEventListener("change", function () {
      var option = document.querySelector('#seen-channels option[value="' + CSS.escape(channelId.value) + '"]');
      if (!option) { return; }
      document.getElementById("platform").value = option.getAttribute("data-platform");
      document.getElementById("workspaceId").value = option.getAttribute("data-workspace");
    });
  }

  return { localize: localize };
})();


// Deliveries: refreshes the recent deliveries from /admin/live/deliveries, which renders the rows as the page does
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
        bridgeTime.localize(rows);
        empty.hidden = rows.children.length > 0;
        updated.textContent = "updated " + new Date().toLocaleTimeString();
      })
      .catch(function () { updated.textContent = "could not refresh"; });
  }

  setInterval(refresh, 3000);
})();
