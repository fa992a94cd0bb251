// The Connect widget's microdeposit flow (verification mode): routing number, account, person,
// confirmation, then, as the microdeposit's status moves, "come back later", the amounts form,
// verified or an error. Its views follow MX's open-source Connect (views/microdeposits): the
// view for a status is MX's getViewByStatus. The whole flow is one widget step, "microdeposits";
// its inner views send no postMessages, as MX's send none.
//
// connect.js calls window.mxemuMicrodeposits(host) once and renders the step through the object
// it returns. host: {el, api, view, errorText, exit}; exit() leaves the flow for the search.
window.mxemuMicrodeposits = function (host) {
  "use strict";
  const el = host.el;

  // MX's MicrodepositsStatuses → the view that shows it.
  function viewFor(status) {
    if (status === "PREINITIATED") return "routingNumber";
    if (status === "INITIATED" || status === "REQUESTED") return "comeBack";
    if (status === "DEPOSITED" || status === "DENIED") return "verifyDeposits";
    if (status === "VERIFIED") return "verified";
    return "errors";
  }

  const flow = {
    view: "routingNumber",
    record: null, // the microdeposit as the page API last returned it
    details: {}, // what the end user typed: routing_number, account_number, account_type, account_name, first_name, last_name, email
    error: null,
    history: [],
  };

  function go(next) {
    if (flow.view !== next) flow.history.push(flow.view);
    flow.view = next;
    host.render();
  }

  function adopt(record) {
    flow.record = record;
    if (record && record.status === "PREINITIATED") {
      for (const key of ["first_name", "last_name", "email"]) if (record[key]) flow.details[key] = record[key];
    }
  }

  function needsPerson() {
    return !(flow.details.first_name && flow.details.last_name && flow.details.email);
  }

  function field(label, attrs) {
    return el("label", { class: "field" }, [el("span", { text: label }), el("input", Object.assign({ type: "text", required: true }, attrs))]);
  }

  function form(id, children, onSubmit) {
    const f = el("form", { id: id, autocomplete: "off" }, children);
    f.addEventListener("submit", (event) => {
      event.preventDefault();
      onSubmit(new FormData(f), f);
    });
    return f;
  }

  function errorBox() {
    return flow.error ? el("div", { class: "error", role: "alert", id: "error", text: flow.error }) : "";
  }

  // ---------------------------------------------------------------- entering the account
  function renderRoutingNumber() {
    host.view.append(
      el("h1", { text: "Enter routing number" }),
      el("p", { class: "sub", text: "Find the 9-digit routing number on a check or in your bank's app." }),
      errorBox(),
      form(
        "routing-form",
        [
          field("Routing number", { name: "routing_number", id: "routing_number", inputmode: "numeric", pattern: "[0-9]{9}", value: flow.details.routing_number || "" }),
          el("button", { class: "btn", type: "submit", id: "continue", text: "Continue" }),
        ],
        (data) => {
          flow.details.routing_number = String(data.get("routing_number")).trim();
          flow.error = null;
          go("accountInfo");
        }
      ),
      el("button", { class: "link", type: "button", id: "to-search", text: "Search for your institution instead", onclick: host.exit })
    );
    document.getElementById("routing_number").focus();
  }

  function renderAccountInfo() {
    const type = el("select", { name: "account_type", id: "account_type" }, [
      el("option", { value: "CHECKING", text: "Checking", selected: flow.details.account_type !== "SAVINGS" }),
      el("option", { value: "SAVINGS", text: "Savings", selected: flow.details.account_type === "SAVINGS" }),
    ]);
    host.view.append(
      el("h1", { text: "Enter account information" }),
      el("p", { class: "sub", text: "Routing number " + flow.details.routing_number }),
      form(
        "account-form",
        [
          el("label", { class: "field" }, [el("span", { text: "Account type" }), type]),
          field("Account number", { name: "account_number", id: "account_number", inputmode: "numeric", value: flow.details.account_number || "" }),
          field("Account name (optional)", { name: "account_name", id: "account_name", required: false, value: flow.details.account_name || "" }),
          el("button", { class: "btn", type: "submit", id: "continue", text: "Continue" }),
        ],
        (data) => {
          flow.details.account_type = String(data.get("account_type"));
          flow.details.account_number = String(data.get("account_number")).trim();
          flow.details.account_name = String(data.get("account_name")).trim();
          go(needsPerson() ? "personalInfo" : "confirmDetails");
        }
      )
    );
    document.getElementById("account_number").focus();
  }

  function renderPersonalInfo() {
    host.view.append(
      el("h1", { text: "Enter your information" }),
      el("p", { class: "sub", text: "The account holder's name and email." }),
      form(
        "person-form",
        [
          field("First name", { name: "first_name", id: "first_name", value: flow.details.first_name || "" }),
          field("Last name", { name: "last_name", id: "last_name", value: flow.details.last_name || "" }),
          field("Email", { name: "email", id: "email", type: "email", value: flow.details.email || "" }),
          el("button", { class: "btn", type: "submit", id: "continue", text: "Continue" }),
        ],
        (data) => {
          for (const key of ["first_name", "last_name", "email"]) flow.details[key] = String(data.get(key)).trim();
          go("confirmDetails");
        }
      )
    );
    document.getElementById("first_name").focus();
  }

  function renderConfirmDetails() {
    const d = flow.details;
    const rows = [
      ["Routing number", d.routing_number],
      ["Account type", d.account_type === "SAVINGS" ? "Savings" : "Checking"],
      ["Account number", d.account_number],
      ["Account name", d.account_name || "—"],
      ["Name", d.first_name + " " + d.last_name],
      ["Email", d.email],
    ];
    const submit = el("button", { class: "btn", type: "button", id: "confirm", text: "Confirm" });
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      const body = { micro_deposit: { routing_number: d.routing_number, account_number: d.account_number, account_type: d.account_type, first_name: d.first_name, last_name: d.last_name, email: d.email } };
      if (d.account_name) body.micro_deposit.account_name = d.account_name;
      const pre = flow.record && flow.record.status === "PREINITIATED";
      const r = pre ? await host.api("PUT", "/micro_deposits/" + flow.record.guid, body) : await host.api("POST", "/micro_deposits", body);
      submit.disabled = false;
      if (!r.ok) {
        flow.error = host.errorText(r);
        return go("errors");
      }
      flow.error = null;
      adopt(r.json.micro_deposit);
      flow.history = [];
      go(viewFor(flow.record.status));
    });
    host.view.append(
      el("h1", { text: "Review your information" }),
      el("p", { class: "sub", text: "Two small deposits will be made into this account." }),
      el("dl", { class: "details", id: "details" }, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
      submit
    );
  }

  // ---------------------------------------------------------------- after the request
  async function refresh() {
    const r = await host.api("GET", "/micro_deposits/" + flow.record.guid);
    if (!r.ok) {
      flow.error = host.errorText(r);
      return go("errors");
    }
    adopt(r.json.micro_deposit);
    flow.view = viewFor(flow.record.status);
    host.render();
  }

  function renderComeBack() {
    const again = el("button", { class: "btn secondary", type: "button", id: "check", text: "Check again", onclick: refresh });
    host.view.append(
      el("div", { class: "icon info", "aria-hidden": "true", text: "i" }),
      el("h1", { class: "center", text: "Check back soon" }),
      el("p", { class: "sub center", id: "come-back-text", text: "Two small deposits are on their way to your account. When they arrive, come back to enter their amounts." }),
      el("p", { class: "muted center", id: "md-status", text: "Status: " + flow.record.status }),
      el("div", { class: "note", text: "Emulator: the deposits arrive 3 minutes of emulated time after the request, for account numbers that begin with 3333 (POST /_emulator/clock/advance)." }),
      again
    );
  }

  function renderVerifyDeposits() {
    const amount = (label, name) =>
      field(label, { name: name, id: name, inputmode: "decimal", placeholder: "0.00", pattern: "0?\\.[0-9]{2}" });
    const m = flow.record;
    const children = [
      el("h1", { text: "Enter deposit amounts" }),
      el("p", { class: "sub", text: "Find the two small deposits in " + (m.account_name || "your account") + " ending in " + String(m.account_number || "").slice(-4) + "." }),
    ];
    if (m.status === "DENIED") {
      children.push(el("div", { class: "error", role: "alert", id: "error", text: (m.error_message || "The amounts are incorrect.") + " Try again." }));
    }
    children.push(
      form(
        "amounts-form",
        [amount("First amount", "deposit_amount_1"), amount("Second amount", "deposit_amount_2"), el("button", { class: "btn", type: "submit", id: "verify", text: "Verify" })],
        async (data, f) => {
          f.querySelector("button").disabled = true;
          const body = { micro_deposit: { deposit_amount_1: Number(data.get("deposit_amount_1")), deposit_amount_2: Number(data.get("deposit_amount_2")) } };
          const r = await host.api("PUT", "/micro_deposits/" + m.guid + "/verify", body);
          if (!r.ok) {
            flow.error = host.errorText(r);
            f.querySelector("button").disabled = false;
            return go("errors");
          }
          adopt(r.json.micro_deposit);
          flow.view = viewFor(flow.record.status);
          host.render();
        }
      )
    );
    if (Array.isArray(m.deposit_amounts)) {
      children.push(el("div", { class: "note", id: "amounts-hint", text: "Emulator: the deposits were " + m.deposit_amounts.map((a) => "$" + a.toFixed(2)).join(" and ") + "." }));
    }
    host.view.append.apply(host.view, children);
    document.getElementById("deposit_amount_1").focus();
  }

  function renderVerified() {
    const m = flow.record;
    host.view.append(
      el("div", { class: "icon ok", "aria-hidden": "true", text: "✓" }),
      el("h1", { class: "center", text: "Account verified" }),
      el("p", { class: "sub center", id: "verified-text", text: "You have verified the account ending in " + String(m.account_number || "").slice(-4) + "." }),
      el("button", { class: "btn", type: "button", id: "done", text: "Done", onclick: host.exit })
    );
  }

  const ERROR_TITLES = {
    ERRORED: "We couldn't make the deposits",
    PREVENTED: "Too many attempts",
    CONFLICTED: "This account is already being verified",
    REJECTED: "We couldn't verify this account",
  };

  function renderErrors() {
    const m = flow.record;
    const fromRecord = m && ERROR_TITLES[m.status];
    const restart = el("button", { class: "btn", type: "button", id: "restart", text: "Start over" });
    restart.addEventListener("click", () => {
      flow.error = null;
      flow.history = [];
      if (fromRecord) adopt(null);
      flow.view = "routingNumber";
      host.render();
    });
    host.view.append(
      el("div", { class: "icon bad", "aria-hidden": "true", text: "!" }),
      el("h1", { class: "center", id: "md-error-title", text: fromRecord ? ERROR_TITLES[m.status] : "Something went wrong" }),
      el("p", { class: "sub center", id: "md-error", text: fromRecord ? m.error_message || "" : flow.error || "" }),
      m ? el("p", { class: "muted center", text: "Status: " + m.status }) : "",
      restart
    );
  }

  const renderers = {
    routingNumber: renderRoutingNumber,
    accountInfo: renderAccountInfo,
    personalInfo: renderPersonalInfo,
    confirmDetails: renderConfirmDetails,
    comeBack: renderComeBack,
    verifyDeposits: renderVerifyDeposits,
    verified: renderVerified,
    errors: renderErrors,
  };

  return Object.freeze({
    // Enters the flow, on `record` (a microdeposit the widget was opened for) or a new one.
    start(record) {
      flow.details = {};
      flow.history = [];
      flow.error = null;
      adopt(record || null);
      flow.view = record ? viewFor(record.status) : "routingNumber";
    },
    render() {
      host.view.setAttribute("data-view", flow.view);
      renderers[flow.view]();
    },
    // The guid of the PREINITIATED microdeposit the widget was opened for, forgotten as it is
    // returned: MX deletes it when the end user connects an institution instead.
    takePreinitiated() {
      if (!flow.record || flow.record.status !== "PREINITIATED") return null;
      const guid = flow.record.guid;
      adopt(null);
      return guid;
    },
    // The widget's back button: the previous form view, if there is one to go back to.
    back() {
      const previous = flow.history.pop();
      if (previous === undefined) return false;
      flow.view = previous;
      host.render();
      return true;
    },
  });
};
