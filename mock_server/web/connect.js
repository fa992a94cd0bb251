// The emulated MX Connect widget. Plain JS, no framework, no build step. The server inlines this
// file into connect.html with window.MXEMU_BOOT (the widget session; routes_widget_page.cpp).
//
// Contracts (docs/widget.md, mx-behavior.md §7b): every message goes to window.parent as
// {mx: true, type, metadata} with user_guid and session_guid in the metadata, or, with
// is_mobile_webview, as a navigation to <scheme>://<namespace>/<event>?metadata=<json>. A page
// loaded top-level (no parent frame) sends none, as MX's widget.
(function () {
  "use strict";

  // The one table of postMessage types the widget sends (MX ui_message_version 4).
  const MESSAGES = Object.freeze({
    load: "mx/load",
    ping: "mx/ping",
    navigation: "mx/navigation",
    loaded: "mx/connect/loaded",
    institutionSearch: "mx/connect/institutionSearch",
    selectedInstitution: "mx/connect/selectedInstitution",
    enterCredentials: "mx/connect/enterCredentials",
    updateCredentials: "mx/connect/updateCredentials",
    createMemberError: "mx/connect/createMemberError",
    memberStatusUpdate: "mx/connect/memberStatusUpdate",
    memberConnected: "mx/connect/memberConnected",
    primaryAction: "mx/connect/connected/primaryAction",
    submitMFA: "mx/connect/submitMFA",
    oauthRequested: "mx/connect/oauthRequested",
    oauthError: "mx/connect/oauthError",
    stepChange: "mx/connect/stepChange",
    backToSearch: "mx/connect/backToSearch",
  });
  const PING_INTERVAL_MS = 30000; // MX: "about every 30 s" while open
  const POLL_INTERVAL_MS = 1000;

  const boot = window.MXEMU_BOOT || {};
  const view = document.getElementById("view");
  const backButton = document.getElementById("back");

  // ------------------------------------------------------------------ messages
  const sent = []; // what this page sent, for people debugging in devtools
  window.mxemuSent = sent;

  function send(type, extra) {
    const metadata =
      type === MESSAGES.load
        ? {}
        : Object.assign({ user_guid: boot.user_guid, session_guid: boot.session_guid }, extra || {});
    sent.push({ type: type, metadata: metadata });
    if (boot.is_mobile_webview) {
      const path = type.replace(/^mx\//, "");
      const query = type === MESSAGES.load ? "" : "?metadata=" + encodeURIComponent(JSON.stringify(metadata));
      window.location.href = (boot.ui_message_webview_url_scheme || "mx") + "://" + path + query;
      return;
    }
    if (window.parent && window.parent !== window) {
      window.parent.postMessage({ mx: true, type: type, metadata: metadata }, "*");
    }
  }

  // ------------------------------------------------------------------ API
  async function api(method, path, body) {
    const init = { method: method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(boot.api + path, init);
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    return { status: response.status, ok: response.ok, json: json };
  }
  function errorText(result) {
    return (result.json && result.json.error && result.json.error.message) || "Something went wrong (" + result.status + ").";
  }

  const statusByName = {};
  for (const row of boot.statuses || []) statusByName[row.name] = row;
  function statusCode(name) {
    return statusByName[name] ? statusByName[name].code : -1;
  }

  // ------------------------------------------------------------------ state
  const state = {
    step: null,
    history: [],
    institution: boot.current_institution,
    member: boot.current_member, // {guid, connection_status, challenges, ...}
    lastStatus: boot.current_member ? boot.current_member.connection_status : null,
    poll: null,
    error: null,
    oauthWindow: null,
  };

  function setStep(next, options) {
    const previous = state.step;
    if (previous === next && !(options && options.rerender)) return;
    stopPolling();
    if (previous !== null && previous !== next) {
      if (!(options && options.noHistory)) state.history.push(previous);
      send(MESSAGES.stepChange, { previous: previous, current: next });
    }
    state.step = next;
    render();
  }

  function canGoBack() {
    if (state.step === "microdeposits") return true;
    if (state.step === "connecting") return false;
    if (state.step === "search") return false;
    return state.step === "enterCreds" || state.step === "oauth" || state.step === "existingMember" || state.step === "loginError"
      ? searchAllowed() || state.step === "loginError"
      : false;
  }
  function searchAllowed() {
    return !boot.disable_institution_search;
  }
  function goBack() {
    if (!canGoBack()) return false;
    if (state.step === "microdeposits" && microdeposits.back()) return true;
    if (state.step === "loginError" && !searchAllowed()) {
      setStep("enterCreds", { noHistory: true });
      return true;
    }
    state.member = null;
    state.lastStatus = null;
    state.error = null;
    send(MESSAGES.backToSearch, {});
    setStep("search", { noHistory: true });
    return true;
  }
  backButton.addEventListener("click", goBack);

  // ------------------------------------------------------------------ rendering helpers
  const el = window.mxemuDom.el; // dom.js: text is never parsed as HTML
  function logo(inst, big) {
    const name = (inst && inst.name) || "?";
    return el("div", { class: big ? "logo big" : "logo", "aria-hidden": "true", text: name.charAt(0).toUpperCase() });
  }
  function errorBox() {
    return state.error ? el("div", { class: "error", role: "alert", id: "error", text: state.error }) : null;
  }

  function render() {
    view.textContent = "";
    view.setAttribute("data-step", state.step);
    document.body.setAttribute("data-step", state.step);
    backButton.hidden = !canGoBack();
    const renderers = {
      search: renderSearch,
      enterCreds: renderCredentials,
      oauth: renderOAuth,
      connecting: renderConnecting,
      mfa: renderMfa,
      connected: renderConnected,
      loginError: renderLoginError,
      existingMember: renderExistingMember,
      microdeposits: () => microdeposits.render(),
      error: renderFatal,
    };
    (renderers[state.step] || renderFatal)();
  }

  // ------------------------------------------------------------------ search
  const productFlags = {
    account_verification: "supports_account_verification",
    identity_verification: "supports_account_identification",
    transactions: "supports_transaction_history",
    statements: "supports_account_statement",
    investments: "supports_investments",
  };
  let institutions = null;
  let searchTimer = null;

  function eligible(inst) {
    if (boot.mode === "verification" && !inst.supports_account_verification) return false;
    for (const product of boot.products || []) {
      if (Array.isArray(inst.supported_products) && !inst.supported_products.includes(product)) return false;
      const flag = productFlags[product];
      if (flag && inst[flag] === false) return false;
    }
    return true;
  }

  function renderSearch() {
    const list = el("ul", { class: "list", id: "institutions" });
    const input = el("input", {
      type: "search",
      id: "search",
      placeholder: "Search institutions",
      "aria-label": "Search institutions",
      autocomplete: "off",
    });
    function fill() {
      list.textContent = "";
      const query = input.value.trim().toLowerCase();
      const shown = (institutions || []).filter(
        (inst) => eligible(inst) && (!query || inst.name.toLowerCase().includes(query) || inst.code.includes(query))
      );
      for (const inst of shown) {
        list.appendChild(
          el("li", {}, [
            el("button", { type: "button", "data-code": inst.code, onclick: () => selectInstitution(inst) }, [
              logo(inst),
              el("div", {}, [el("div", { class: "inst-name", text: inst.name }), el("div", { class: "inst-url", text: inst.url || "" })]),
            ]),
          ])
        );
      }
      if (institutions && shown.length === 0) list.appendChild(el("li", { class: "muted", text: "No institutions match." }));
    }
    input.addEventListener("input", () => {
      fill();
      clearTimeout(searchTimer);
      const query = input.value.trim();
      if (query) searchTimer = setTimeout(() => send(MESSAGES.institutionSearch, { query: query }), 400);
    });
    view.append(
      el("h1", { text: boot.mode === "verification" ? "Verify your account" : "Select your institution" }),
      el("p", { class: "sub", text: "Choose the bank or credit union where you have accounts." }),
      input,
      list
    );
    if (boot.mode === "verification") {
      // MX offers microdeposits for an institution that cannot verify instantly.
      view.appendChild(
        el("button", {
          class: "link",
          type: "button",
          id: "microdeposits-link",
          text: "Verify with account and routing numbers",
          onclick: () => {
            microdeposits.start(null);
            setStep("microdeposits");
          },
        })
      );
    }
    if (institutions) {
      fill();
    } else {
      api("GET", "/institutions").then((r) => {
        institutions = r.ok ? r.json.institutions : [];
        if (state.step === "search") fill();
      });
    }
    input.focus();
  }

  function selectInstitution(inst) {
    clearTimeout(searchTimer); // a search typed just before choosing is not reported after it
    // MX: "if the end user selects an institution which supports IAV, the pre-initiated
    // micro_deposit will be deleted and IAV will be used instead."
    const preinitiated = microdeposits.takePreinitiated();
    if (preinitiated) api("DELETE", "/micro_deposits/" + preinitiated);
    state.institution = inst;
    state.member = null;
    state.lastStatus = null;
    state.error = null;
    send(MESSAGES.selectedInstitution, { code: inst.code, guid: inst.guid, name: inst.name, url: inst.url || "" });
    setStep(inst.supports_oauth ? "oauth" : "enterCreds");
  }

  // ------------------------------------------------------------------ credentials
  function renderCredentials() {
    const inst = state.institution;
    const form = el("form", { id: "credentials", autocomplete: "off" });
    const submit = el("button", { class: "btn", type: "submit", id: "submit", text: "Continue", disabled: true });
    view.append(
      logo(inst, true),
      el("h1", { class: "center", text: "Enter your credentials" }),
      el("p", { class: "sub center", text: inst ? inst.name : "" }),
      errorBox() || "",
      form
    );
    if (!inst) return;
    api("GET", "/institutions/" + encodeURIComponent(inst.code) + "/credentials").then((r) => {
      if (!r.ok) {
        state.error = errorText(r);
        return render();
      }
      const fields = r.json.credentials.slice().sort((a, b) => a.display_order - b.display_order);
      for (const field of fields) {
        const input =
          field.field_type === "OPTIONS" && Array.isArray(field.options)
            ? el(
                "select",
                { name: field.guid },
                field.options.map((o) => el("option", { value: o.value, text: o.label }))
              )
            : el("input", {
                type: field.field_type === "PASSWORD" ? "password" : "text",
                name: field.guid,
                "data-field": field.field_name,
                required: true,
              });
        form.appendChild(el("label", { class: "field" }, [el("span", { text: field.label }), input]));
      }
      form.appendChild(submit);
      submit.disabled = false;
      const first = form.querySelector("input");
      if (first) first.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit.disabled = true;
      const credentials = Array.from(form.elements)
        .filter((e) => e.name)
        .map((e) => ({ guid: e.name, value: e.value }));
      submitCredentials(credentials).finally(() => {
        submit.disabled = false;
      });
    });
  }

  async function submitCredentials(credentials) {
    const inst = state.institution;
    const institutionRef = { code: inst.code, guid: inst.guid };
    state.error = null;
    let result;
    if (state.member) {
      send(MESSAGES.updateCredentials, { member_guid: state.member.guid, institution: institutionRef });
      result = await api("PUT", "/members/" + state.member.guid, { member: { credentials: credentials } });
    } else {
      send(MESSAGES.enterCredentials, { institution: institutionRef });
      const member = { institution_code: inst.code, credentials: credentials };
      if (boot.mode === "verification") member.skip_aggregation = true;
      result = await api("POST", "/members", { member: member });
      if (result.status === 409) {
        const existing = /Existing member: (MBR-[\w-]+)/.exec(errorText(result));
        state.existingGuid = existing ? existing[1] : null;
        return setStep("existingMember");
      }
      if (!result.ok) send(MESSAGES.createMemberError, { institution_guid: inst.guid, institution_code: inst.code });
    }
    if (!result.ok) {
      state.error = errorText(result);
      return render();
    }
    state.member = result.json.member;
    if (boot.mode === "verification" && !state.member.is_being_aggregated) {
      const verify = await api("POST", "/members/" + state.member.guid + "/verify");
      if (verify.ok) state.member = verify.json.member;
    }
    setStep("connecting");
    noteStatus(state.member);
  }

  // ------------------------------------------------------------------ OAuth
  function renderOAuth() {
    const inst = state.institution || {};
    const go = el("button", { class: "btn", type: "button", id: "oauth-go", text: "Go to log in" });
    view.append(
      logo(inst, true),
      el("h1", { class: "center", text: "Log in at " + (inst.name || "your institution") }),
      el("p", {
        class: "sub center",
        text: "You will be sent to " + (inst.name || "the institution") + " to log in and approve access. Come back here when you are done.",
      }),
      errorBox() || "",
      go,
      el("p", { class: "muted center", id: "oauth-wait", hidden: true, text: "Waiting for you to finish at " + (inst.name || "the institution") + "…" })
    );
    go.addEventListener("click", startOAuth);
    if (state.member && state.member.connection_status === "PENDING" && state.oauthStarted) waitForOAuth();
  }

  async function startOAuth() {
    const inst = state.institution;
    state.error = null;
    const referral = boot.is_mobile_webview ? "APP" : "BROWSER";
    let result;
    if (state.member) {
      const query = "?referral_source=" + referral + (boot.is_mobile_webview ? "&ui_message_webview_url_scheme=" + encodeURIComponent(boot.ui_message_webview_url_scheme) : "");
      result = await api("GET", "/members/" + state.member.guid + "/oauth_window_uri" + query);
    } else {
      const body = { member: { institution_code: inst.code, is_oauth: true }, referral_source: referral };
      if (boot.is_mobile_webview) body.ui_message_webview_url_scheme = boot.ui_message_webview_url_scheme;
      result = await api("POST", "/members", body);
      if (result.status === 409) {
        const existing = /Existing member: (MBR-[\w-]+)/.exec(errorText(result));
        state.existingGuid = existing ? existing[1] : null;
        return setStep("existingMember");
      }
      if (!result.ok) send(MESSAGES.createMemberError, { institution_guid: inst.guid, institution_code: inst.code });
    }
    if (!result.ok) {
      state.error = errorText(result);
      return render();
    }
    state.member = Object.assign({}, state.member || {}, result.json.member);
    noteStatus(state.member);
    const url = state.member.oauth_window_uri;
    send(MESSAGES.oauthRequested, { url: url, member_guid: state.member.guid });
    if (!boot.is_mobile_webview) state.oauthWindow = window.open(url, "mxemu_oauth");
    state.oauthStarted = true;
    waitForOAuth();
  }

  function waitForOAuth() {
    const wait = document.getElementById("oauth-wait");
    if (wait) wait.hidden = false;
    const go = document.getElementById("oauth-go");
    if (go) go.textContent = "Open the login window again";
    startPolling((member) => {
      if (member.connection_status === "PENDING") return;
      if (member.connection_status === "DENIED" || member.connection_status === "IMPEDED") {
        send(MESSAGES.oauthError, { member_guid: member.guid });
        return setStep("loginError");
      }
      setStep("connecting");
    });
  }

  // ------------------------------------------------------------------ connecting and polling
  function stopPolling() {
    if (state.poll) clearTimeout(state.poll);
    state.poll = null;
  }

  // memberStatusUpdate whenever the page learns a new connection_status (an API answer or a poll).
  function noteStatus(member) {
    if (!member || !member.connection_status || member.connection_status === state.lastStatus) return;
    state.lastStatus = member.connection_status;
    send(MESSAGES.memberStatusUpdate, { member_guid: member.guid, connection_status: statusCode(member.connection_status) });
  }

  function startPolling(onMember) {
    stopPolling();
    const tick = async () => {
      state.poll = null;
      const step = state.step;
      let r = null;
      try {
        r = await api("GET", "/members/" + state.member.guid);
      } catch (e) {
        r = null; // a failed poll (network, a fetch the browser aborted) is simply retried
      }
      if (state.step !== step) return;
      if (r && r.ok) {
        const member = r.json.member;
        state.member = Object.assign({}, state.member, member);
        noteStatus(member);
        onMember(state.member);
      }
      if (state.step === step && !state.poll) state.poll = setTimeout(tick, POLL_INTERVAL_MS);
    };
    state.poll = setTimeout(tick, 0);
  }

  function renderConnecting() {
    const inst = state.institution || {};
    view.append(
      logo(inst, true),
      el("div", { class: "spinner", role: "progressbar", "aria-label": "Connecting" }),
      el("h1", { class: "center", text: "Connecting to " + (inst.name || "your institution") }),
      el("p", { class: "sub center", id: "connecting-status", text: "This can take a moment." })
    );
    startPolling((member) => {
      const status = member.connection_status;
      const line = document.getElementById("connecting-status");
      if (line && member.connection_status_message) line.textContent = member.connection_status_message;
      if (status === "CHALLENGED") return setStep("mfa");
      if (member.is_being_aggregated) return;
      if (status === "CONNECTED" || status === "RECONNECTED") {
        send(MESSAGES.memberConnected, { member_guid: member.guid });
        return setStep("connected");
      }
      if (status === "PENDING") return;
      setStep("loginError");
    });
  }

  // ------------------------------------------------------------------ MFA
  function renderMfa() {
    const challenges = (state.member && state.member.challenges) || [];
    const form = el("form", { id: "mfa", autocomplete: "off" });
    for (const c of challenges) {
      const block = el("div", { class: "challenge", "data-type": c.type, "data-guid": c.guid });
      block.appendChild(el("p", { class: "sub", text: c.label }));
      if (c.type === "OPTIONS") {
        block.appendChild(
          el(
            "div",
            { class: "options" },
            (c.options || []).map((o) =>
              el("label", {}, [el("input", { type: "radio", name: c.guid, value: o.value, required: true }), o.label])
            )
          )
        );
      } else if (c.type === "IMAGE_OPTIONS") {
        block.appendChild(
          el(
            "div",
            { class: "image-options" },
            (c.image_options || []).map((o) =>
              el("label", { title: o.label }, [
                el("input", { type: "radio", name: c.guid, value: o.value, required: true }),
                el("img", { src: o.data_uri, alt: o.label }),
                o.label,
              ])
            )
          )
        );
      } else {
        if (c.type === "IMAGE_DATA") block.appendChild(el("img", { class: "challenge", src: c.image_data, alt: "Security image" }));
        block.appendChild(
          el("label", { class: "field" }, [
            el("span", { text: c.type === "TOKEN" ? "Code" : "Answer" }),
            el("input", { type: "text", name: c.guid, required: true, inputmode: c.type === "TOKEN" ? "numeric" : null }),
          ])
        );
      }
      form.appendChild(block);
    }
    const submit = el("button", { class: "btn", type: "submit", id: "submit", text: "Continue" });
    form.appendChild(submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      submit.disabled = true;
      const data = new FormData(form);
      const answers = challenges.map((c) => ({ guid: c.guid, value: String(data.get(c.guid) || "") }));
      send(MESSAGES.submitMFA, { member_guid: state.member.guid });
      const r = await api("PUT", "/members/" + state.member.guid + "/resume", { member: { challenges: answers } });
      submit.disabled = false;
      if (!r.ok) {
        state.error = errorText(r);
        return render();
      }
      state.error = null;
      state.member = Object.assign({}, state.member, r.json.member);
      setStep("connecting");
      noteStatus(state.member);
    });
    view.append(
      logo(state.institution, true),
      el("h1", { class: "center", text: "Verify your identity" }),
      el("p", { class: "sub center", text: (state.institution && state.institution.name) || "" }),
      errorBox() || "",
      form
    );
    const first = form.querySelector("input");
    if (first) first.focus();
  }

  // ------------------------------------------------------------------ outcomes
  function renderConnected() {
    const inst = state.institution || {};
    const done = el("button", { class: "btn", type: "button", id: "done", text: "Done" });
    done.addEventListener("click", () => send(MESSAGES.primaryAction, {}));
    view.append(
      el("div", { class: "icon ok", "aria-hidden": "true", text: "✓" }),
      el("h1", { class: "center", text: "Success" }),
      el("p", { class: "sub center", id: "connected-text", text: "You have connected to " + (inst.name || "your institution") + "." }),
      done
    );
  }

  function renderLoginError() {
    const member = state.member || {};
    const inst = state.institution || {};
    const needsCredentials = ["DENIED", "PREVENTED", "IMPAIRED", "IMPORTED", "REJECTED", "EXPIRED"].includes(member.connection_status);
    view.append(
      el("div", { class: "icon bad", "aria-hidden": "true", text: "!" }),
      el("h1", { class: "center", text: "Something went wrong" }),
      el("p", { class: "sub center", id: "login-error", text: member.connection_status_message || "We could not connect to " + (inst.name || "the institution") + "." }),
      el("p", { class: "muted center", text: "Status: " + (member.connection_status || "unknown") })
    );
    if (member.guid && needsCredentials) {
      const retry = el("button", { class: "btn", type: "button", id: "retry", text: member.is_oauth ? "Log in again" : "Update credentials" });
      retry.addEventListener("click", () => {
        state.error = null;
        state.oauthStarted = false;
        setStep(member.is_oauth ? "oauth" : "enterCreds");
      });
      view.appendChild(retry);
    }
    if (searchAllowed()) {
      view.appendChild(el("button", { class: "link", type: "button", id: "to-search", text: "Back to search", onclick: goBack }));
    }
  }

  function renderExistingMember() {
    const inst = state.institution || {};
    view.append(
      el("div", { class: "icon info", "aria-hidden": "true", text: "i" }),
      el("h1", { class: "center", text: "Already connected" }),
      el("p", { class: "sub center", id: "existing-text", text: "You have already added " + (inst.name || "this institution") + " with these credentials." }),
      state.existingGuid ? el("p", { class: "muted center", text: state.existingGuid }) : ""
    );
    if (searchAllowed()) view.appendChild(el("button", { class: "btn secondary", type: "button", id: "to-search", text: "Back to search", onclick: goBack }));
  }

  function renderFatal() {
    const e = boot.error || { title: "Something went wrong", message: state.error || "" };
    view.append(
      el("div", { class: "icon bad", "aria-hidden": "true", text: "!" }),
      el("h1", { class: "center", id: "fatal-title", text: e.title }),
      el("p", { class: "sub center", text: e.message })
    );
  }

  // ------------------------------------------------------------------ microdeposits
  // connect_microdeposits.js: the step's own views; leaving it goes back to the search.
  const microdeposits = window.mxemuMicrodeposits({
    el: el,
    api: api,
    view: view,
    errorText: errorText,
    render: render,
    exit: () => {
      if (!searchAllowed()) return;
      state.error = null;
      send(MESSAGES.backToSearch, {});
      setStep("search", { noHistory: true });
    },
  });

  // ------------------------------------------------------------------ messages from the host
  window.addEventListener("message", (event) => {
    let data = event.data;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch (e) {
        return;
      }
    }
    if (!data || typeof data !== "object") return;
    // The Web Widget SDK's navigateBack(): answer whether the widget went back.
    if (data.type === MESSAGES.navigation && data.payload && data.payload.action === "back") {
      send(MESSAGES.navigation, { did_go_back: goBack() });
      return;
    }
    // MX's OAuth complete page (our /oauth/authorize page) tells the opener the outcome.
    if (data.type === "oauthComplete/success" && state.step === "oauth") {
      setStep("connecting");
    } else if (data.type === "oauthComplete/error" && state.step === "oauth" && state.member) {
      send(MESSAGES.oauthError, { member_guid: state.member.guid });
      setStep("loginError");
    }
    // mx/sdk/info, ping and anything else need no answer.
  });

  // ------------------------------------------------------------------ start
  if (boot.error) {
    state.step = "error";
    render();
    return;
  }
  if (boot.current_member && !state.institution) state.institution = null;
  send(MESSAGES.load);
  state.step = boot.initial_step || "search";
  if (state.step === "microdeposits") microdeposits.start(boot.current_microdeposit);
  send(MESSAGES.loaded, { initial_step: state.step });
  render();
  setInterval(() => send(MESSAGES.ping), PING_INTERVAL_MS);
})();
