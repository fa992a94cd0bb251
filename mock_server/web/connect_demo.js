// The demo host page: embeds the widget URL the server issued and lists each postMessage.
(function () {
  "use strict";
  const boot = window.MXEMU_BOOT;
  const log = document.getElementById("log");
  if (boot.error) {
    document.getElementById("who").textContent = boot.error;
    return;
  }
  document.getElementById("who").textContent = "User " + boot.user_guid + " · " + boot.widget_url;
  const frame = document.createElement("iframe");
  frame.src = boot.widget_url;
  frame.title = "Connect widget";
  document.getElementById("frame").appendChild(frame);
  let n = 0;
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || !event.data || !event.data.mx) return;
    const row = document.createElement("tr");
    row.className = "message";
    for (const text of [String(++n), event.data.type, JSON.stringify(event.data.metadata)]) {
      const cell = document.createElement("td");
      const code = document.createElement("code");
      code.textContent = text;
      cell.appendChild(code);
      row.appendChild(cell);
    }
    log.appendChild(row);
  });
})();
