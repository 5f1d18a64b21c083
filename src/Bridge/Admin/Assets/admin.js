// Bridge admin page: progressive enhancement only; every form works without this script.

// Times, confirm steps and the channel picker (links). Times come as <time datetime="…Z"> with UTC in the text and title: the text is
// rewritten to the admin's own time zone, the title keeps UTC on hover. A removal's Cancel closes its confirm step.
var bridgeTime = (function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
  });

  function utc(value) {
    return new Date(value).toISOString().replace("T", " ").slice(0, 19) + " UTC";
  }

  function element(value) {
    var node = document.createElement("time");
    node.setAttribute("datetime", new Date(value).toISOString().slice(0, 19) + "Z");
    node.title = utc(value);
    node.textContent = format.format(new Date(value));
    return node;
  }

  document.querySelectorAll("time[datetime]").forEach(function (node) {
    node.textContent = format.format(new Date(node.getAttribute("datetime")));
  });

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

  return { element: element };
})();

// Deliveries: refreshes the recent deliveries from /admin/live/deliveries. Values are set as text, never HTML.
(function () {
  "use strict";
  var rows = document.getElementById("deliveries-rows");
  if (!rows) { return; }
  var updated = document.getElementById("deliveries-updated");
  var empty = document.getElementById("deliveries-empty");

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function cell(label, children) {
    var td = el("td");
    td.setAttribute("data-label", label);
    children.forEach(function (child) { td.appendChild(typeof child === "string" ? document.createTextNode(child) : child); });
    return td;
  }

  function row(d) {
    var tr = el("tr");
    tr.appendChild(cell("When", [bridgeTime.element(d.createdAt)]));
    tr.appendChild(cell("From", [d.platform + " · ", d.channelName ? d.channelName : el("code", d.channelId), el("br"), el("small", d.userName || d.userId)]));
    tr.appendChild(cell("Text", [d.textPreview || ""]));
    tr.appendChild(cell("Group", [d.groupName]));
    var attempts = d.attempts.length === 1 ? "1 attempt" : d.attempts.length + " attempts";
    tr.appendChild(cell("Status", [el("span", d.status, "badge " + d.status.toLowerCase()), el("br"), el("small", attempts)]));
    var ids = [];
    d.messageIds.forEach(function (id) { ids.push(el("code", id)); ids.push(" "); });
    tr.appendChild(cell("message_id", ids));
    tr.appendChild(cell("Error", [d.error || ""]));
    var reply = [el("span", d.reply, "badge reply-" + d.reply.replace("_", "-"))];
    if (d.replyError) { reply.push(el("br"), el("small", d.replyError)); }
    tr.appendChild(cell("Reply", reply));
    return tr;
  }

  function refresh() {
    if (document.hidden) { return; }
    fetch(rows.getAttribute("data-source"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/admin/signin"); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (page) {
        if (!page) { return; }
        rows.replaceChildren.apply(rows, page.items.map(row));
        empty.hidden = page.items.length > 0;
        updated.textContent = "updated " + new Date().toLocaleTimeString();
      })
      .catch(function () { updated.textContent = "could not refresh"; });
  }

  setInterval(refresh, 3000);
})();
