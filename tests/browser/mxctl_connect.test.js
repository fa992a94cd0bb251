// `mxctl connect --browser` in headless Chromium: the real mxctl serves its host page, a person
// (Playwright) connects MX Bank in the widget inside it, and mxctl stores the member the widget
// reported and exits 0. Run: MXEMU_BIN=… MXCTL_BIN=… node tests/browser/mxctl_connect.test.js
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const h = require("./harness");

const skip =
  h.missingPrerequisite() ||
  (!process.env.MXCTL_BIN || !fs.existsSync(process.env.MXCTL_BIN) ? "MXCTL_BIN is not set" : null);
if (skip) {
  console.log("SKIP: " + skip);
  process.exit(77);
}

let emu;
let browser;
let dir;

before(async () => {
  emu = await h.startEmulator(); // real clock: mxctl's clock and the emulator's agree
  browser = await h.launchBrowser();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mxctl-browser-"));
});

after(async () => {
  if (browser) await browser.close();
  if (emu) emu.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function mxctlEnv() {
  return Object.assign({}, process.env, {
    MX_CLIENT_ID: "mxemu-client-id",
    MX_API_KEY: "mxemu-api-key",
    MX_BASE_URL: emu.base,
    MXCTL_DB: path.join(dir, "mxctl.db"),
  });
}

function mxctl(args) {
  return JSON.parse(execFileSync(process.env.MXCTL_BIN, [...args, "--json"], { env: mxctlEnv() }));
}

// Starts `mxctl connect … --browser --json`; resolves with the host page URL and the exit.
function startBrowserConnect(args) {
  const child = spawn(process.env.MXCTL_BIN, ["connect", ...args, "--browser", "--json"], {
    env: mxctlEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr.on("data", (c) => (err += c));
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve({ code, out, err })));
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("mxctl printed no URL: " + err)), 10000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const first = out.split("\n")[0];
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      resolve(JSON.parse(first));
    });
  });
  return { listening, exited, kill: () => child.kill("SIGINT") };
}

test("a person connects MX Bank on mxctl's host page; mxctl stores the member and exits", async () => {
  const user = mxctl(["enroll", "browser-person"]);
  const run = startBrowserConnect(["browser-person"]);
  const listening = await run.listening;
  assert.equal(listening.event, "listening");
  assert.match(listening.url, /^http:\/\/127\.0\.0\.1:\d+\/connect\/[0-9a-f]{32}$/);

  const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
  await page.goto(listening.url);
  const frame = await h.waitFor(
    async () => page.frames().find((f) => f.url().startsWith(emu.base + "/connect/")),
    "the widget iframe"
  );
  await frame.waitForSelector('body[data-step="search"]');
  await frame.fill("#search", "MX Bank");
  await frame.waitForTimeout(600); // the widget's search is debounced
  await frame.click('button[data-code="mxbank"]');
  await frame.waitForSelector("#credentials input");
  for (const input of await frame.$$("#credentials input")) {
    await input.fill((await input.getAttribute("type")) === "password" ? "password" : "mxuser");
  }
  await frame.$eval("#credentials", (form) => form.requestSubmit());
  await frame.waitForSelector('body[data-step="connected"]', { timeout: 30000 });

  const done = await Promise.race([
    run.exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error("mxctl did not exit")), 20000)),
  ]).catch((e) => {
    run.kill();
    throw e;
  });
  assert.equal(done.code, 0, done.err);
  const member = JSON.parse(done.out.trim().split("\n")[1]);
  assert.match(member.member_guid, /^MBR-/);
  assert.equal(member.user_guid, user.user_guid);
  assert.equal(member.connection_status, "CONNECTED");
  assert.match(done.err, /widget: mx\/connect\/memberConnected MBR-/);
  // The page's log lists what it forwarded, memberConnected among them.
  const forwarded = await page.$$eval("#log tr", (rows) => rows.map((r) => r.children[1].textContent));
  assert.ok(forwarded.includes("mx/connect/memberConnected"), forwarded.join(","));
  // mxctl's database has it: status reads it without MX.
  assert.equal(mxctl(["status", member.member_guid]).connection_status, "CONNECTED");
  await page.close();
});
