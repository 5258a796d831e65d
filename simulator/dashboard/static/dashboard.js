// The simulator's dashboard: one page over the control API (/_simulator), polled about once a
// second. No framework and no build step: this file is served as it is.
"use strict";

(() => {
  const BASE = "/_simulator";
  const TOKEN_KEY = "simulator.controlToken";
  const NAMESPACE_KEY = "simulator.namespace";
  const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
  const PAGE_SIZE = 100; // resource rows on the page at once, whatever the number of resources
  const JOURNAL_LIMIT = 50;
  const POLL_MS = 1000;
  const TICK_MS = 250; // countdowns and the clock move between polls

  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  const view = {
    namespace: initialNamespace(),
    meta: null,
    clock: null, // {now: virtual ms, speed, frozen, at: performance.now() when read}
    offset: 0,
    kind: null, // {vendor, kind} filter, or null for every kind
    kinds: [], // the per-kind summary of the whole namespace
    selected: null, // {vendor, kind, id} shown in the detail panel
    journal: new Map(), // seq -> entry, the latest page
    journalSeq: null, // the entry shown in the journal's detail
    shown: {}, // panel -> signature of what it shows, to skip redrawing unchanged data
  };

  // --- small helpers --------------------------------------------------------------------------

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") element.className = value;
      else if (name === "text") element.textContent = value;
      else element.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function svg(tag, attributes, text) {
    const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text !== undefined) element.textContent = text;
    return element;
  }

  const pad = (n) => String(n).padStart(2, "0");

  function formatDuration(seconds) {
    let s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400);
    const hours = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    s %= 60;
    if (d) return `${d}d ${hours}h`;
    if (hours) return `${hours}h ${pad(m)}m`;
    if (m) return `${m}m ${pad(s)}s`;
    return `${s}s`;
  }

  function formatTime(ms, withDate = true) {
    if (ms === null || Number.isNaN(ms)) return "—";
    const iso = new Date(ms).toISOString(); // 2026-11-30T01:46:27.719Z
    return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : iso.slice(11, 19);
  }

  function pretty(value) {
    if (value === null || value === undefined) return "(none)";
    if (typeof value === "string") {
      try {
        return JSON.stringify(JSON.parse(value), null, 2);
      } catch {
        return value;
      }
    }
    return JSON.stringify(value, null, 2);
  }

  function changed(panel, data) {
    const signature = JSON.stringify(data);
    if (view.shown[panel] === signature) return false;
    view.shown[panel] = signature;
    return true;
  }

  function initialNamespace() {
    const asked = new URLSearchParams(location.search).get("namespace");
    if (asked && NAMESPACE_PATTERN.test(asked)) return asked;
    const kept = sessionStorage.getItem(NAMESPACE_KEY);
    return kept && NAMESPACE_PATTERN.test(kept) ? kept : "default";
  }

  let noticeTimer = null;
  function notice(message, kind = "error") {
    const box = $("notice");
    box.textContent = message;
    box.className = `notice ${kind}`;
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { box.hidden = true; }, 8000);
  }

  // --- the control API, with the token when the server asks for one ----------------------------

  class ApiProblem extends Error {
    constructor(status, body) {
      const parts = [`${status}`];
      if (body && body.error) parts.push(String(body.error));
      if (body && body.details !== undefined) parts.push(detailsText(body.details));
      super(parts.join(": "));
      this.status = status;
      this.body = body;
    }
  }

  function detailsText(details) {
    if (Array.isArray(details)) {
      return details.map((d) => (d && d.message ? [d.path, d.message].filter(Boolean).join(": ") : JSON.stringify(d)))
        .join("; ");
    }
    return typeof details === "string" ? details : JSON.stringify(details);
  }

  let tokenAsked = null; // one dialog for every request that met a 401 meanwhile
  function askToken(message) {
    if (!tokenAsked) {
      tokenAsked = new Promise((resolve) => {
        $("token-error").textContent = message;
        $("token-input").value = "";
        $("token-dialog").hidden = false;
        $("token-input").focus();
        $("token-form").onsubmit = (event) => {
          event.preventDefault();
          const token = $("token-input").value.trim();
          if (!token) return;
          sessionStorage.setItem(TOKEN_KEY, token);
          $("token-dialog").hidden = true;
          tokenAsked = null;
          resolve();
        };
      });
    }
    return tokenAsked;
  }

  async function call(method, path, options = {}) {
    for (;;) {
      const token = sessionStorage.getItem(TOKEN_KEY);
      const headers = { "X-Simulator-Namespace": options.namespace || view.namespace, ...(options.headers || {}) };
      if (token) headers.Authorization = `Bearer ${token}`;
      let body = options.body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers["Content-Type"] = "application/json";
      }
      const response = await fetch(BASE + path, { method, headers, body, cache: "no-store" });
      if (response.status !== 401) return response;
      await askToken(token ? "That token was refused: enter the one the simulator was started with." : "");
    }
  }

  async function api(method, path, options) {
    const response = await call(method, path, options);
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { error: text.slice(0, 200) };
    }
    if (!response.ok) throw new ApiProblem(response.status, data);
    return data;
  }

  // --- the clock --------------------------------------------------------------------------------

  function virtualNow() {
    const clock = view.clock;
    if (!clock) return null;
    return clock.frozen ? clock.now : clock.now + (performance.now() - clock.at) * clock.speed;
  }

  function takeClock(body) {
    view.clock = { now: Date.parse(body.now), speed: body.speed, frozen: body.frozen, at: performance.now() };
    $("clock-mode").textContent = body.frozen ? "frozen" : `${body.speed}× real time`;
    $("clock-mode").className = `badge ${body.frozen ? "frozen" : "running"}`;
    $("clock-freeze").textContent = body.frozen ? "Unfreeze" : "Freeze";
    $("clock").dataset.frozen = String(body.frozen);
    if (document.activeElement !== $("speed-value")) $("speed-value").value = body.speed;
    tick();
  }

  async function refreshClock(ns) {
    const body = await api("GET", "/clock");
    if (ns === view.namespace) takeClock(body);
  }

  async function clockAction(method, path, json) {
    try {
      takeClock(await api(method, path, { json }));
      await refresh();
    } catch (error) {
      notice(`The clock refused: ${error.message}`);
    }
  }

  function parseSeconds(text) {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(text);
    if (!match) return null;
    const factor = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600, d: 86400 }[(match[2] || "s").toLowerCase()];
    return Number(match[1]) * factor;
  }

  // Countdowns, time in state and the clock move every tick, between two reads of the server.
  function tick() {
    const now = virtualNow();
    if (now === null) return;
    $("clock-now").textContent = formatTime(now);
    for (const element of document.querySelectorAll("[data-since]")) {
      element.textContent = formatDuration((now - Number(element.dataset.since)) / 1000);
    }
    for (const element of document.querySelectorAll("[data-due]")) {
      const left = (Number(element.dataset.due) - now) / 1000;
      element.textContent = left > 0 ? `in ${formatDuration(Math.ceil(left))}` : "due now";
    }
  }

  // --- resources ------------------------------------------------------------------------------

  function familyOf(vendor, kind, state) {
    const table = view.meta && view.meta.states[`${vendor}.${kind}`];
    return (table && table[state]) || "unknown";
  }

  function stateChip(vendor, kind, state, extra = "") {
    return h("span", { class: `state fam-${familyOf(vendor, kind, state)} ${extra}`.trim(), text: state });
  }

  function vendorTitle(name) {
    const vendor = view.meta && view.meta.vendors.find((v) => v.name === name);
    return vendor ? vendor.title : name;
  }

  async function refreshResources(ns) {
    const query = new URLSearchParams({ limit: PAGE_SIZE, offset: view.offset });
    if (view.kind) {
      query.set("vendor", view.kind.vendor);
      query.set("kind", view.kind.kind);
    }
    // With a kind chosen, the chips still count every kind: one more read that returns no rows.
    const [page, all] = await Promise.all([
      api("GET", `/resources?${query}`),
      view.kind ? api("GET", "/resources?limit=0") : null,
    ]);
    if (ns !== view.namespace) return;
    if (page.total && view.offset >= page.total) { // the page ran past the end: go to the last one
      view.offset = Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE;
      return refreshResources(ns);
    }
    view.kinds = (all || page).kinds;
    renderKinds(all || page);
    renderPager(page);
    if (changed("resources", page.resources)) renderResources(page.resources);
  }

  function renderKinds(summary) {
    if (!changed("kinds", [summary.kinds, view.kind])) return;
    const box = $("kinds");
    const chips = [h("button", { type: "button", class: `kind-chip${view.kind ? "" : " active"}`, "data-kind": "" },
      "all ", h("b", { text: summary.total }))];
    for (const entry of summary.kinds) {
      const key = `${entry.vendor}.${entry.kind}`;
      const counts = {};
      for (const [state, n] of Object.entries(entry.states)) {
        const family = familyOf(entry.vendor, entry.kind, state);
        counts[family] = (counts[family] || 0) + n;
      }
      const bar = h("span", { class: "family-bar" });
      for (const family of [...view.meta.families, "unknown"]) {
        if (!counts[family]) continue;
        const part = h("span", { class: `fam-${family}`, title: `${counts[family]} ${family}` });
        part.style.flexGrow = counts[family];
        bar.append(part);
      }
      const active = view.kind && `${view.kind.vendor}.${view.kind.kind}` === key;
      chips.push(h("button", { type: "button", class: `kind-chip${active ? " active" : ""}`, "data-kind": key },
        h("span", { class: "vendor-name", text: entry.vendor }), ` ${entry.kind} `, h("b", { text: entry.count }), bar));
    }
    box.replaceChildren(...chips);
    $("resources-total").textContent = `${summary.total}`;
  }

  function renderPager(page) {
    const last = page.offset + page.count;
    $("page-range").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "none";
    $("page-prev").disabled = page.offset === 0;
    $("page-next").disabled = last >= page.total;
  }

  function renderResources(resources) {
    const rows = [];
    let group = null;
    for (const r of resources) {
      if (group !== `${r.vendor}.${r.kind}`) {
        group = `${r.vendor}.${r.kind}`;
        const count = (view.kinds.find((k) => k.vendor === r.vendor && k.kind === r.kind) || {}).count;
        rows.push(h("tr", { class: "group", "data-group": group },
          h("th", { colspan: 4 }, h("span", { class: "vendor-title", text: vendorTitle(r.vendor) }), ` · ${r.kind}`,
            count ? h("span", { class: "count", text: ` ${count}` }) : null)));
      }
      const key = `${r.vendor}/${r.kind}/${r.id}`;
      const selected = view.selected && key === `${view.selected.vendor}/${view.selected.kind}/${view.selected.id}`;
      const next = r.next
        ? h("span", { class: "next" }, "→ ", stateChip(r.vendor, r.kind, r.next.state, "small"), " ",
          h("span", { class: "countdown", "data-due": Date.parse(r.next.at) }))
        : h("span", { class: "muted", text: "waits for an action" });
      rows.push(h("tr", {
        class: `resource${selected ? " selected" : ""}`, "data-resource": key, "data-state": r.state, tabindex: 0,
      },
      h("td", { class: "id", title: r.id, text: r.id }),
      h("td", {}, stateChip(r.vendor, r.kind, r.state)),
      h("td", { class: "since" }, h("span", { "data-since": Date.parse(r.since) })),
      h("td", {}, next)));
    }
    const table = h("table", { class: "table resources-table" },
      h("thead", {}, h("tr", {}, h("th", { text: "id" }), h("th", { text: "state" }), h("th", { text: "in state" }),
        h("th", { text: "next (virtual time)" }))),
      h("tbody", {}, rows));
    $("resources").replaceChildren(resources.length ? table : h("p", { class: "empty", text: "No resources." }));
    tick();
  }

  function selectResource(key) {
    const [vendor, kind, ...rest] = key.split("/");
    view.selected = { vendor, kind, id: rest.join("/") };
    delete view.shown.resources;
    delete view.shown.detail;
    refresh();
  }

  // --- the selected resource: timeline, history, vendor JSON ----------------------------------

  async function refreshDetail(ns) {
    const selected = view.selected;
    $("detail").hidden = !selected;
    $("detail-empty").hidden = Boolean(selected);
    $("detail-close").hidden = !selected;
    if (!selected) {
      $("detail-title").textContent = "Timeline";
      return;
    }
    const path = `/resources/${enc(selected.vendor)}/${enc(selected.kind)}/${enc(selected.id)}`;
    const [detail, asVendor] = await Promise.all([
      api("GET", path).catch((error) => ({ missing: error.message })),
      api("GET", `${path}/vendor`).catch((error) => ({ missing: error.message })),
    ]);
    if (ns !== view.namespace || selected !== view.selected) return;
    renderDetail(selected, detail, asVendor);
  }

  function renderDetail(selected, detail, asVendor) {
    $("detail-title").textContent = `${selected.vendor} · ${selected.kind} · ${selected.id}`;
    if (detail.missing) {
      $("detail-summary").replaceChildren(h("p", { class: "error", text: detail.missing }));
      $("timeline").replaceChildren();
      $("history").tBodies[0].replaceChildren();
      $("vendor-path").textContent = "";
      $("vendor-json").textContent = "";
      return;
    }
    const { vendor, kind } = detail;
    const next = detail.next
      ? h("span", {}, "next: ", stateChip(vendor, kind, detail.next.state), " ",
        h("span", { class: "countdown", "data-due": Date.parse(detail.next.at) }),
        h("span", { class: "muted", text: ` at ${formatTime(Date.parse(detail.next.at))}` }))
      : h("span", { class: "muted", text: "no timer: waits for an action" });
    const summary = [
      h("div", {}, stateChip(vendor, kind, detail.state), " for ", h("span", { "data-since": Date.parse(detail.since) })),
      h("div", {}, next),
    ];
    if (detail.pending.length) summary.push(h("div", {}, "deferred: ", h("b", { text: detail.pending.join(", ") })));
    $("detail-summary").replaceChildren(...summary);
    renderTimeline(detail);
    if (changed("detail", [detail.history, asVendor])) {
      $("history").tBodies[0].replaceChildren(...detail.history.map((entry) => h("tr", {},
        h("td", {}, stateChip(vendor, kind, entry.state)),
        h("td", { text: formatTime(Date.parse(entry.at)) }),
        h("td", { class: "muted", text: entry.cause }))));
      $("vendor-path").textContent = asVendor.path ? `GET ${asVendor.path}` : "";
      $("vendor-json").textContent = asVendor.missing || pretty(asVendor.body);
    }
    tick();
  }

  // One box per state, the next due transition last. A box's width grows with its duration but
  // never drops below a readable minimum, so a 2 s step beside a 1 h one still shows its name.
  function renderTimeline(detail) {
    const box = $("timeline");
    const width = Math.max(box.clientWidth || 520, 280);
    const height = 74;
    const barY = 20;
    const barH = 24;
    const now = virtualNow();
    const history = detail.history.map((entry) => ({ ...entry, t: Date.parse(entry.at) }));
    const segments = history.map((entry, i) => ({
      state: entry.state, from: entry.t, until: i + 1 < history.length ? history[i + 1].t : now,
      title: `${entry.state} from ${formatTime(entry.t)} (${entry.cause})`, next: false,
    }));
    const due = detail.next ? Date.parse(detail.next.at) : null;
    if (due !== null && due > now) {
      segments.push({ state: detail.next.state, from: now, until: due, next: true,
        title: `${detail.next.state} due at ${formatTime(due)}` });
    }
    const shown = segments.slice(-8); // the latest steps of a long history
    const minimum = Math.min(96, width / shown.length);
    const total = shown.reduce((sum, s) => sum + Math.max(s.until - s.from, 0), 0) || 1;
    const spare = width - minimum * shown.length;
    box.setAttribute("viewBox", `0 0 ${width} ${height}`);
    box.setAttribute("height", height);
    const parts = [];
    let x = 0;
    let nowX = width;
    for (const segment of shown) {
      const span = Math.max(segment.until - segment.from, 0);
      const w = minimum + (spare * span) / total;
      const family = familyOf(detail.vendor, detail.kind, segment.state);
      const rect = svg("rect", { x, y: barY, width: w, height: barH, class: `seg fam-${family}${segment.next ? " next" : ""}` });
      rect.append(svg("title", {}, segment.title));
      parts.push(rect);
      const label = segment.next ? `→ ${segment.state}` : segment.state;
      if (w > label.length * 6.7 + 8) {
        parts.push(svg("text", { x: x + 4, y: barY + 16, class: `seg-label${segment.next ? " next" : ""}` }, label));
      }
      const length = formatDuration(segment.next ? Math.ceil(span / 1000) : span / 1000);
      const caption = segment.next ? `in ${length}` : segment.until === now ? `${length} so far` : length;
      if (w > caption.length * 6.4 + 6) parts.push(svg("text", { x: x + 3, y: barY + barH + 14, class: "axis-label" }, caption));
      if (segment.next) nowX = x;
      x += w;
    }
    if (!detail.next || due <= now) nowX = width - 1;
    parts.push(svg("line", { x1: nowX, x2: nowX, y1: barY - 6, y2: barY + barH + 4, class: "now-line" }));
    const nowLabel = `now ${formatTime(now, false)}`;
    parts.push(svg("text", { x: Math.min(Math.max(nowX - 30, 0), width - nowLabel.length * 6.7), y: barY - 8,
      class: "axis-label strong" }, nowLabel));
    box.replaceChildren(...parts);
  }

  // --- the journal ----------------------------------------------------------------------------

  async function refreshJournal(ns) {
    const query = new URLSearchParams({ limit: JOURNAL_LIMIT });
    const vendor = $("journal-vendor").value;
    const status = $("journal-status").value.trim();
    if (vendor) query.set("vendor", vendor);
    if (/^\d{1,3}$/.test(status)) query.set("status", status);
    const data = await api("GET", `/requests?${query}`);
    if (ns !== view.namespace) return;
    const entries = data.requests.slice().reverse(); // newest first
    view.journal = new Map(entries.map((entry) => [entry.seq, entry]));
    $("journal-count").textContent = data.dropped ? `${entries.length} (older ones dropped)` : `${entries.length}`;
    if (!changed("journal", [entries.map((e) => e.seq), view.journalSeq])) return;
    $("journal").tBodies[0].replaceChildren(...entries.map((entry) => h("tr", {
      class: `request${entry.seq === view.journalSeq ? " selected" : ""}`, "data-seq": entry.seq, tabindex: 0,
    },
    h("td", { title: entry.virtual_time, text: formatTime(Date.parse(entry.virtual_time), false) }),
    h("td", { text: entry.method }),
    h("td", { class: "path", title: entry.path, text: entry.query ? `${entry.path}?${entry.query}` : entry.path }),
    h("td", { text: entry.operation || "—" }),
    h("td", {}, h("span", { class: `status s${String(entry.status)[0]}xx`, text: entry.status || "drop" })),
    h("td", {}, entry.faults.map((id) => h("span", { class: "fault-tag", text: id }))))));
    if (!entries.length) {
      $("journal").tBodies[0].replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "empty", text: "No requests yet." })));
    }
  }

  function showRequest(seq) {
    const entry = view.journal.get(seq);
    if (!entry) return;
    view.journalSeq = seq;
    delete view.shown.journal;
    const headers = Object.entries(entry.request.headers || {});
    $("journal-detail").hidden = false;
    $("journal-detail").replaceChildren(
      h("div", { class: "panel-head" },
        h("h3", {}, `${entry.method} ${entry.path} → `, h("span", { class: `status s${String(entry.status)[0]}xx`, text: entry.status })),
        h("button", { type: "button", id: "journal-detail-close", text: "Close" })),
      h("p", { class: "muted" }, `#${entry.seq} · ${entry.vendor} · ${entry.operation || "no documented operation"} · `
        + `virtual ${entry.virtual_time} · real ${entry.real_time} · ${entry.duration_ms} ms`
        + (entry.faults.length ? ` · faults: ${entry.faults.join(", ")}` : "")),
      h("div", { class: "two" },
        h("div", {}, h("h4", { text: "Request headers (secrets masked)" }),
          h("table", { class: "table compact headers" }, h("tbody", {}, headers.map(([name, value]) => h("tr", {},
            h("th", { text: name }), h("td", { text: value }))))),
          h("h4", { text: "Request body" }), h("pre", { class: "json request-body", text: pretty(entry.request.body) })),
        h("div", {}, h("h4", { text: "Response body" }),
          h("pre", { class: "json response-body", text: pretty(entry.response.body) }))),
    );
    refreshJournal(view.namespace).catch(() => {});
  }

  // --- faults ---------------------------------------------------------------------------------

  async function refreshFaults(ns) {
    const data = await api("GET", "/faults");
    if (ns !== view.namespace || !changed("faults", data.faults)) return;
    $("faults-count").textContent = `${data.count}`;
    $("faults").replaceChildren(...data.faults.map((rule) => h("li", { "data-fault-id": rule.id },
      h("div", {},
        h("b", { text: rule.id }), " ", h("span", { text: describeMatch(rule.match) }),
        h("div", { class: "muted", text: `${describeEffect(rule)} · ${describeWhen(rule.when)} · fired ${rule.fired} of ${rule.calls}` })),
      h("button", { type: "button", class: "remove-fault", "data-fault-id": rule.id, text: "Remove" }))));
    if (!data.faults.length) $("faults").replaceChildren(h("li", { class: "empty", text: "No fault rules." }));
  }

  function describeMatch(match) {
    const parts = ["vendor", "operation", "resource", "state"].filter((k) => match && match[k]).map((k) => match[k]);
    return parts.length ? parts.join(" · ") : "any request";
  }

  function describeEffect(rule) {
    const effects = [];
    if (rule.respond) effects.push(`answers ${rule.respond.status}`);
    if (rule.latency) effects.push(`latency ${Object.entries(rule.latency).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(" ")}`);
    if (rule.transport) effects.push(`transport ${rule.transport}`);
    return effects.join(", ") || "no effect";
  }

  function describeWhen(when) {
    if (!when || when.every) return "every call";
    if (when.first) return when.first === 1 ? "the first call" : `the first ${when.first} calls`;
    if (when.nth) return `call number ${when.nth} only`;
    if (when.probability !== undefined) return `probability ${when.probability}`;
    if (when.window) return `from ${when.window.from} until ${when.window.until}`;
    return JSON.stringify(when);
  }

  function fillFaultForm() {
    $("fault-vendor").replaceChildren(...view.meta.vendors.map((v) => h("option", { value: v.name, text: v.title })));
    fillOperations();
  }

  function fillOperations() {
    const vendor = view.meta.vendors.find((v) => v.name === $("fault-vendor").value);
    const operations = Object.keys(vendor ? vendor.operations : {});
    $("fault-operation").replaceChildren(h("option", { value: "", text: "any operation" }),
      ...operations.map((op) => h("option", { value: op, text: op })));
    fillStatuses();
  }

  // A rule may only answer with a status documented for every operation it can match.
  function fillStatuses() {
    const vendor = view.meta.vendors.find((v) => v.name === $("fault-vendor").value);
    const operation = $("fault-operation").value;
    const lists = vendor ? (operation ? [vendor.operations[operation]] : Object.values(vendor.operations)) : [];
    let statuses = lists.length ? lists[0].filter((s) => s >= 400) : [];
    for (const list of lists.slice(1)) statuses = statuses.filter((s) => list.includes(s));
    const previous = $("fault-status").value;
    $("fault-status").replaceChildren(...statuses.map((s) => h("option", { value: s, text: s })));
    if (statuses.includes(Number(previous))) $("fault-status").value = previous;
    else if (statuses.includes(500)) $("fault-status").value = "500";
    $("fault-status").title = statuses.length ? "" : "no error status is documented for every operation: pick one";
  }

  function faultEffectChanged() {
    const latency = $("fault-effect").value === "latency";
    $("fault-status-label").hidden = latency;
    $("fault-latency-label").hidden = !latency;
  }

  function faultWhenChanged() {
    const when = $("fault-when").value;
    $("fault-when-value-label").hidden = when === "every";
    $("fault-when-value-name").textContent = when === "probability" ? "p" : "N";
    $("fault-when-value").step = when === "probability" ? "0.05" : "1";
    $("fault-when-value").value = when === "probability" ? "0.5" : "2";
  }

  async function addFault(event) {
    event.preventDefault();
    const rule = { match: { vendor: $("fault-vendor").value } };
    if ($("fault-operation").value) rule.match.operation = $("fault-operation").value;
    if ($("fault-effect").value === "latency") rule.latency = { fixed: $("fault-latency").value.trim() };
    else if ($("fault-status").value) rule.respond = { status: Number($("fault-status").value) };
    else return notice("Pick an operation: no error status is documented for all of this vendor's operations.");
    const when = $("fault-when").value;
    const amount = Number($("fault-when-value").value);
    rule.when = when === "every" ? { every: true } : { [when]: amount };
    try {
      const added = await api("POST", "/faults", { json: rule });
      notice(`Fault ${added.id} added.`, "ok");
      await refresh();
    } catch (error) {
      notice(`The fault was refused: ${error.message}`);
    }
  }

  async function removeFault(id) {
    try {
      await api("DELETE", `/faults/${enc(id)}`);
      await refresh();
    } catch (error) {
      notice(`Could not remove ${id}: ${error.message}`);
    }
  }

  // --- scenarios ------------------------------------------------------------------------------

  let shipped = [];
  async function loadShippedList() {
    try {
      shipped = (await api("GET", "/scenarios/shipped")).scenarios;
    } catch (error) {
      shipped = [];
      $("shipped-description").textContent = error.status === 404
        ? "This server has no shipped scenarios to load by name." : `Shipped scenarios: ${error.message}`;
    }
    $("shipped").replaceChildren(...shipped.map((s) => h("option", { value: s.name, text: s.name })));
    $("shipped").disabled = $("shipped-load").disabled = !shipped.length;
    describeShipped();
  }

  function describeShipped() {
    const chosen = shipped.find((s) => s.name === $("shipped").value);
    if (chosen) $("shipped-description").textContent = chosen.description || "";
  }

  function scenarioResult(verb, summary) {
    const resources = summary.resources || [];
    const listed = resources.slice(0, 6).map((r) => `${r.vendor} ${r.kind} ${r.id} (${r.state || "initial"})`);
    if (resources.length > listed.length) listed.push(`and ${resources.length - listed.length} more`);
    $("scenario-result").className = "result ok";
    $("scenario-result").textContent = `${verb} ${summary.name || "scenario"}: ${resources.length} resource(s)`
      + (listed.length ? ` — ${listed.join(", ")}` : "");
  }

  function scenarioProblem(verb, error) {
    $("scenario-result").className = "result error";
    $("scenario-result").textContent = `${verb} failed: ${error.message}`;
  }

  async function loadShipped(event) {
    event.preventDefault();
    const name = $("shipped").value;
    if (!name) return;
    try {
      scenarioResult("Loaded", await api("POST", `/scenarios?name=${enc(name)}`));
      await refresh();
    } catch (error) {
      scenarioProblem(`Loading ${name}`, error);
    }
  }

  async function upload(event) {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return scenarioProblem("Upload", new Error("choose a .yaml or .json file first"));
    const type = /\.json$/i.test(file.name) ? "application/json" : "application/yaml";
    try {
      const summary = await api("POST", "/scenarios", { body: await file.text(), headers: { "Content-Type": type } });
      scenarioResult(`Uploaded ${file.name}:`, summary);
      await refresh();
    } catch (error) {
      scenarioProblem(`Uploading ${file.name}`, error);
    }
  }

  async function exportState() {
    try {
      const response = await call("GET", "/scenario", { headers: { Accept: "application/yaml" } });
      if (!response.ok) throw new ApiProblem(response.status, await response.json().catch(() => null));
      const url = URL.createObjectURL(await response.blob());
      const link = h("a", { href: url, download: `${view.namespace}-scenario.yaml` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      scenarioProblem("Export", error);
    }
  }

  async function resetNamespace() {
    try {
      const body = await api("POST", "/reset");
      $("scenario-result").className = "result ok";
      $("scenario-result").textContent = `Namespace ${body.namespace} reset to its start-up scenarios.`;
      view.selected = null;
      await refresh();
    } catch (error) {
      scenarioProblem("Reset", error);
    }
  }

  // --- namespaces -----------------------------------------------------------------------------

  async function refreshNamespaces() {
    const data = await api("GET", "/namespaces");
    const names = data.namespaces.map((n) => n.name);
    if (!names.includes(view.namespace)) names.unshift(view.namespace);
    if (changed("namespaces", names)) {
      $("namespace-options").replaceChildren(...names.map((name) => h("option", { value: name })));
    }
  }

  function switchNamespace(name) {
    if (!NAMESPACE_PATTERN.test(name)) {
      notice("A namespace is 1-64 letters, digits, '.', '_' or '-'.");
      $("namespace").value = view.namespace;
      return;
    }
    if (name === view.namespace) return;
    view.namespace = name;
    sessionStorage.setItem(NAMESPACE_KEY, name);
    const url = new URL(location.href);
    url.searchParams.set("namespace", name);
    history.replaceState(null, "", url);
    Object.assign(view, { offset: 0, kind: null, selected: null, journalSeq: null, shown: {} });
    $("journal-detail").hidden = true;
    $("scenario-result").textContent = "";
    refresh();
  }

  // --- the refresh loop -------------------------------------------------------------------------

  let running = null;
  let again = false;
  function refresh() {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await refreshOnce();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function refreshOnce() {
    const ns = view.namespace;
    const results = await Promise.allSettled([
      refreshClock(ns), refreshResources(ns), refreshDetail(ns), refreshJournal(ns), refreshFaults(ns),
    ]);
    const failure = results.find((r) => r.status === "rejected");
    const status = $("connection");
    if (failure) {
      const reason = failure.reason;
      status.textContent = reason instanceof ApiProblem ? `error: ${reason.message}` : "server unreachable";
      status.className = "connection down";
    } else {
      status.textContent = `live · ${new Date().toLocaleTimeString()}`;
      status.className = "connection live";
    }
  }

  function poll() { // one read a second, however long a read takes (never two at once)
    const started = performance.now();
    refresh().catch(() => {}).finally(() => setTimeout(poll, Math.max(100, POLL_MS - (performance.now() - started))));
  }

  // --- wiring ---------------------------------------------------------------------------------

  function wire() {
    $("clock-freeze").addEventListener("click", () =>
      clockAction("PUT", "/clock", { frozen: !(view.clock && view.clock.frozen) }));
    for (const button of document.querySelectorAll("button.advance")) {
      button.addEventListener("click", () => clockAction("POST", "/clock/advance", { seconds: Number(button.dataset.seconds) }));
    }
    $("advance-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const seconds = parseSeconds($("advance-value").value);
      if (seconds === null) return notice("Advance by a number of seconds, or with a unit: 90s, 5m, 2h, 1d.");
      clockAction("POST", "/clock/advance", { seconds });
    });
    $("speed-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const speed = Number($("speed-value").value);
      if (!(speed >= 0)) return notice("The speed is a number >= 0 (1 = real time).");
      clockAction("PUT", "/clock", { speed });
      $("speed-value").blur();
    });

    $("kinds").addEventListener("click", (event) => {
      const chip = event.target.closest("[data-kind]");
      if (!chip) return;
      const [vendor, kind] = chip.dataset.kind.split(".");
      view.kind = chip.dataset.kind ? { vendor, kind } : null;
      view.offset = 0;
      refresh();
    });
    $("page-prev").addEventListener("click", () => { view.offset = Math.max(0, view.offset - PAGE_SIZE); refresh(); });
    $("page-next").addEventListener("click", () => { view.offset += PAGE_SIZE; refresh(); });
    const onResource = (event) => {
      const row = event.target.closest("tr[data-resource]");
      if (row && (event.type === "click" || event.key === "Enter")) selectResource(row.dataset.resource);
    };
    $("resources").addEventListener("click", onResource);
    $("resources").addEventListener("keydown", onResource);
    $("detail-close").addEventListener("click", () => { view.selected = null; delete view.shown.resources; refresh(); });

    const onRequest = (event) => {
      const row = event.target.closest("tr[data-seq]");
      if (row && (event.type === "click" || event.key === "Enter")) showRequest(Number(row.dataset.seq));
    };
    $("journal").addEventListener("click", onRequest);
    $("journal").addEventListener("keydown", onRequest);
    $("journal-detail").addEventListener("click", (event) => {
      if (event.target.id !== "journal-detail-close") return;
      view.journalSeq = null;
      $("journal-detail").hidden = true;
      delete view.shown.journal;
      refresh();
    });
    $("journal-filter").addEventListener("submit", (event) => event.preventDefault());
    $("journal-vendor").addEventListener("change", () => refresh());
    $("journal-status").addEventListener("input", () => refresh());
    $("journal-clear").addEventListener("click", async () => {
      try {
        await api("DELETE", "/requests");
      } catch (error) {
        notice(`Could not clear the journal: ${error.message}`);
      }
      view.journalSeq = null;
      $("journal-detail").hidden = true;
      refresh();
    });

    $("faults").addEventListener("click", (event) => {
      const button = event.target.closest("button.remove-fault");
      if (button) removeFault(button.dataset.faultId);
    });
    $("fault-form").addEventListener("submit", addFault);
    $("fault-vendor").addEventListener("change", fillOperations);
    $("fault-operation").addEventListener("change", fillStatuses);
    $("fault-effect").addEventListener("change", faultEffectChanged);
    $("fault-when").addEventListener("change", faultWhenChanged);

    $("shipped-form").addEventListener("submit", loadShipped);
    $("shipped").addEventListener("change", describeShipped);
    $("upload-form").addEventListener("submit", upload);
    $("export").addEventListener("click", exportState);
    $("reset").addEventListener("click", resetNamespace);

    $("namespace").value = view.namespace;
    $("namespace-form").addEventListener("submit", (event) => {
      event.preventDefault();
      switchNamespace($("namespace").value.trim());
    });
    $("namespace").addEventListener("change", () => switchNamespace($("namespace").value.trim()));
  }

  async function start() {
    wire();
    view.meta = await (await fetch(`${BASE}/ui/meta.json`, { cache: "no-store" })).json();
    $("journal-vendor").append(...view.meta.vendors.map((v) => h("option", { value: v.name, text: v.name })));
    fillFaultForm();
    faultEffectChanged();
    faultWhenChanged();
    setInterval(tick, TICK_MS);
    poll();
    loadShippedList();
    const namespaces = () => refreshNamespaces().catch(() => {}).finally(() => setTimeout(namespaces, 5000));
    namespaces();
  }

  start().catch((error) => notice(`The dashboard could not start: ${error.message}`));
})();
