// The host page of ConnectHost: the widget in an iframe and a script that forwards its
// postMessages to mxctl. Plain HTML and JS, no build step.
#include <nlohmann/json.hpp>
#include <string>

#include "mxclient/connect_host.h"

namespace mxclient {
namespace {

// The boot object is inlined into a <script>: "</" must not close it early.
std::string script_safe_json(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', true);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

constexpr const char* kHead = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mxctl connect</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b2733; }
.cols { display: flex; gap: 1.5rem; align-items: flex-start; flex-wrap: wrap; }
.cols > div { flex: 1 1 360px; min-width: 0; }
iframe { flex: none; width: 420px; height: 640px; border: 1px solid #c9d1d9; border-radius: 8px; }
#state { font-weight: 600; }
table { border-collapse: collapse; font-size: 0.85rem; }
td { border-top: 1px solid #e3e7eb; padding: 0.2rem 0.5rem; vertical-align: top; }
code { word-break: break-all; }
td:nth-child(2) code { white-space: nowrap; word-break: normal; }
</style>
</head>
<body>
<h1>Connect a bank for mxctl</h1>
<p id="state">Connect in the widget below. mxctl is waiting for it.</p>
<div class="cols">
<iframe id="widget" title="Connect widget"></iframe>
<div><h2>Messages sent to mxctl</h2>
<table><tbody id="log"></tbody></table></div>
</div>
<script>
)HTML";

// Forwards, in order (one fetch after another), every message the widget frame posts with
// mx: true. The frame's source is set only after the listener exists, so mx/load is not missed.
constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  const frame = document.getElementById("widget");
  const log = document.getElementById("log");
  const state = document.getElementById("state");
  const widgetOrigin = new URL(boot.widget_url, window.location.href).origin;
  let chain = Promise.resolve();
  let n = 0;

  function show(type, metadata) {
    const row = document.createElement("tr");
    row.className = "message";
    for (const text of [String(++n), type, JSON.stringify(metadata || {})]) {
      const cell = document.createElement("td");
      const code = document.createElement("code");
      code.textContent = text;
      cell.appendChild(code);
      row.appendChild(cell);
    }
    log.appendChild(row);
  }

  function forward(data) {
    chain = chain
      .then(() => fetch(boot.messages_path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(data),
      }))
      .then((response) => {
        if (!response.ok) throw new Error("mxctl answered " + response.status);
      })
      .catch((error) => {
        state.textContent = "Could not hand a message to mxctl (" + error.message +
          "); has it stopped?";
      });
  }

  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || event.origin !== widgetOrigin) return;
    let data = event.data;
    if (typeof data === "string") {
      try { data = JSON.parse(data); } catch (e) { return; }
    }
    if (!data || typeof data !== "object" || data.mx !== true) return;
    show(data.type, data.metadata);
    forward(data);
    if (data.type === "mx/connect/memberConnected") {
      const guid = data.metadata && data.metadata.member_guid;
      state.textContent = "Connected (" + guid + "). mxctl stores the member and exits; " +
        "you can close this tab.";
    }
  });
  frame.src = boot.widget_url;
})();
</script>
</body>
</html>
)JS";

}  // namespace

std::string connect_host_page(const std::string& widget_url, const std::string& messages_path) {
  const nlohmann::json boot = {{"widget_url", widget_url}, {"messages_path", messages_path}};
  std::string page = kHead;
  page += "const boot = " + script_safe_json(boot) + ";";
  page += kScript;
  return page;
}

}  // namespace mxclient
