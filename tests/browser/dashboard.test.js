// The dashboard (/_emulator/ui) in headless Chromium against the real mxemu binary: what the
// control API and the MX API do shows on the page, and what the page's buttons do reaches the
// tenant. Every wait is on the page or the API reaching a state, never on a time.
// Run: MXEMU_BIN=build/ci/mock_server/mxemu node tests/browser/dashboard.test.js
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");
const h = require("./harness");

const skip = h.missingPrerequisite();
if (skip) {
  console.log("SKIP: " + skip);
  process.exit(77);
}

const SHOTS = process.env.WIDGET_SCREENSHOTS; // a directory: save the dashboard there
const LOGIN = "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1";
const PASSWORD = "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d";
let emu;
let browser;
let mx;

before(async () => {
  emu = await h.startEmulator(["--clock", "manual", "--start-time", "2026-03-02T09:00:00Z"]);
  mx = h.mxClient(emu.base);
  browser = await h.launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (emu) emu.stop();
});

// A member at MX Bank created through the MX API, its first job run out on the manual clock.
async function connectedMember(userId, password = "password") {
  const user = await mx.createUser(userId);
  const created = await mx.call("POST", `/users/${user}/members`, {
    member: {
      institution_code: "mxbank",
      credentials: [
        { guid: LOGIN, value: "mxuser" },
        { guid: PASSWORD, value: password },
      ],
    },
  });
  assert.equal(created.status, 202, JSON.stringify(created.json));
  assert.equal((await mx.control("POST", "/_emulator/clock/advance", { minutes: 1 })).status, 200);
  return { user, member: created.json.member.guid };
}

async function openDashboard() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const response = await page.goto(`${emu.base}/_emulator/ui`);
  assert.equal(response.status(), 200);
  await page.waitForSelector('#live[data-state="live"]');
  return { context, page };
}

const memberRow = (guid, status) => `tr.member[data-member="${guid}"]` + (status ? `[data-status="${status}"]` : "");

test("the dashboard loads and shows the tenant's members and their status history", async () => {
  const { user, member } = await connectedMember("dash-loads");
  const { context, page } = await openDashboard();
  await page.waitForSelector(memberRow(member, "CONNECTED"));
  assert.match(await page.textContent(`tr.user[data-user="${user}"]`), /dash-loads/);
  assert.equal(await page.textContent("#tenant"), "tenant mxemu-client-id");
  const clock = (await mx.control("GET", "/_emulator/clock")).json.clock;
  assert.equal(await page.getAttribute("#clock", "data-now"), clock.now);
  // The lane shows the member's history: created, then aggregating, then connected.
  const lane = `.lane[data-member="${member}"] .segment`;
  const steps = await page.$$eval(lane, (segments) => segments.map((s) => s.getAttribute("data-status")));
  assert.equal(steps[steps.length - 1], "CONNECTED");
  assert.ok(steps.length >= 2, steps.join(" "));
  await context.close();
});

test("a forced status appears on it, from the page's button and from the control API", async () => {
  const { member } = await connectedMember("dash-force");
  const { context, page } = await openDashboard();
  await page.waitForSelector(memberRow(member, "CONNECTED"));
  await page.selectOption(`${memberRow(member)} select.force-status`, "DEGRADED");
  await page.click(`${memberRow(member)} button.force`);
  await page.waitForSelector(memberRow(member, "DEGRADED"));
  const users = (await mx.control("GET", "/_emulator/overview")).json.users;
  const shown = users.flatMap((u) => u.members).find((m) => m.guid === member);
  assert.equal(shown.connection_status, "DEGRADED");
  const user = users.find((u) => u.members.some((m) => m.guid === member)).guid;
  assert.equal((await mx.member(user, member)).connection_status, "DEGRADED");
  await page.waitForSelector(`.lane[data-member="${member}"] .segment[data-status="DEGRADED"]`);
  // A status forced elsewhere (a script, a test) shows without a reload.
  assert.equal((await mx.control("POST", `/_emulator/members/${member}/status`, { connection_status: "LOCKED" })).status, 200);
  await page.waitForSelector(memberRow(member, "LOCKED"));
  await context.close();
});

test("a clock advance shows, from the page's button and from the control API", async () => {
  const { context, page } = await openDashboard();
  const before = await page.getAttribute("#clock", "data-now");
  await page.click('button.quick[data-unit="hours"]');
  const hourLater = new Date(Date.parse(before) + 3600 * 1000).toISOString();
  await page.waitForSelector(`#clock[data-now="${hourLater}"]`);
  assert.equal((await mx.control("GET", "/_emulator/clock")).json.clock.now, hourLater);
  assert.equal((await mx.control("POST", "/_emulator/clock/advance", { days: 1 })).status, 200);
  const dayLater = new Date(Date.parse(hourLater) + 86400 * 1000).toISOString();
  await page.waitForSelector(`#clock[data-now="${dayLater}"]`);
  await context.close();
});

test("an outage starts and ends from the page", async () => {
  const { context, page } = await openDashboard();
  await page.selectOption("#outage-institution", "summit_ridge_bank");
  await page.selectOption("#outage-outcome", "lock");
  await page.click("#start-outage");
  await page.waitForSelector('.outage[data-code="summit_ridge_bank"]');
  const outage = async () =>
    (await mx.control("GET", "/_emulator/overview")).json.institutions.find((i) => i.code === "summit_ridge_bank").outage;
  assert.equal(await outage(), "lock");
  await page.click('.outage[data-code="summit_ridge_bank"] button.end-outage');
  await page.waitForSelector('.outage[data-code="summit_ridge_bank"]', { state: "detached" });
  assert.equal(await outage(), null);
  await context.close();
});

test("another tenant is picked by its credentials; wrong ones say so", async () => {
  const made = await mx.control("POST", "/_emulator/tenants", { client_id: "dash-tenant", api_key: "k-dash" });
  assert.equal(made.status, 201);
  const auth = "Basic " + Buffer.from("dash-tenant:k-dash").toString("base64");
  const r = await fetch(emu.base + "/users", {
    method: "POST",
    headers: { Authorization: auth, Accept: "application/vnd.mx.api.v1+json", "Content-Type": "application/json" },
    body: JSON.stringify({ user: { id: "only-in-dash-tenant" } }),
  });
  const theirs = (await r.json()).user.guid;
  const { context, page } = await openDashboard();
  await page.fill("#client-id", "dash-tenant");
  await page.fill("#api-key", "wrong");
  await page.click("#use-tenant");
  await page.waitForSelector('#live[data-state="error"]');
  assert.match(await page.textContent("#message"), /401/);
  await page.fill("#api-key", "k-dash");
  await page.click("#use-tenant");
  await page.waitForSelector(`tr.user[data-user="${theirs}"]`);
  assert.equal(await page.textContent("#tenant"), "tenant dash-tenant");
  assert.equal(await page.$$eval("tr.user", (rows) => rows.length), 1, "only that tenant's users");
  await page.click("#default-tenant");
  await page.waitForSelector(`tr.user[data-user="${theirs}"]`, { state: "detached" });
  assert.equal(await page.textContent("#tenant"), "tenant mxemu-client-id");
  await context.close();
});

test("what it renders is text: markup in a user id or a request path stays inert", async () => {
  const hostile = '<img src=x onerror="window.pwned=1">';
  await mx.createUser(hostile);
  await mx.call("GET", "/users?x=" + encodeURIComponent("<b>bold</b>"));
  const { context, page } = await openDashboard();
  await page.waitForFunction((id) => document.body.textContent.includes(id), hostile);
  await page.waitForFunction(() => document.querySelector("#journal").textContent.includes("<b>bold</b>"));
  assert.equal(await page.$$eval("#members img, #journal b", (nodes) => nodes.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await context.close();
});

// A webhook endpoint on 127.0.0.1 port 0 that answers 200 and keeps each body.
async function webhookReceiver() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { received, url: `http://127.0.0.1:${server.address().port}/mx`, close: () => server.close() };
}

test("webhook deliveries and the journal show what happened", async () => {
  const { received, url, close } = await webhookReceiver();
  const subscribed = await mx.control("PUT", "/_emulator/webhooks", { subscriptions: [{ url }] });
  assert.equal(subscribed.status, 200, JSON.stringify(subscribed.json));
  const { context, page } = await openDashboard();
  const { member } = await connectedMember("dash-hooks", "INVALID"); // DENIED: a CONNECTION_STATUS webhook
  await page.waitForSelector(memberRow(member, "DENIED"));
  await page.waitForFunction(
    (u) => Array.from(document.querySelectorAll("#webhooks tr.attempt")).some((r) => r.textContent.includes(u) && r.textContent.includes("delivered")),
    url
  );
  assert.ok(received.length > 0);
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll("#journal tr.entry")).some((r) => /POST \/users\/USR-[^ ]+\/members/.test(r.textContent))
  );
  assert.equal((await fetch(emu.base + "/_emulator/webhooks", { method: "DELETE" })).status, 204);
  close();
  await context.close();
});

// A tenant of its own set up with named states (docs/control-api.md): one lane per situation.
// With WIDGET_SCREENSHOTS it is the picture in docs/dashboard.md.
test("a tenant set up with named states shows each member's lane from that state to its status now", async () => {
  assert.equal((await mx.control("POST", "/_emulator/tenants", { client_id: "dash-demo", api_key: "demo-key" })).status, 201);
  const auth = { Authorization: "Basic " + Buffer.from("dash-demo:demo-key").toString("base64"), "Content-Type": "application/json" };
  const control = async (method, p, body) => {
    const r = await fetch(emu.base + p, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(r.status < 300, true, p + " " + r.status);
    return r.json();
  };
  const hook = await webhookReceiver();
  await control("PUT", "/_emulator/webhooks", { subscriptions: [{ url: hook.url }] });
  const expected = {};
  const states = [
    ["member connected", {}],
    ["member degraded", {}],
    ["member challenged", { challenge: "OPTIONS" }],
    ["member denied", {}],
    ["member locked", {}],
    ["oauth member pending", {}],
  ];
  for (const [state, params] of states) {
    const made = await control("POST", "/_emulator/states", { state, params });
    expected[made.member_guid] = made.connection_status;
    await control("POST", "/_emulator/clock/advance", { minutes: 20 });
  }
  const { context, page } = await openDashboard();
  await page.fill("#client-id", "dash-demo");
  await page.fill("#api-key", "demo-key");
  await page.click("#use-tenant");
  // Each lane holds the state it was set up in and ends in the member's status now (the
  // challenged one has expired since: time moved on past its question).
  const now = (await control("GET", "/_emulator/overview")).users.flatMap((u) => u.members);
  for (const [guid, status] of Object.entries(expected)) {
    const current = now.find((m) => m.guid === guid).connection_status;
    await page.waitForSelector(memberRow(guid, current));
    const lane = await page.$$eval(`.lane[data-member="${guid}"] .segment`, (s) => s.map((x) => x.getAttribute("data-status")));
    assert.ok(lane.includes(status), guid + ": " + lane.join(" "));
    assert.equal(lane[lane.length - 1], current, guid);
  }
  assert.equal(await page.$("#journal tr.entry"), null, "control calls are hidden by default");
  await page.check("#journal-control");
  await page.waitForFunction(() => /POST \/_emulator\/states/.test(document.querySelector("#journal").textContent));
  await page.waitForSelector("#webhooks tr.attempt");
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header at the top
    await page.screenshot({ path: path.join(SHOTS, "dashboard.png"), fullPage: true });
  }
  hook.close();
  await context.close();
});
