// The Connect widget in headless Chromium, embedded by a host app through MX's Web Widget SDK;
// each case asserts the postMessages the host received, in order, and the member the MX API then
// shows. Run: MXEMU_BIN=build/dev/mock_server/mxemu node --test tests/browser/
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const h = require("./harness");

const skip = h.missingPrerequisite();
if (skip) {
  console.log("SKIP: " + skip);
  process.exit(77);
}

const SHOTS = process.env.WIDGET_SCREENSHOTS; // a directory: save each main view there
let emu;
let host;
let browser;
let mx;

before(async () => {
  // Manual clock with auto time: each poll of a member moves its job one step, so the
  // statuses the page sees are deterministic and no test waits for emulated seconds.
  emu = await h.startEmulator(["--clock", "manual"]);
  mx = h.mxClient(emu.base);
  const auto = await mx.control("POST", "/_emulator/clock/auto", { enabled: true });
  assert.equal(auto.status, 200);
  host = await h.startHost();
  browser = await h.launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (host) host.stop();
  if (emu) emu.stop();
});

// Opens the host app with the widget URL and resolves once the widget shows a view.
async function openInHost(url) {
  const context = await browser.newContext({ viewport: { width: 460, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${host.base}/host.html?url=${encodeURIComponent(url)}`);
  const frame = await h.waitFor(
    async () => page.frames().find((f) => f.url().startsWith(emu.base + "/connect/")),
    "the widget iframe"
  );
  await frame.waitForSelector("body[data-step]");
  return { context, page, frame };
}

// The received messages as short strings: "stepChange:search>enterCreds", "status:6", ...
// mx/ping is left out (it is timed, not ordered).
function summary(messages) {
  return messages
    .filter((m) => m.type !== "mx/ping")
    .map((m) => {
      const t = m.type.replace(/^mx\/connect\//, "");
      if (t === "stepChange") return `stepChange:${m.metadata.previous}>${m.metadata.current}`;
      if (t === "memberStatusUpdate") return `status:${m.metadata.connection_status}`;
      if (t === "loaded") return `loaded:${m.metadata.initial_step}`;
      return t;
    });
}

// Every message valid for MX's SDK and definitions, every Connect event carrying the session.
async function hostMessages(page) {
  const { received, invalid, parsed } = await page.evaluate(() => ({
    received: window.received,
    invalid: window.invalid,
    parsed: window.parsed,
  }));
  assert.deepEqual(invalid, [], "messages MX's SDK or definitions rejected");
  assert.equal(parsed.length, received.length, "every message parsed by the definitions");
  for (const m of received) {
    assert.equal(m.mx, true);
    if (m.type !== "mx/load") {
      assert.match(m.metadata.user_guid, /^USR-/);
      assert.match(m.metadata.session_guid, /^ANS-/);
    }
  }
  return received;
}

async function waitForStep(frame, step) {
  await frame.waitForSelector(`body[data-step="${step}"]`, { timeout: 20000 });
}

async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name + ".png") });
}

// Resolves once the widget has sent (window.mxemuSent) a message of this type whose metadata
// holds `subset`: tests wait on the page's event, never on a fixed time.
async function waitForSent(frame, type, subset = {}) {
  await frame.waitForFunction(
    ([t, want]) =>
      (window.mxemuSent || []).some(
        (x) => x.type === t && Object.entries(want).every(([k, v]) => x.metadata[k] === v)
      ),
    [type, subset],
    { timeout: 20000 }
  );
}

// Types a search and waits for the debounced institutionSearch to leave the page before
// choosing: a click that lands first cancels it (as a person choosing quickly would), and under
// load a fixed pause (600 ms here once) can end before the page's 400 ms timer fires.
async function search(frame, query) {
  await frame.fill("#search", query);
  await waitForSent(frame, "mx/connect/institutionSearch", { query });
}

// inPage: clicked from inside the page, for the webview form, where a Playwright click that
// lands while Chromium handles (and refuses) one of its <scheme>:// navigations is lost.
async function chooseInstitution(frame, query, code, { inPage = false } = {}) {
  await search(frame, query);
  const button = `button[data-code="${code}"]`;
  if (inPage) {
    await frame.waitForSelector(button);
    await frame.$eval(button, (b) => b.click());
  } else {
    await frame.click(button);
  }
  await waitForStep(frame, "enterCreds");
  await frame.waitForSelector("#credentials input");
}

async function enterCredentials(frame, password) {
  const inputs = await frame.$$("#credentials input");
  for (const input of inputs) {
    const type = await input.getAttribute("type");
    await input.fill(type === "password" ? password : "mxuser");
  }
  // Submitted from inside the page: a click may land while Chromium handles (and refuses) one
  // of the webview form's <scheme>:// navigations, and Playwright then loses it.
  await frame.$eval("#credentials", (form) => form.requestSubmit());
}

const CONNECT_PREFIX = [
  "mx/load",
  "loaded:search",
  "institutionSearch",
  "selectedInstitution",
  "stepChange:search>enterCreds",
  "enterCredentials",
];

test("happy path: search, credentials, connecting, connected", async () => {
  const user = await mx.createUser("browser-happy");
  const { context, page, frame } = await openInHost(await mx.widgetUrl(user));
  await shot(page, "widget-search");
  await search(frame, "MX Bank");
  await frame.click('button[data-code="mxbank"]');
  await waitForStep(frame, "enterCreds");
  await frame.waitForSelector("#credentials input");
  await shot(page, "widget-credentials");
  await enterCredentials(frame, "password");
  await waitForStep(frame, "connected");
  await shot(page, "widget-connected");
  await frame.click("#done");
  const messages = await h.waitFor(async () => {
    const m = await hostMessages(page);
    return m.some((x) => x.type === "mx/connect/connected/primaryAction") && m;
  }, "primaryAction");
  assert.deepEqual(summary(messages), [
    ...CONNECT_PREFIX,
    "stepChange:enterCreds>connecting",
    "status:0",
    "status:6",
    "memberConnected",
    "stepChange:connecting>connected",
    "connected/primaryAction",
  ]);
  const selected = messages.find((m) => m.type === "mx/connect/selectedInstitution").metadata;
  assert.equal(selected.code, "mxbank");
  assert.equal(typeof selected.url, "string");
  assert.deepEqual(messages.find((m) => m.type === "mx/connect/institutionSearch").metadata.query, "MX Bank");
  const guid = messages.find((m) => m.type === "mx/connect/memberConnected").metadata.member_guid;
  const member = await mx.member(user, guid);
  assert.equal(member.connection_status, "CONNECTED");
  assert.equal(member.institution_code, "mxbank");
  assert.equal(member.is_being_aggregated, false);
  assert.deepEqual((await mx.members(user)).map((m) => m.guid), [guid]);
  await context.close();
});

// Each challenge type the emulator issues: the institution and password that ask it (MX Bank's
// scripted passwords; the others ask their own type for "challenge"), and a person's answer.
const text = (frame) => frame.fill('#mfa input[type="text"]', "correct");
const MFA_CASES = [
  ["TEXT", "MX Bank", "mxbank", "challenge", text],
  ["OPTIONS", "MX Bank", "mxbank", "options", (f) => f.check('#mfa .options input[type="radio"] >> nth=0')],
  ["IMAGE_DATA", "MX Bank", "mxbank", "image", text],
  ["TOKEN", "Cascade", "cascade_national_bank", "challenge", text],
  ["IMAGE_OPTIONS", "Keystone", "keystone_card", "challenge", (f) => f.click("#mfa .image-options label >> nth=0")],
];

for (const [type, query, code, password, answer] of MFA_CASES) {
  test(`MFA ${type}: challenged, answered, connected`, async () => {
    const user = await mx.createUser("browser-mfa-" + type);
    const { context, page, frame } = await openInHost(await mx.widgetUrl(user));
    await chooseInstitution(frame, query, code);
    await enterCredentials(frame, password);
    await waitForStep(frame, "mfa");
    assert.equal(await frame.getAttribute("#mfa .challenge", "data-type"), type);
    if (type === "IMAGE_DATA") assert.ok(await frame.$("#mfa img.challenge"));
    await shot(page, "widget-mfa-" + type.toLowerCase());
    await answer(frame);
    await frame.click("#submit");
    // Two-step institutions follow a correct first answer with a TOKEN question.
    const twoStep = code !== "mxbank";
    if (twoStep) {
      await h.waitFor(
        async () => summary(await hostMessages(page)).filter((x) => x === "stepChange:connecting>mfa").length === 2,
        "the second challenge"
      );
      await frame.waitForSelector('#mfa .challenge[data-type="TOKEN"]');
      await text(frame);
      await frame.click("#submit");
    }
    await waitForStep(frame, "connected");
    const messages = await h.waitFor(async () => {
      const m = await hostMessages(page);
      return m.some((x) => x.type === "mx/connect/stepChange" && x.metadata.current === "connected") && m;
    }, "connected");
    const answered = ["submitMFA", "stepChange:mfa>connecting", "status:18"];
    assert.deepEqual(summary(messages), [
      ...CONNECT_PREFIX,
      "stepChange:enterCreds>connecting",
      "status:0",
      "status:3",
      "stepChange:connecting>mfa",
      ...answered,
      ...(twoStep ? ["status:3", "stepChange:connecting>mfa", ...answered] : []),
      "status:6",
      "memberConnected",
      "stepChange:connecting>connected",
    ]);
    const guid = messages.find((m) => m.type === "mx/connect/submitMFA").metadata.member_guid;
    assert.equal((await mx.member(user, guid)).connection_status, "CONNECTED");
    await context.close();
  });
}

test("a wrong MFA answer ends in loginError and the API shows REJECTED", async () => {
  const user = await mx.createUser("browser-wrong");
  const { context, page, frame } = await openInHost(await mx.widgetUrl(user));
  await chooseInstitution(frame, "MX Bank", "mxbank");
  await enterCredentials(frame, "challenge");
  await waitForStep(frame, "mfa");
  await frame.fill('#mfa input[type="text"]', "not the answer");
  await frame.click("#submit");
  await waitForStep(frame, "loginError");
  await shot(page, "widget-login-error");
  const messages = await hostMessages(page);
  const tail = summary(messages).slice(-5);
  assert.deepEqual(tail, ["submitMFA", "stepChange:mfa>connecting", "status:18", "status:4", "stepChange:connecting>loginError"]);
  const guid = messages.find((m) => m.type === "mx/connect/submitMFA").metadata.member_guid;
  assert.equal((await mx.member(user, guid)).connection_status, "REJECTED");
  await context.close();
});

test("a wrong password denies; the page shows the existing member on a second try", async () => {
  const user = await mx.createUser("browser-denied");
  let { context, page, frame } = await openInHost(await mx.widgetUrl(user));
  await chooseInstitution(frame, "MX Bank", "mxbank");
  await enterCredentials(frame, "INVALID");
  await waitForStep(frame, "loginError");
  const messages = await hostMessages(page);
  assert.deepEqual(summary(messages).slice(-3), ["status:0", "status:2", "stepChange:connecting>loginError"]);
  const [member] = await mx.members(user);
  assert.equal(member.connection_status, "DENIED");
  await context.close();
  // The same login again from a new widget: MX answers 409; the widget shows existingMember.
  ({ context, page, frame } = await openInHost(await mx.widgetUrl(user)));
  await chooseInstitution(frame, "MX Bank", "mxbank");
  await enterCredentials(frame, "password");
  await waitForStep(frame, "existingMember");
  await shot(page, "widget-existing-member");
  assert.match(await frame.textContent("body"), new RegExp(member.guid));
  assert.equal((await mx.members(user)).length, 1);
  await context.close();
});

test("repair: current_member_guid on a DENIED member opens the credential form", async () => {
  const user = await mx.createUser("browser-repair");
  const created = await mx.call("POST", `/users/${user}/members`, {
    member: {
      institution_code: "mxbank",
      credentials: [
        { guid: "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1", value: "mxuser" },
        { guid: "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d", value: "INVALID" },
      ],
    },
  });
  assert.equal(created.status, 202, JSON.stringify(created.json));
  const guid = created.json.member.guid;
  await h.waitFor(async () => (await mx.member(user, guid)).connection_status === "DENIED", "DENIED");
  const url = await mx.widgetUrl(user, { current_member_guid: guid });
  const { context, page, frame } = await openInHost(url);
  await waitForStep(frame, "enterCreds");
  await frame.waitForSelector("#credentials input");
  await enterCredentials(frame, "password");
  await waitForStep(frame, "connected");
  const messages = await hostMessages(page);
  assert.deepEqual(summary(messages), [
    "mx/load",
    "loaded:enterCreds",
    "updateCredentials",
    "stepChange:enterCreds>connecting",
    "status:15",
    "status:6",
    "memberConnected",
    "stepChange:connecting>connected",
  ]);
  const update = messages.find((m) => m.type === "mx/connect/updateCredentials").metadata;
  assert.equal(update.member_guid, guid);
  assert.equal(update.institution.code, "mxbank");
  const member = await mx.member(user, guid);
  assert.equal(member.connection_status, "CONNECTED");
  assert.equal((await mx.members(user)).length, 1);
  await context.close();
});

test("current_member_guid on a CHALLENGED member opens MFA", async () => {
  const user = await mx.createUser("browser-challenged");
  const created = await mx.call("POST", `/users/${user}/members`, {
    member: {
      institution_code: "mxbank",
      credentials: [
        { guid: "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1", value: "mxuser" },
        { guid: "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d", value: "challenge" },
      ],
    },
  });
  const guid = created.json.member.guid;
  await h.waitFor(async () => (await mx.member(user, guid)).connection_status === "CHALLENGED", "CHALLENGED");
  const { context, page, frame } = await openInHost(await mx.widgetUrl(user, { current_member_guid: guid }));
  await waitForStep(frame, "mfa");
  await frame.fill('#mfa input[type="text"]', "correct");
  await frame.click("#submit");
  await waitForStep(frame, "connected");
  assert.deepEqual(summary(await hostMessages(page)), [
    "mx/load",
    "loaded:mfa",
    "submitMFA",
    "stepChange:mfa>connecting",
    "status:18",
    "status:6",
    "memberConnected",
    "stepChange:connecting>connected",
  ]);
  assert.equal((await mx.member(user, guid)).connection_status, "CONNECTED");
  await context.close();
});

async function oauthFlow(label, outcome) {
  const user = await mx.createUser("browser-oauth-" + label);
  const { context, page, frame } = await openInHost(await mx.widgetUrl(user));
  await search(frame, "OAuth");
  await frame.click('button[data-code="mx_bank_oauth"]');
  await waitForStep(frame, "oauth");
  await shot(page, "widget-oauth");
  const [popup] = await Promise.all([context.waitForEvent("page"), frame.click("#oauth-go")]);
  await popup.waitForSelector("#approve");
  if (label === "approve") await shot(popup, "oauth-page");
  await popup.click(outcome === "approve" ? "#approve" : "#deny");
  return { user, context, page, frame };
}

test("OAuth approve: oauthRequested, the institution's page, connected", async () => {
  const { user, context, page, frame } = await oauthFlow("approve", "approve");
  await waitForStep(frame, "connected");
  const messages = await hostMessages(page);
  const s = summary(messages);
  assert.deepEqual(s.slice(0, 7), [
    "mx/load",
    "loaded:search",
    "institutionSearch",
    "selectedInstitution",
    "stepChange:search>oauth",
    "status:21",
    "oauthRequested",
  ]);
  assert.deepEqual(s.slice(-4), ["stepChange:oauth>connecting", "status:6", "memberConnected", "stepChange:connecting>connected"]);
  const requested = messages.find((m) => m.type === "mx/connect/oauthRequested").metadata;
  assert.match(requested.url, /\/oauth\/authorize\/MBR-/);
  assert.equal((await mx.member(user, requested.member_guid)).connection_status, "CONNECTED");
  await context.close();
});

test("OAuth deny: oauthError, loginError, the API shows DENIED", async () => {
  const { user, context, page, frame } = await oauthFlow("deny", "deny");
  await waitForStep(frame, "loginError");
  const messages = await hostMessages(page);
  const s = summary(messages);
  assert.ok(s.includes("oauthError"), s.join(" "));
  assert.equal(s[s.length - 1], "stepChange:oauth>loginError");
  const guid = messages.find((m) => m.type === "mx/connect/oauthRequested").metadata.member_guid;
  assert.equal(messages.find((m) => m.type === "mx/connect/oauthError").metadata.member_guid, guid);
  assert.equal((await mx.member(user, guid)).connection_status, "DENIED");
  await context.close();
});

// Each message is a navigation the page starts; Chromium refuses the unknown scheme and the test
// sees each as a request. The test waits for the page's own record of what it sent (not for a
// time) and then for one request per message, so a lost or extra navigation fails by name.
// Its clicks and submits run inside the page: a Playwright click that lands while Chromium
// handles (and refuses) one of the page's <scheme>:// navigations is lost under load.
test("is_mobile_webview: messages become <scheme>://connect/<event>?metadata= navigations", async () => {
  const user = await mx.createUser("browser-webview");
  const url = await mx.widgetUrl(user, { is_mobile_webview: true, ui_message_webview_url_scheme: "myapp" });
  const context = await browser.newContext({ viewport: { width: 400, height: 720 } });
  const page = await context.newPage();
  const all = [];
  page.on("request", (r) => {
    if (r.url().startsWith("myapp://")) all.push(r.url());
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForSelector("body[data-step]");
  await chooseInstitution(page, "MX Bank", "mxbank", { inPage: true });
  await enterCredentials(page, "password");
  await waitForStep(page, "connected");
  const noPing = (u) => !u.startsWith("myapp://ping");
  const expected = (await page.evaluate(() => window.mxemuSent))
    .filter((m) => m.type !== "mx/ping")
    .map((m) =>
      m.type === "mx/load"
        ? "myapp://load"
        : "myapp://" + m.type.replace(/^mx\//, "") + "?metadata=" + encodeURIComponent(JSON.stringify(m.metadata))
    );
  await h
    .waitFor(async () => all.filter(noPing).length >= expected.length, "one navigation per message")
    .catch((e) => {
      throw new Error(e.message + "\nsent:\n" + expected.join("\n") + "\nseen:\n" + all.join("\n"));
    });
  const urls = all.filter(noPing);
  assert.deepEqual(urls, expected);
  // MX's definitions parse each URL as a mobile SDK would.
  const defs = h.loadDefinitions();
  const parsed = { payloads: [], invalid: [] };
  for (const u of urls) {
    const p = defs.dispatchConnectLocationChangeEvent(u, {
      onInvalidMessageError: (_m, e) => parsed.invalid.push(u + ": " + e.message),
    });
    if (p) parsed.payloads.push(p);
  }
  assert.deepEqual(parsed.invalid, []);
  assert.equal(urls[0], "myapp://load");
  const types = parsed.payloads.map((p) => p.type).filter((t) => t !== "mx/ping");
  assert.deepEqual(types, [
    "mx/load",
    "mx/connect/loaded",
    "mx/connect/institutionSearch",
    "mx/connect/selectedInstitution",
    "mx/connect/stepChange",
    "mx/connect/enterCredentials",
    "mx/connect/stepChange",
    "mx/connect/memberStatusUpdate",
    "mx/connect/memberStatusUpdate",
    "mx/connect/memberConnected",
    "mx/connect/stepChange",
  ]);
  const connected = parsed.payloads.find((p) => p.type === "mx/connect/memberConnected");
  assert.equal((await mx.member(user, connected.member_guid)).connection_status, "CONNECTED");
  await context.close();
});

// mx/ping keeps MX's widget session alive "about every 30 s" while it is open. Playwright's clock
// (installed in every frame of the context) runs the page's timers forward instead of the test
// waiting 30 real seconds.
test("mx/ping: every 30 s while the widget is open, valid for MX's definitions", async () => {
  const user = await mx.createUser("browser-ping");
  const context = await browser.newContext({ viewport: { width: 460, height: 760 } });
  await context.clock.install();
  const page = await context.newPage();
  await page.goto(`${host.base}/host.html?url=${encodeURIComponent(await mx.widgetUrl(user))}`);
  const frame = await h.waitFor(
    async () => page.frames().find((f) => f.url().startsWith(emu.base + "/connect/")),
    "the widget iframe"
  );
  await frame.waitForSelector('body[data-step="search"]');
  const pings = async () => (await hostMessages(page)).filter((m) => m.type === "mx/ping");
  const before = (await pings()).length;
  for (const n of [1, 2]) {
    await page.clock.runFor(30000);
    await h.waitFor(async () => (await pings()).length >= before + n, `ping ${n}`);
  }
  const received = await hostMessages(page);
  assert.deepEqual(received.slice(0, 2).map((m) => m.type), ["mx/load", "mx/connect/loaded"]);
  for (const ping of await pings()) {
    assert.equal(ping.metadata.session_guid, received[1].metadata.session_guid);
  }
  await context.close();
});

test("a widget URL works once and expires after ten minutes; the session outlives the URL", async () => {
  const user = await mx.createUser("browser-expiry");
  const context = await browser.newContext();
  const page = await context.newPage();
  const once = await mx.widgetUrl(user);
  assert.equal((await page.goto(once)).status(), 200);
  const again = await context.newPage();
  assert.equal((await again.goto(once)).status(), 410);
  assert.match(await again.textContent("#fatal-title"), /already used/);
  // The first page keeps working after its URL is spent.
  await page.waitForSelector('button[data-code="mxbank"]');
  const late = await mx.widgetUrl(user);
  const advanced = await mx.control("POST", "/_emulator/clock/advance", { seconds: 601 });
  assert.equal(advanced.status, 200);
  const expired = await context.newPage();
  assert.equal((await expired.goto(late)).status(), 410);
  assert.match(await expired.textContent("#fatal-title"), /expired/);
  await shot(expired, "widget-expired");
  await context.close();
});

test("the demo page embeds the widget and lists its postMessages", async () => {
  const user = await mx.createUser("browser-demo");
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${emu.base}/_emulator/connect-demo?user=${user}`);
  await h.waitFor(async () => (await page.$$("tr.message")).length >= 2, "demo rows");
  const rows = await page.$$eval("tr.message td:nth-child(2)", (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(rows.slice(0, 2), ["mx/load", "mx/connect/loaded"]);
  await shot(page, "connect-demo");
  await context.close();
});

// Microdeposits (verification mode): the end user types the account in, comes back once the
// deposits are made, and enters their amounts. The page's inner views send no postMessages.
async function microdepositView(frame, view) {
  await frame.waitForSelector(`#view[data-view="${view}"]`, { timeout: 20000 });
}

async function submitForm(frame, id, values) {
  for (const [field, value] of Object.entries(values)) await frame.fill("#" + field, value);
  await frame.$eval("#" + id, (form) => form.requestSubmit());
}

test("microdeposits: account details, come back, a wrong then a right pair of amounts", async () => {
  const user = await mx.createUser("browser-microdeposits");
  const { context, page, frame } = await openInHost(await mx.widgetUrl(user, { mode: "verification" }));
  await frame.click("#microdeposits-link");
  await waitForStep(frame, "microdeposits");
  await microdepositView(frame, "routingNumber");
  await submitForm(frame, "routing-form", { routing_number: "091000019" });
  await microdepositView(frame, "accountInfo");
  await submitForm(frame, "account-form", { account_number: "333312345", account_name: "Everyday" });
  await microdepositView(frame, "personalInfo");
  await submitForm(frame, "person-form", { first_name: "Pat", last_name: "Lee", email: "pat@example.com" });
  await microdepositView(frame, "confirmDetails");
  await shot(page, "widget-microdeposits-confirm");
  await frame.click("#confirm");
  await microdepositView(frame, "comeBack");
  assert.match(await frame.textContent("#md-status"), /INITIATED/);
  await shot(page, "widget-microdeposits-come-back");

  const [created] = (await mx.call("GET", `/users/${user}/micro_deposits`)).json.micro_deposits;
  assert.equal(created.status, "INITIATED");
  assert.equal(created.institution_code, "mxbank");
  assert.equal((await mx.control("POST", "/_emulator/clock/advance", { seconds: 180 })).status, 200);
  await frame.click("#check");
  await microdepositView(frame, "verifyDeposits");
  const amounts = (await mx.control("GET", `/_emulator/micro_deposits/${created.guid}`)).json.micro_deposit;
  const [a, b] = [amounts.deposit_amount_1, amounts.deposit_amount_2];
  assert.match(await frame.textContent("#amounts-hint"), new RegExp(a.toFixed(2).replace(".", "\\.")));
  await submitForm(frame, "amounts-form", { deposit_amount_1: a.toFixed(2), deposit_amount_2: a.toFixed(2) });
  await h.waitFor(async () => (await frame.$("#error")) !== null, "the DENIED notice");
  await shot(page, "widget-microdeposits-denied");
  await submitForm(frame, "amounts-form", { deposit_amount_1: b.toFixed(2), deposit_amount_2: a.toFixed(2) });
  await microdepositView(frame, "verified");
  await shot(page, "widget-microdeposits-verified");
  const after = (await mx.call("GET", `/users/${user}/micro_deposits/${created.guid}`)).json.micro_deposit;
  assert.equal(after.status, "VERIFIED");
  assert.deepEqual(summary(await hostMessages(page)), ["mx/load", "loaded:search", "stepChange:search>microdeposits"]);
  await context.close();
});

test("microdeposits: current_microdeposit_guid opens a pre-initiated one without the personal form", async () => {
  const user = await mx.createUser("browser-preinitiated");
  const pre = await mx.call("POST", `/users/${user}/micro_deposits`, {
    micro_deposit: { first_name: "Pat", last_name: "Lee", email: "pat2@example.com" },
  });
  assert.equal(pre.json.micro_deposit.status, "PREINITIATED");
  const guid = pre.json.micro_deposit.guid;
  const { context, page, frame } = await openInHost(
    await mx.widgetUrl(user, { mode: "verification", current_microdeposit_guid: guid })
  );
  await waitForStep(frame, "microdeposits");
  await microdepositView(frame, "routingNumber");
  await submitForm(frame, "routing-form", { routing_number: "091000019" });
  await submitForm(frame, "account-form", { account_number: "123456789" });
  await microdepositView(frame, "confirmDetails"); // the name and email came with the request
  await frame.click("#confirm");
  await microdepositView(frame, "comeBack");
  const completed = (await mx.call("GET", `/users/${user}/micro_deposits/${guid}`)).json.micro_deposit;
  assert.equal(completed.status, "INITIATED");
  assert.equal(completed.first_name, "Pat");
  // Deposits to an account number without MX's 3333 prefix come back: the errors view.
  await mx.control("POST", "/_emulator/clock/advance", { seconds: 180 });
  await frame.click("#check");
  await microdepositView(frame, "errors");
  assert.match(await frame.textContent("#md-error-title"), /couldn't make the deposits/);
  await shot(page, "widget-microdeposits-errored");
  // MX's definitions list no microdeposit initial_step, yet neither they nor MX's SDK refuse it.
  assert.deepEqual(summary(await hostMessages(page)), ["mx/load", "loaded:microdeposits"]);
  await context.close();
});

test("microdeposits: choosing an institution instead deletes the pre-initiated microdeposit", async () => {
  const user = await mx.createUser("browser-preinitiated-iav");
  const pre = await mx.call("POST", `/users/${user}/micro_deposits`, {
    micro_deposit: { first_name: "Pat", last_name: "Lee", email: "pat3@example.com" },
  });
  const guid = pre.json.micro_deposit.guid;
  const { context, frame } = await openInHost(
    await mx.widgetUrl(user, { mode: "verification", current_microdeposit_guid: guid })
  );
  await microdepositView(frame, "routingNumber");
  await frame.click("#to-search");
  await waitForStep(frame, "search");
  await chooseInstitution(frame, "MX Bank", "mxbank");
  await h.waitFor(async () => (await mx.call("GET", `/users/${user}/micro_deposits/${guid}`)).status === 404, "the deletion");
  await context.close();
});
