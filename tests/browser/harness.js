// What the browser tests share: the real mxemu binary on 127.0.0.1 port 0, an MX API client,
// the host app (host.html with MX's Web Widget SDK and MX's post-message definitions, served
// from node_modules by a tiny static server) and headless Chromium from Debian.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const MODULES = path.join(__dirname, "node_modules");

// Why the suite cannot run here, or null. The ctest registration maps a skip to exit code 77.
function missingPrerequisite() {
  if (!process.env.MXEMU_BIN) return "MXEMU_BIN is not set";
  if (!fs.existsSync(process.env.MXEMU_BIN)) return "no mxemu binary at " + process.env.MXEMU_BIN;
  if (!fs.existsSync(CHROMIUM)) return "no Chromium at " + CHROMIUM + " (scripts/install-deps.sh)";
  if (!fs.existsSync(path.join(MODULES, "playwright-core"))) return "run npm ci in tests/browser";
  return null;
}

// Starts mxemu and resolves with {base, stop} once it prints the address it listens on.
function startEmulator(args = []) {
  const child = spawn(process.env.MXEMU_BIN, ["--port", "0", "--log-level", "warning", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("mxemu printed no address in 10 s")), 10000);
    child.on("exit", (code) => reject(new Error("mxemu exited with " + code)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({ base: m[1], stop: () => child.kill("SIGTERM") });
    });
  });
}

// An MX Platform API client (v20111101) with mxemu's default credentials.
function mxClient(base) {
  const auth = "Basic " + Buffer.from("mxemu-client-id:mxemu-api-key").toString("base64");
  async function call(method, p, body) {
    const r = await fetch(base + p, {
      method,
      headers: { Authorization: auth, Accept: "application/vnd.mx.api.v1+json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  }
  return {
    call,
    async createUser(id) {
      return (await call("POST", "/users", { user: { id } })).json.user.guid;
    },
    async widgetUrl(user, options = {}) {
      const r = await call("POST", `/users/${user}/widget_urls`, {
        widget_url: Object.assign({ widget_type: "connect_widget", ui_message_version: 4 }, options),
      });
      if (r.status !== 200) throw new Error("widget_urls: " + JSON.stringify(r.json));
      return r.json.widget_url.url;
    },
    async member(user, member) {
      return (await call("GET", `/users/${user}/members/${member}`)).json.member;
    },
    async members(user) {
      return (await call("GET", `/users/${user}/members`)).json.members;
    },
    async control(method, p, body) {
      const r = await fetch(base + p, {
        method,
        headers: { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, json: await r.json() };
    },
  };
}

// The host app's static server: host.html, the SDK's UMD bundle and the definitions' ES modules.
function startHost() {
  const files = {
    "/host.html": [path.join(__dirname, "host.html"), "text/html"],
    "/sdk.js": [path.join(MODULES, "@mxenabled/web-widget-sdk/dist/umd/index.js"), "text/javascript"],
  };
  const defs = path.join(MODULES, "@mxenabled/widget-post-message-definitions/dist");
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let file = files[url.pathname];
    const m = /^\/defs\/(index|lib|generated)(\.js)?$/.exec(url.pathname);
    if (m) file = [path.join(defs, m[1] + ".js"), "text/javascript"];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": file[1] });
    fs.createReadStream(file[0]).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ base: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() });
    });
  });
}

async function launchBrowser() {
  const { chromium } = require("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
}

// Polls `probe` until it returns a truthy value (bounded).
async function waitFor(probe, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

module.exports = { missingPrerequisite, startEmulator, mxClient, startHost, launchBrowser, waitFor };

// MX's post-message definitions for use in Node. The package ships ES modules without file
// extensions whose URL parser calls require("url") (it expects a bundler), so neither Node nor a
// browser loads it as is: its two files run here in one vm context, unchanged except for the
// import/export keywords, with Node's require.
function loadDefinitions() {
  const vm = require("node:vm");
  const dir = path.join(MODULES, "@mxenabled/widget-post-message-definitions/dist");
  const strip = (file) =>
    fs
      .readFileSync(path.join(dir, file), "utf8")
      .replace(/^import[\s\S]*?from\s+"[^"]+";\s*$/gm, "")
      .replace(/^export\s+(?=(var|function|class|const|let)\b)/gm, "");
  const context = vm.createContext({ require, console });
  vm.runInContext(strip("lib.js") + "\n" + strip("generated.js") +
    "\nthis.defs = { dispatchConnectLocationChangeEvent, dispatchConnectPostMessageEvent, Type };", context);
  return context.defs;
}

module.exports.loadDefinitions = loadDefinitions;
