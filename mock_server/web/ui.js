// The mxemu dashboard (/_emulator/ui, docs/dashboard.md). Plain JS, no framework, no build step;
// the server inlines dom.js and this file with window.MXEMU_BOOT (the status table and the
// outage outcomes; routes_ui.cpp).
//
// It reads one tenant through the control API: GET /_emulator/overview (users, members, status
// histories, institutions, clock; not journalled) and GET /_emulator/journal every second, and
// GET /_emulator/webhooks/deliveries when events happened (or every 5 s). It acts through the
// control routes a script would use. Another tenant is picked with its credentials, sent as
// Basic auth on every call; no credentials means the default tenant.
(function () {
  "use strict";

  const POLL_MS = 1000;
  const DELIVERIES_EVERY_MS = 5000;
  const JOURNAL_LIMIT = 100;
  const { el, svg } = window.mxemuDom;
  const boot = window.MXEMU_BOOT || {};
  const $ = (id) => document.getElementById(id);

  // Colours by MX status; the same in the table's badges, the timeline and its legend.
  const COLORS = {
    CONNECTED: "#1f9d55", RECONNECTED: "#38b26b", CREATED: "#5b8def", UPDATED: "#4a7bd8",
    RESUMED: "#6c8fe6", PENDING: "#8e7cc3", CHALLENGED: "#7d4cdb", DELAYED: "#d7a21b",
    FAILED: "#e07b24", DEGRADED: "#c85f12", DISCONNECTED: "#8f3b0c", DENIED: "#d64545",
    PREVENTED: "#a32020", REJECTED: "#e05a7a", LOCKED: "#7a1f1f", IMPEDED: "#c2417a",
    IMPAIRED: "#b5487f", EXPIRED: "#d06a6a", IMPORTED: "#5f8fa6", DISABLED: "#8a93a3",
    CLOSED: "#5d6676", DISCONTINUED: "#3e4552",
  };
  const color = (status) => COLORS[status] || "#8a93a3";
  const statuses = (boot.statuses || []).map((s) => s.name);

  // ------------------------------------------------------------------ the control API
  const STORAGE = "mxemu-dashboard-tenant";
  let credentials = JSON.parse(sessionStorage.getItem(STORAGE) || "null"); // {client_id, api_key}

  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (credentials) headers.Authorization = "Basic " + btoa(credentials.client_id + ":" + credentials.api_key);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const why = (json && json.error && json.error.message) || response.statusText;
      const error = new Error(response.status + ": " + why);
      error.status = response.status;
      throw error;
    }
    return json;
  }

  function say(text, isError) {
    const m = $("message");
    m.textContent = text;
    m.className = isError ? "message error" : "message";
  }

  async function act(what, method, path, body) {
    try {
      await call(method, path, body);
      say(what);
    } catch (e) {
      say(what + " failed: " + e.message, true);
    }
    await refresh();
  }

  // ------------------------------------------------------------------ time helpers
  const ms = (iso) => Date.parse(iso);
  function shortTime(iso) {
    return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "";
  }
  function duration(msSpan) {
    const s = Math.round(msSpan / 1000);
    if (s < 120) return s + " s";
    if (s < 7200) return Math.round(s / 60) + " min";
    if (s < 172800) return (s / 3600).toFixed(1) + " h";
    return (s / 86400).toFixed(1) + " days";
  }

  // ------------------------------------------------------------------ header
  function renderHeader(o) {
    $("tenant").textContent = "tenant " + o.tenant;
    const c = o.clock;
    const pace = c.frozen ? "frozen" : "rate ×" + c.rate;
    $("clock").textContent = shortTime(c.now) + " UTC · " + pace + (c.auto ? " · auto time" : "");
    $("clock").setAttribute("data-now", c.now);
  }

  function setLive(state, text) {
    $("live").setAttribute("data-state", state);
    $("live").textContent = text;
  }

  // ------------------------------------------------------------------ users and members
  const forceChoice = {}; // member guid -> the status chosen in its select
  let membersSignature = "";

  function statusBadge(status) {
    return el("span", { class: "status", style: "--c:" + color(status), "data-status": status, text: status });
  }

  function forceControls(member) {
    const select = el(
      "select",
      { "aria-label": "Status for " + member.guid, class: "force-status" },
      statuses.map((s) => el("option", { value: s, text: s, selected: s === (forceChoice[member.guid] || member.connection_status) }))
    );
    select.addEventListener("change", () => {
      forceChoice[member.guid] = select.value;
    });
    const button = el("button", { type: "button", class: "small force", text: "Force" });
    button.addEventListener("click", () =>
      act("Forced " + member.guid + " to " + select.value, "POST", "/_emulator/members/" + encodeURIComponent(member.guid) + "/status", {
        connection_status: select.value,
      })
    );
    return [select, " ", button];
  }

  function renderMembers(o) {
    const signature = JSON.stringify(o.users.map((u) => [u.guid, u.members.map((m) => [m.guid, m.connection_status, m.is_being_aggregated])]));
    const memberCount = o.users.reduce((n, u) => n + u.members.length, 0);
    $("members-count").textContent =
      o.users_total + " users, " + memberCount + " members" + (o.users.length < o.users_total ? " (first " + o.users.length + " users shown)" : "");
    if (signature === membersSignature) return;
    membersSignature = signature;
    const box = $("members");
    box.textContent = "";
    if (o.users.length === 0) {
      box.appendChild(el("p", { class: "empty", text: "No users yet. Create one with POST /users." }));
      return;
    }
    const body = el("tbody");
    for (const u of o.users) {
      body.appendChild(
        el("tr", { class: "user", "data-user": u.guid }, [
          el("td", { colspan: 4 }, [el("span", { class: "mono", text: u.guid }), u.id ? "  ·  " + u.id : ""]),
        ])
      );
      if (u.members.length === 0) body.appendChild(el("tr", {}, [el("td", { colspan: 4, class: "empty", text: "no members" })]));
      for (const m of u.members) {
        body.appendChild(
          el("tr", { class: "member", "data-member": m.guid, "data-status": m.connection_status }, [
            el("td", {}, [el("div", { text: m.name }), el("div", { class: "mono", text: m.guid })]),
            el("td", { class: "mono", text: m.institution_code + (m.is_oauth ? " (OAuth)" : "") }),
            el("td", {}, [statusBadge(m.connection_status), m.is_being_aggregated ? el("span", { class: "agg", text: "aggregating" }) : null]),
            el("td", {}, forceControls(m)),
          ])
        );
      }
    }
    box.appendChild(
      el("div", { class: "scroll" }, [
        el("table", {}, [el("thead", {}, [el("tr", {}, ["Member", "Institution", "Status", "Force a status"].map((t) => el("th", { text: t })))]), body]),
      ])
    );
  }

  // ------------------------------------------------------------------ timeline
  const TICKS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400].map(
    (s) => s * 1000
  );

  function renderTimeline(o) {
    const box = $("timeline");
    const members = [];
    for (const u of o.users) for (const m of u.members) members.push(m);
    box.textContent = "";
    if (members.length === 0) {
      box.appendChild(el("p", { class: "empty", text: "Each member gets a lane here once there is one." }));
      return;
    }
    const now = ms(o.clock.now);
    const span = Number($("timeline-range").value); // 0: from the oldest change held
    let start = span > 0 ? now - span : Math.min(...members.map((m) => ms(m.history[0].at)));
    if (now - start < 60000) start = now - 60000;
    const width = Math.max(640, box.clientWidth || 1100);
    const label = 230;
    const right = 16;
    const lane = 22;
    const gap = 8;
    const top = 26;
    const height = top + members.length * (lane + gap) + 4;
    const x = (t) => label + ((t - start) / (now - start)) * (width - label - right);
    const chart = svg("svg", {
      viewBox: "0 0 " + width + " " + height,
      width,
      height,
      role: "img",
      "aria-label": "Status of each member over emulated time, " + shortTime(new Date(start).toISOString()) + " to " + shortTime(o.clock.now),
    });
    // Axis: at most about eight ticks at a round interval.
    const step = TICKS.find((t) => (now - start) / t <= 8) || TICKS[TICKS.length - 1];
    const axis = svg("g", { class: "axis" });
    const long = now - start > 2 * 86400000;
    for (let t = Math.ceil(start / step) * step; t <= now; t += step) {
      const iso = new Date(t).toISOString();
      axis.appendChild(svg("line", { x1: x(t), x2: x(t), y1: top - 6, y2: height, stroke: "#e6e9ef" }));
      if (x(t) + 64 < width) axis.appendChild(svg("text", { x: x(t) + 3, y: 12, text: long ? iso.slice(5, 16).replace("T", " ") : iso.slice(11, 19) }));
    }
    axis.appendChild(svg("text", { x: 0, y: 12, text: duration(now - start) + " shown" }));
    chart.appendChild(axis);
    members.forEach((m, i) => {
      const y = top + i * (lane + gap);
      const row = svg("g", { class: "lane", "data-member": m.guid });
      row.appendChild(svg("text", { x: 0, y: y + 10, text: m.name }, [svg("title", { text: m.name + " " + m.guid })]));
      row.appendChild(svg("text", { x: 0, y: y + 21, class: "guid", text: m.guid.slice(0, 17) + "…" }, [svg("title", { text: m.guid })]));
      m.history.forEach((s, k) => {
        const from = ms(s.at);
        const to = k + 1 < m.history.length ? ms(m.history[k + 1].at) : now;
        if (to < start) return;
        const x0 = x(Math.max(from, start));
        const w = Math.max(1.5, x(to) - x0);
        const title = s.connection_status + (s.is_being_aggregated ? " (aggregating)" : "") + " from " + shortTime(s.at) + " for " + duration(to - from);
        const seg = svg("g", { class: "segment", "data-status": s.connection_status }, [
          svg("rect", { x: x0, y, width: w, height: lane, rx: 3, fill: color(s.connection_status) }, [svg("title", { text: title })]),
        ]);
        if (s.is_being_aggregated) seg.appendChild(svg("rect", { x: x0, y: y + lane - 4, width: w, height: 4, fill: "#10204a", opacity: 0.55 }));
        if (w > 8 * s.connection_status.length) {
          seg.appendChild(svg("text", { x: x0 + 5, y: y + 15, class: "on-bar", text: s.connection_status }));
        }
        row.appendChild(seg);
      });
      if (!m.history_complete) {
        row.appendChild(svg("text", { x: label - 12, y: y + 15, fill: "#a32020", text: "…" }, [svg("title", { text: "Older changes left the event log" })]));
      }
      chart.appendChild(row);
    });
    box.appendChild(chart);
  }

  function renderLegend() {
    const box = $("legend");
    for (const s of statuses) box.appendChild(el("span", { style: "--c:" + color(s), text: s }));
    box.appendChild(el("span", { style: "--c:#10204a", text: "aggregating (bar under a lane)" }));
  }

  // ------------------------------------------------------------------ institutions and outages
  let institutionsFilled = false;
  function renderInstitutions(o) {
    if (!institutionsFilled) {
      const select = $("outage-institution");
      for (const inst of o.institutions) select.appendChild(el("option", { value: inst.code, text: inst.name + " (" + inst.code + ")" }));
      institutionsFilled = true;
    }
    const box = $("outages");
    box.textContent = "";
    for (const inst of o.institutions.filter((i) => i.outage)) {
      const end = el("button", { type: "button", class: "small secondary end-outage", "data-code": inst.code, text: "End" });
      end.addEventListener("click", () =>
        act("Ended the outage at " + inst.code, "POST", "/_emulator/institutions/" + encodeURIComponent(inst.code) + "/fault", { outcome: null })
      );
      box.appendChild(el("span", { class: "outage", "data-code": inst.code }, [inst.code + ": " + inst.outage + " ", end]));
    }
  }

  // ------------------------------------------------------------------ webhook deliveries
  function renderDeliveries(d) {
    const box = $("webhooks");
    box.textContent = "";
    $("webhooks-count").textContent = d.attempts.length + " attempts, " + d.pending.length + " waiting";
    if (d.attempts.length === 0 && d.pending.length === 0) {
      box.appendChild(el("p", { class: "empty", text: "No deliveries. Subscribe with PUT /_emulator/webhooks (docs/webhooks.md)." }));
      return;
    }
    const rows = [];
    for (const p of d.pending) {
      rows.push(el("tr", { class: "pending" }, [
        el("td", { class: "mono", text: shortTime(p.due_at) }),
        el("td", { text: p.type }),
        el("td", { text: String(p.attempt) }),
        el("td", { class: "mono", text: p.url }),
        el("td", { text: p.in_flight ? "in flight" : "waiting" }),
      ]));
    }
    for (const a of d.attempts.slice().reverse().slice(0, 50)) {
      const ok = a.outcome === "delivered";
      rows.push(el("tr", { class: "attempt" }, [
        el("td", { class: "mono", text: shortTime(a.at) }),
        el("td", { text: a.type }),
        el("td", { text: String(a.attempt) }),
        el("td", { class: "mono", text: a.url }),
        el("td", { class: ok ? "ok" : "bad", text: (a.status !== null ? a.status + " " : "") + (a.error || "") + " " + a.outcome }),
      ]));
    }
    box.appendChild(el("div", { class: "scroll" }, [
      el("table", {}, [el("thead", {}, [el("tr", {}, ["At (emulated)", "Type", "Try", "URL", "Result"].map((t) => el("th", { text: t })))]), el("tbody", {}, rows)]),
    ]));
  }

  // ------------------------------------------------------------------ journal
  let journalSignature = "";
  function renderJournal(j) {
    const showControl = $("journal-control").checked;
    const signature = j.last_sequence + ":" + showControl;
    if (signature === journalSignature) return;
    journalSignature = signature;
    const entries = j.entries.filter((e) => showControl || e.scope !== "control");
    $("journal-count").textContent = j.held + " held, last #" + j.last_sequence;
    const box = $("journal");
    box.textContent = "";
    if (entries.length === 0) {
      box.appendChild(el("p", { class: "empty", text: "No requests yet." }));
      return;
    }
    const rows = entries.map((e) =>
      el("tr", { class: "entry", "data-sequence": e.sequence }, [
        el("td", { text: String(e.sequence) }),
        el("td", { class: "mono", text: shortTime(e.emulated_time) }),
        el("td", { class: "mono", text: e.method + " " + e.path + (e.query ? "?" + e.query : "") }),
        el("td", { class: e.status >= 400 || e.status === 0 ? "bad" : "ok", text: String(e.status) }),
        el("td", { text: e.operation_id || "" }),
      ])
    );
    box.appendChild(el("div", { class: "scroll" }, [
      el("table", {}, [el("thead", {}, [el("tr", {}, ["#", "Emulated time", "Request", "Status", "Operation"].map((t) => el("th", { text: t })))]), el("tbody", {}, rows)]),
    ]));
  }

  // ------------------------------------------------------------------ polling
  let timer = null;
  let lastEvent = -1;
  let lastDeliveries = 0;

  async function refresh() {
    clearTimeout(timer);
    try {
      const [o, j] = await Promise.all([call("GET", "/_emulator/overview"), call("GET", "/_emulator/journal?limit=" + JOURNAL_LIMIT)]);
      renderHeader(o);
      renderMembers(o);
      renderTimeline(o);
      renderInstitutions(o);
      renderJournal(j);
      if (o.last_event_sequence !== lastEvent || Date.now() - lastDeliveries > DELIVERIES_EVERY_MS) {
        lastEvent = o.last_event_sequence;
        lastDeliveries = Date.now();
        renderDeliveries(await call("GET", "/_emulator/webhooks/deliveries"));
      }
      setLive("live", "live");
    } catch (e) {
      setLive("error", e.status === 401 ? "unknown tenant credentials" : "not reachable");
      if (e.status === 401) say("These credentials name no tenant (401). Enter a client_id and api_key, or use the default tenant.", true);
    }
    timer = setTimeout(refresh, POLL_MS);
  }

  function resetViews() {
    membersSignature = "";
    journalSignature = "";
    lastEvent = -1;
  }

  // ------------------------------------------------------------------ controls
  $("tenant-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const id = $("client-id").value.trim();
    credentials = id ? { client_id: id, api_key: $("api-key").value } : null;
    if (credentials) sessionStorage.setItem(STORAGE, JSON.stringify(credentials));
    else sessionStorage.removeItem(STORAGE);
    resetViews();
    say(credentials ? "Reading tenant " + id + "." : "Reading the default tenant.");
    refresh();
  });
  $("default-tenant").addEventListener("click", () => {
    credentials = null;
    sessionStorage.removeItem(STORAGE);
    $("client-id").value = "";
    $("api-key").value = "";
    resetViews();
    say("Reading the default tenant.");
    refresh();
  });
  function advance(amount, unit) {
    const n = Number(amount);
    if (!Number.isInteger(n) || n < 0) return say("Advance by a whole number ≥ 0.", true);
    act("Advanced the clock by " + n + " " + unit, "POST", "/_emulator/clock/advance", { [unit]: n });
  }
  $("advance-form").addEventListener("submit", (event) => {
    event.preventDefault();
    advance($("advance-amount").value, $("advance-unit").value);
  });
  for (const quick of document.querySelectorAll("button.quick")) {
    quick.addEventListener("click", () => advance(quick.getAttribute("data-amount"), quick.getAttribute("data-unit")));
  }
  for (const outcome of boot.outage_outcomes || []) $("outage-outcome").appendChild(el("option", { value: outcome, text: outcome, selected: outcome === "fail" }));
  $("outage-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = $("outage-institution").value;
    const outcome = $("outage-outcome").value;
    act("Started an outage at " + code + " (" + outcome + ")", "POST", "/_emulator/institutions/" + encodeURIComponent(code) + "/fault", { outcome });
  });
  $("timeline-range").addEventListener("change", () => refresh());
  $("journal-control").addEventListener("change", () => {
    journalSignature = "";
    refresh();
  });

  if (credentials) $("client-id").value = credentials.client_id;
  renderLegend();
  refresh();
})();
