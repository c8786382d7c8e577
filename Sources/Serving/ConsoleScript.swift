/// The web console's script (inlined into `ConsolePage.html`): reads `/points` once, follows
/// `/live`, draws the synoptic, the alarms, the trends and the point browser, and sends the
/// instructor's instructions. The page names roles (`bindings` from `/points`), never points.
enum ConsoleScript {
    static let javascript = #"""
"use strict";
let catalogue = [];           // devices as /points gives them
const units = {};             // device -> point -> unit of measure
let snapshot = null;
const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
const PHASES = ["off", "ignition", "running", "ember keeping", "burn-out", "fault"];
const FAULTS = ["none", "fuel shortage", "auger jam", "ignition failure", "overtemperature", "ash box full", "flue fan", "precipitator"];

function val(device, point) {
  if (!snapshot || !snapshot.devices[device]) return undefined;
  return snapshot.devices[device][point];
}
function fmt(device, point, digits) {
  const v = val(device, point);
  if (v === undefined) return "";
  if (v === null) return "invalid";
  const u = (units[device] || {})[point] || "";
  const d = digits === undefined ? (Math.abs(v) >= 100 ? 0 : 1) : digits;
  return v.toFixed(d) + (u ? " " + u : "");
}
function setText(id, device, point, digits) {
  const el = document.getElementById(id);
  if (!el) return;
  const v = val(device, point);
  el.textContent = fmt(device, point, digits);
  el.classList.toggle("invalid", v === null);
  if (v !== undefined && v !== null) el.dataset.value = v; else delete el.dataset.value;
}
function svg(tag, attrs, parent, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}
function colour(t) {
  if (t === null || t === undefined) return "#999";
  const x = Math.max(0, Math.min(1, (t - 20) / 70));
  return "rgb(" + Math.round(40 + 215 * x) + "," + Math.round(90 * (1 - Math.abs(x - 0.5) * 2) + 40) + "," + Math.round(230 * (1 - x) + 20) + ")";
}
function byType(type) { return catalogue.filter(d => d.type === type); }
let B = {}, T = {};           // the synoptic's bindings: role -> point name, kind -> device type (from /points)
function meterOf(d) { return byType(T.meter).find(m => m.index === d.index); }

function buildSynoptic() {
  const s = $("plant");
  // the sources in merit order's reverse as the boiler room stands: wood, gas, then the heat
  // pumps, solar fields and recovered heat, each a box of its values
  const boilers = byType(T.boiler), gas = byType(T.gas), pumps = byType(T.heatPump), fields = byType(T.solar), recovered = byType(T.recovered);
  svg("text", { x: 10, y: 16 }, s, "Boiler room");
  const rows = [["phase", "bPhase"], ["fault", "bFaultName"], ["firing rate", "bModulation"], ["heat output", "bOutput"], ["supply", "bSupply"], ["return", "bReturn"]];
  const gasRows = [["burner", "gPhase"], ["firing rate", "gFiring"], ["heat output", "gOutput"], ["water", "gWater"]];
  const pumpRows = [["compressor", "hPhase"], ["heat output", "hOutput"], ["COP", "hCop"], ["source flow", "hSourceFlow"], ["evaporating", "hEvaporating"]];
  const fieldRows = [["loop pump", "fPhase"], ["sun on plane", "fIrradiance"], ["collectors", "fCollector"], ["heat output", "fOutput"]];
  const recoveredRows = [["source", "rPhase"], ["heat output", "rOutput"]];
  const suffix = (b) => b.type === T.gas ? " (gas)" : b.type === T.heatPump ? " (heat pump)" : b.type === T.solar ? " (solar)" : b.type === T.recovered ? " (recovered)" : "";
  const rowsOf = (b) => b.type === T.gas ? gasRows : b.type === T.heatPump ? pumpRows : b.type === T.solar ? fieldRows : b.type === T.recovered ? recoveredRows : rows;
  const sources = boilers.concat(gas, pumps, fields, recovered);
  sources.forEach((b, k) => {
    const x = 10 + k * 150, g = svg("g", { id: "boiler-" + b.device }, s);
    svg("rect", { x: x, y: 26, width: 140, height: 130, rx: 6, fill: "#fff", stroke: "#556", "stroke-width": 2, id: "boiler-" + b.device + "-frame" }, g);
    svg("text", { x: x + 8, y: 44, "font-weight": "bold" }, g, b.device + suffix(b));
    // a flame where fuel burns, a running lamp on the other sources
    if (b.type === T.boiler || b.type === T.gas) svg("path", { d: `M${x + 112} 60 q -10 -14 0 -26 q 10 12 0 26 z`, fill: "#ccc", id: "boiler-" + b.device + "-flame" }, g);
    else svg("circle", { cx: x + 118, cy: 40, r: 7, fill: "#ccc", stroke: "#556", id: "boiler-" + b.device + "-flame" }, g);
    rowsOf(b).forEach((r, i) => {
      svg("text", { x: x + 8, y: 66 + i * 15 }, g, r[0]);
      svg("text", { x: x + 132, y: 66 + i * 15, "text-anchor": "end", id: "boiler-" + b.device + "-" + r[1] }, g, "");
    });
  });
  const bx = 10 + sources.length * 150 + 20;
  // wide enough for every source, the buffer, the silo and the network's values
  const width = Math.max(1100, bx + 150 + 170 + 180);
  s.setAttribute("viewBox", `0 0 ${width} 330`); s.setAttribute("width", width);
  const layers = B.bufferLayers.length;
  svg("text", { x: bx, y: 16 }, s, "Buffer");
  B.bufferLayers.forEach((_, i) => svg("rect", { x: bx, y: 26 + i * 126 / layers, width: 60, height: 126 / layers, fill: "#999", id: "buffer-layer" + i }, s));
  svg("rect", { x: bx, y: 26, width: 60, height: 126, fill: "none", stroke: "#556", "stroke-width": 2 }, s);
  svg("text", { x: bx + 66, y: 36, id: "plant-bufferTop" }, s, "");
  svg("text", { x: bx + 66, y: 150, id: "plant-bufferBottom" }, s, "");
  // the silo only where wood is burnt (a plant without wood-chip boilers has none to show)
  const sx = bx + 150;
  if (boilers.length > 0) {
    svg("text", { x: sx, y: 16 }, s, "Silo");
    svg("rect", { x: sx, y: 26, width: 50, height: 126, fill: "#fff", stroke: "#556", "stroke-width": 2 }, s);
    svg("rect", { x: sx + 2, y: 150, width: 46, height: 0, fill: "#a1887f", id: "silo-fill" }, s);
    svg("text", { x: sx + 56, y: 60, id: "plant-siloPercent" }, s, "");
    svg("text", { x: sx + 56, y: 76, id: "plant-siloDays" }, s, "");
  }
  const nx = boilers.length > 0 ? sx + 170 : sx;
  svg("text", { x: nx, y: 16 }, s, "Network");
  const net = [["supply", "netSupply"], ["set-point", "netSetpoint"], ["return", "netReturn"], ["flow rate", "netFlow"], ["Δp", "netDp"], ["pump speed", "netPump"],
               ["heat sent", "netPower"], ["pressure", "netPressure"], ["cascade", "cascadeStage"]];
  net.forEach((r, i) => {
    svg("text", { x: nx, y: 40 + i * 15 }, s, r[0]);
    svg("text", { x: nx + 170, y: 40 + i * 15, "text-anchor": "end", id: "plant-" + r[1] }, s, "");
  });
  svg("line", { x1: 10, y1: 200, x2: width - 10, y2: 200, stroke: "#e53935", "stroke-width": 4, id: "pipe-supply" }, s);
  svg("line", { x1: 10, y1: 230, x2: width - 10, y2: 230, stroke: "#1e88e5", "stroke-width": 4, id: "pipe-return" }, s);
  svg("text", { x: 14, y: 194 }, s, "network supply");
  svg("text", { x: 14, y: 248 }, s, "network return");
  const subs = byType(T.substation);
  subs.forEach((d, k) => {
    const x = 140 + k * ((width - 160) / Math.max(1, subs.length));
    svg("line", { x1: x, y1: 200, x2: x, y2: 290, stroke: "#556", "stroke-width": 2 }, s);
    svg("rect", { x: x - 6, y: 262, width: 12, height: 12, fill: "#ccc", stroke: "#556", id: "sub-" + d.device + "-valve-icon" }, s);
    svg("text", { x: x - 2, y: 306, transform: `rotate(30 ${x - 2} 306)` }, s, d.device);
  });
  const grid = $("substations");
  subs.forEach(d => {
    const c = document.createElement("div");
    c.className = "card"; c.id = "sub-" + d.device;
    const rows = [["valve", "sValve"], ["primary supply", "sPrimarySupply"], ["primary return", "sPrimaryReturn"], ["secondary supply", "sSecondarySupply"],
                  ["set-point", "sSetpoint"], ["secondary return", "sSecondaryReturn"], ["room", "sRoom"], ["room set-point", "sRoomSetpoint"], ["DHW tank", "sDhw"],
                  ["circuit pump", "sPump"], ["meter power", "mPower"], ["meter energy", "mEnergy"]];
    let html = "<h4>" + d.device + "</h4><table>";
    rows.forEach(r => { html += `<tr><td>${r[0]}</td><td class="num" id="sub-${d.device}-${r[1]}"></td></tr>`; });
    c.innerHTML = html + "</table>";
    grid.appendChild(c);
  });
}

function drawSynoptic() {
  byType(T.boiler).forEach(b => {
    const st = val(b.device, B.bState), fc = val(b.device, B.bFault);
    const ph = $("boiler-" + b.device + "-bPhase");
    ph.textContent = st === null ? "invalid" : (PHASES[st] || String(st));
    ph.dataset.value = st;
    const f = $("boiler-" + b.device + "-bFaultName");
    f.textContent = fc === null ? "invalid" : (FAULTS[fc] || String(fc));
    f.dataset.value = fc;
    ["bModulation", "bOutput", "bSupply", "bReturn"].forEach(r => setText("boiler-" + b.device + "-" + r, b.device, B[r], r === "bModulation" || r === "bOutput" ? 0 : undefined));
    const burning = st === 1 || st === 2;
    $("boiler-" + b.device + "-flame").setAttribute("fill", burning ? "#ff9800" : (st === 3 ? "#8d6e63" : "#ccc"));
    $("boiler-" + b.device + "-frame").setAttribute("stroke", st === 5 ? "#e53935" : (burning ? "#ff9800" : "#556"));
    $("boiler-" + b.device).dataset.state = st === 5 ? "tripped" : (burning ? "burning" : "idle");
  });
  byType(T.gas).forEach(b => {
    const st = val(b.device, B.gState), on = st === 1;
    const ph = $("boiler-" + b.device + "-gPhase");
    ph.textContent = st === null ? "invalid" : (on ? "burner on" : "off");
    $("boiler-" + b.device + "-flame").setAttribute("fill", on ? "#ff9800" : "#ccc");
    $("boiler-" + b.device).dataset.state = on ? "burning" : "idle";
    ["gFiring", "gOutput", "gWater"].forEach(r => setText("boiler-" + b.device + "-" + r, b.device, B[r], r === "gWater" ? undefined : 0));
  });
  // a source's box: its phase's words, the flame lit while it gives heat
  function showSource(b, on, words, state) {
    const ph = $("boiler-" + b.device + "-" + words[0]);
    ph.textContent = on === null ? "invalid" : (on ? words[1] : words[2]);
    $("boiler-" + b.device + "-flame").setAttribute("fill", on ? "#ff9800" : "#ccc");
    $("boiler-" + b.device).dataset.state = on ? state : "idle";
  }
  byType(T.heatPump).forEach(b => {
    const st = val(b.device, B.hState);
    showSource(b, st === null || st === undefined ? null : st === 1, ["hPhase", "running", "off"], "running");
    ["hOutput", "hCop", "hSourceFlow", "hEvaporating"].forEach(r => setText("boiler-" + b.device + "-" + r, b.device, B[r], r === "hOutput" ? 0 : r === "hCop" ? 2 : undefined));
  });
  byType(T.solar).forEach(b => {
    const p = val(b.device, B.fPump);
    showSource(b, p === null || p === undefined ? null : p === 1, ["fPhase", "running", "stopped"], "running");
    ["fIrradiance", "fCollector", "fOutput"].forEach(r => setText("boiler-" + b.device + "-" + r, b.device, B[r], r === "fCollector" ? undefined : 0));
  });
  byType(T.recovered).forEach(b => {
    const on = val(b.device, B.rRunning);
    showSource(b, on === null || on === undefined ? null : on === 1, ["rPhase", "giving heat", "off"], "running");
    setText("boiler-" + b.device + "-rOutput", b.device, B.rOutput, 0);
  });
  const plant = byType(T.plant)[0].device;
  B.bufferLayers.forEach((name, i) => $("buffer-layer" + i).setAttribute("fill", colour(val(plant, name))));
  ["bufferTop", "bufferBottom", "netSupply", "netSetpoint", "netReturn", "netFlow", "netDp", "netPump", "netPower", "netPressure", "cascadeStage"]
    .forEach(r => setText("plant-" + r, plant, B[r]));
  if ($("silo-fill")) {
    setText("plant-siloPercent", plant, B.siloPercent, 0);
    setText("plant-siloDays", plant, B.siloDays, 1);
    const lv = val(plant, B.siloPercent);
    const h = lv === null || lv === undefined ? 0 : Math.max(0, Math.min(122, 1.22 * lv));
    $("silo-fill").setAttribute("y", 150 - h); $("silo-fill").setAttribute("height", h);
  }
  $("pipe-supply").setAttribute("stroke", colour(val(plant, B.netSupply)));
  $("pipe-return").setAttribute("stroke", colour(val(plant, B.netReturn)));
  byType(T.substation).forEach(d => {
    ["sValve", "sPrimarySupply", "sPrimaryReturn", "sSecondarySupply", "sSetpoint", "sSecondaryReturn", "sRoom", "sRoomSetpoint", "sDhw"]
      .forEach(r => setText(`sub-${d.device}-${r}`, d.device, B[r]));
    const pump = val(d.device, B.sPump);
    $(`sub-${d.device}-sPump`).textContent = pump === null ? "invalid" : (pump ? "running" : "stopped");
    const m = meterOf(d);
    if (m) { setText(`sub-${d.device}-mPower`, m.device, B.mPower); setText(`sub-${d.device}-mEnergy`, m.device, B.mEnergy, 0); }
    const v = val(d.device, B.sValve);
    $(`sub-${d.device}-valve-icon`).setAttribute("fill", v ? "rgb(" + Math.round(255 * Math.min(1, v / 100)) + ",120,60)" : "#ccc");
  });
}

function drawAlarms() {
  const rows = $("alarmRows");
  const shown = snapshot.alarms.filter(a => a.state !== "normal");
  const key = JSON.stringify(shown);
  if (rows.dataset.key === key) return;
  rows.dataset.key = key;
  rows.innerHTML = "";
  shown.forEach(a => {
    const tr = document.createElement("tr");
    tr.className = "al-" + a.state; tr.dataset.id = a.id; tr.dataset.state = a.state;
    tr.innerHTML = `<td>${a.id}</td><td>${a.priority}</td><td>${a.state}</td><td>${a.message}</td><td></td>`;
    if (a.state === "unacknowledged" || a.state === "clearedUnacknowledged") {
      const b = document.createElement("button");
      b.textContent = "Acknowledge"; b.className = "ack";
      b.onclick = () => instruct("/alarms/ack", { id: a.id });
      tr.lastChild.appendChild(b);
    }
    rows.appendChild(tr);
  });
  $("noAlarms").style.display = shown.length ? "none" : "";
  const un = snapshot.alarms.filter(a => a.state === "unacknowledged" || a.state === "clearedUnacknowledged").length;
  $("alarmCount").textContent = shown.length ? `(${shown.length}, ${un} unack.)` : "";
}

function drawPoints() {
  const f = $("pointFilter").value.toLowerCase();
  const rows = $("pointRows");
  if (!rows.dataset.built) {
    let html = "";
    catalogue.forEach(d => d.points.forEach(p => {
      html += `<tr data-k="${(d.device + " " + p.name).toLowerCase()}"><td>${d.device}</td><td>+${d.port}</td><td>${d.unit}</td><td>${p.name}</td><td>${p.table}</td><td class="num">${p.address}</td><td class="num">${p.reference}</td><td>${p.type}</td><td class="num">${p.scale}</td><td class="num" data-d="${d.device}" data-p="${p.name}"></td><td>${p.unit}</td><td>${p.writable ? "rw" : "r"}</td></tr>`;
    }));
    rows.innerHTML = html;
    rows.dataset.built = "1";
  }
  for (const tr of rows.rows) {
    tr.style.display = !f || tr.dataset.k.includes(f) ? "" : "none";
    if (tr.style.display === "") {
      const td = tr.cells[9], v = val(td.dataset.d, td.dataset.p);
      td.textContent = v === null ? "invalid" : (v === undefined ? "" : String(v));
    }
  }
}

function onSnapshot(s) {
  snapshot = s;
  $("scenario").textContent = s.scenario;
  $("clock").textContent = s.clock;
  $("speed").textContent = s.speed === 0 ? "paused" : "×" + s.speed;
  $("outdoor").textContent = fmt(byType(T.plant)[0].device, B.outdoorC);
  drawSynoptic();
  drawAlarms();
  if ($("points").classList.contains("on")) drawPoints();
  if (s.exercise) $("exerciseText").textContent = s.exercise;
}

async function instruct(path, body) {
  const headers = { "Content-Type": "application/json" };
  const t = $("token").value;
  if (t) headers["Authorization"] = "Bearer " + t;
  try {
    const r = await fetch(path, { method: "POST", headers: headers, body: JSON.stringify(body) });
    const text = await r.text();
    $("msg").textContent = (r.ok ? "done: " : "refused: ") + path + " " + text;
    $("msg").dataset.status = r.status;
  } catch (e) {
    $("msg").textContent = "the daemon did not answer: " + e;
  }
}

let trend = null;              // the last window fetched: {data, tags}, and the range shown
async function drawTrend() {
  const tags = Array.from($("trendTags").selectedOptions).map(o => o.value);
  $("trendChart").innerHTML = "";
  $("trendLegend").textContent = "";
  if (!tags.length) { $("trendLegend").textContent = "Choose one or more tags."; return; }
  const r = await fetch("/trend?tags=" + encodeURIComponent(tags.join(",")) + "&hours=" + $("trendHours").value);
  const data = await r.json();
  if (!r.ok) { $("trendLegend").textContent = data.error; return; }
  trend = { data: data, tags: tags, from: data.from, to: data.to };
  plotTrend();
}
function plotTrend() {
  const chart = $("trendChart"), data = trend.data, tags = trend.tags, from = trend.from, to = trend.to;
  chart.innerHTML = "";
  // the value held at `from` (the historian keeps a value until it changes), then the samples in the range
  const series = tags.map(t => {
    const pts = data.tags[t].filter(p => p[1] !== null);
    const before = pts.filter(p => p[0] <= from);
    return (before.length ? [[from, before[before.length - 1][1]]] : []).concat(pts.filter(p => p[0] > from && p[0] <= to));
  });
  let lo = Infinity, hi = -Infinity;
  series.forEach(s => s.forEach(p => { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }));
  if (lo === Infinity) { $("trendLegend").textContent = "No sample in this window."; return; }
  if (hi - lo < 1e-9) { hi += 1; lo -= 1; }
  const W = 1000, H = 340, L = 60, B = 30, T = 10, R = 10;
  const X = t => L + (t - from) / (to - from) * (W - L - R);
  const Y = v => T + (hi - v) / (hi - lo) * (H - T - B);
  svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "#fff", stroke: "#99a" }, chart);
  for (let k = 0; k <= 4; k++) {
    const v = lo + (hi - lo) * k / 4;
    svg("text", { x: L - 4, y: Y(v) + 4, "text-anchor": "end" }, chart, v.toFixed(1));
    svg("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), stroke: "#eee" }, chart);
  }
  for (let k = 0; k <= 4; k++) {
    const t = from + (to - from) * k / 4;
    svg("text", { x: X(t), y: H - 10, "text-anchor": "middle" }, chart, "−" + ((data.to - t) / 3600).toFixed(2) + " h");
  }
  const colours = ["#e53935", "#1e88e5", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#3949ab"];
  series.forEach((pts, i) => {
    // held between samples (a step, not a slope): what the value was until it changed
    let d = "", last = null;
    pts.forEach(p => {
      d += (d ? ` L${X(p[0]).toFixed(1)} ${Y(last).toFixed(1)} L` : "M") + X(p[0]).toFixed(1) + " " + Y(p[1]).toFixed(1);
      last = p[1];
    });
    if (last !== null) d += ` L${X(to).toFixed(1)} ${Y(last).toFixed(1)}`;
    svg("path", { d: d, fill: "none", stroke: colours[i % colours.length], "stroke-width": 1.5, class: "trend-line", "data-tag": tags[i], "data-points": pts.length }, chart);
  });
  $("trendLegend").innerHTML = tags.map((t, i) => `<span style="color:${colours[i % colours.length]}">■ ${t}</span>`).join(" &nbsp; ");
  trend.X = X; trend.L = L; trend.R = R; trend.W = W;
}
function zoomable() {
  const chart = $("trendChart");
  let x0 = null, band = null;
  const tAt = (ev) => {
    const box = chart.getBoundingClientRect(), x = (ev.clientX - box.left) * 1000 / box.width;
    return trend.from + (Math.max(trend.L, Math.min(trend.W - trend.R, x)) - trend.L) / (trend.W - trend.L - trend.R) * (trend.to - trend.from);
  };
  chart.onmousedown = (ev) => { if (!trend) return; x0 = tAt(ev); band = svg("rect", { y: 10, height: 300, fill: "rgba(75,121,216,0.2)", x: trend.X(x0), width: 0 }, chart); };
  chart.onmousemove = (ev) => { if (x0 === null) return; const t = tAt(ev); band.setAttribute("x", trend.X(Math.min(x0, t))); band.setAttribute("width", Math.abs(trend.X(t) - trend.X(x0))); };
  chart.onmouseup = (ev) => {
    if (x0 === null) return;
    const t = tAt(ev), a = Math.min(x0, t), b = Math.max(x0, t);
    x0 = null;
    if (b - a > 1) { trend.from = a; trend.to = b; }
    plotTrend();
  };
  chart.ondblclick = () => { if (!trend) return; trend.from = trend.data.from; trend.to = trend.data.to; plotTrend(); };
}

async function loadHistory() {
  const r = await fetch("/alarms/history?hours=" + $("historyHours").value);
  const items = await r.json();
  const rows = $("historyRows");
  rows.innerHTML = "";
  if (!r.ok) { rows.innerHTML = `<tr><td colspan="4">${items.error}</td></tr>`; return; }
  items.forEach(e => {
    const tr = document.createElement("tr");
    const h = Math.floor(e.t / 3600), m = Math.floor(e.t % 3600 / 60), s = Math.floor(e.t % 60);
    tr.innerHTML = `<td class="num">${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}</td><td>${e.id}</td><td>${e.state}</td><td>${e.text}</td>`;
    rows.appendChild(tr);
  });
  if (!items.length) rows.innerHTML = `<tr><td colspan="4">No transition in this window.</td></tr>`;
}

async function start() {
  document.querySelectorAll("nav button").forEach(b => b.onclick = () => {
    document.querySelectorAll("nav button").forEach(x => x.classList.toggle("on", x === b));
    document.querySelectorAll("section").forEach(s => s.classList.toggle("on", s.id === b.dataset.tab));
    if (b.dataset.tab === "points" && snapshot) drawPoints();
  });
  const served = await (await fetch("/points")).json();
  catalogue = served.devices; B = served.bindings; T = served.types;
  catalogue.forEach(d => { units[d.device] = {}; d.points.forEach(p => units[d.device][p.name] = p.unit); });
  buildSynoptic();
  byType(T.boiler).concat(byType(T.gas)).forEach(b => $("faultBoiler").add(new Option(b.device, b.device)));
  byType(T.substation).forEach(d => $("faultBuilding").add(new Option(d.device, d.device)));
  const tags = await (await fetch("/trend/tags")).json();
  tags.forEach(t => $("trendTags").add(new Option(t.name + (t.unit ? " (" + t.unit + ")" : ""), t.name)));
  const boiler = () => $("faultBoiler").value;
  const gasSelected = () => byType(T.gas).some(b => b.device === boiler());
  $("injectBoiler").onclick = () => instruct("/faults", gasSelected() ? { kind: "gasLockout", boiler: boiler() } : { kind: "boilerFault", boiler: boiler(), fault: $("faultName").value });
  $("resetBoiler").onclick = () => instruct("/faults/clear", gasSelected() ? { kind: "gasLockout", boiler: boiler() } : { kind: "boilerFault", boiler: boiler() });
  $("outBoiler").onclick = () => instruct("/faults", { kind: "boilerOut", boiler: boiler() });
  $("inBoiler").onclick = () => instruct("/faults/clear", { kind: "boilerOut", boiler: boiler() });
  $("injectBuilding").onclick = () => instruct("/faults", { kind: $("faultKind").value, building: $("faultBuilding").value });
  $("clearBuilding").onclick = () => instruct("/faults/clear", { kind: $("faultKind").value, building: $("faultBuilding").value });
  $("pumpFault").onclick = () => instruct("/faults", { kind: "networkPumpFault" });
  $("pumpClear").onclick = () => instruct("/faults/clear", { kind: "networkPumpFault" });
  $("bufferFault").onclick = () => instruct("/faults", { kind: "bufferSensor" });
  $("bufferClear").onclick = () => instruct("/faults/clear", { kind: "bufferSensor" });
  $("leakOn").onclick = () => instruct("/faults", { kind: "leak", m3PerH: Number($("leak").value) });
  $("leakOff").onclick = () => instruct("/faults/clear", { kind: "leak" });
  $("outdoorFail").onclick = () => instruct("/faults", { kind: "outdoorSensor", mode: "failed" });
  $("outdoorClear").onclick = () => instruct("/faults/clear", { kind: "outdoorSensor" });
  $("setSpeed").onclick = () => instruct("/speed", { speed: Number($("speedValue").value) });
  $("pause").onclick = () => instruct("/speed", { speed: 0 });
  $("resume").onclick = () => instruct("/speed", { speed: 1 });
  $("hold").onclick = () => instruct("/outdoor", { C: Number($("holdC").value) });
  $("release").onclick = () => instruct("/outdoor", { release: 1 });
  $("deliver").onclick = () => instruct("/deliver", { trucks: Number($("trucks").value) });
  $("ackAll").onclick = () => instruct("/alarms/ack", {});
  $("drawTrend").onclick = drawTrend;
  zoomable();
  $("loadHistory").onclick = loadHistory;
  $("pointFilter").oninput = drawPoints;
  // A browser keeps at most 6 connections to one server, and each open stream holds one: a
  // hidden tab closes its stream (and opens it again when shown), so a seventh tab still loads.
  let es = null;
  const connect = () => {
    es = new EventSource("/live");
    es.onmessage = (e) => { $("link").textContent = "live"; onSnapshot(JSON.parse(e.data)); };
    es.onerror = () => { $("link").textContent = "reconnecting…"; };
  };
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) { if (es) { es.close(); es = null; $("link").textContent = "paused (tab hidden)"; } }
    else if (!es) connect();
  });
  if (!document.hidden) connect();
}
start();
"""#
}
