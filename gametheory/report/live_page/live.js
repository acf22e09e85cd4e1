// The live seminar page: move an assumption, see the equilibria answer.
//
// Everything the page knows comes from two places written by `gametheory app`:
//   * MODEL (the JSON above): players, strategies, parameters with their thresholds, presets,
//     the structure of each equilibrium family, the game tree;
//   * the generated functions above: payoffCells(p), and when closed forms exist
//     radicands(p) and familyValues(p, W), for trees treeValues(p); p is {name: number}.
// The page evaluates them exactly as gametheory's numpy engine does (sensitivity/engine.py):
// a family holds where its smallest existence condition exceeds the tolerance; a point where a
// condition is within the tolerance of zero is a boundary and is flagged, never shown as exact.
"use strict";

const MODEL = JSON.parse(document.getElementById("model").textContent);
const PLAYERS = MODEL.players;
const STRATS = MODEL.strategies;
const N = PLAYERS.length;
const SHAPE = MODEL.cellShape; // [rows (players, then observers), strategies of player 0, 1, ...]
const TOL = MODEL.tolerance * MODEL.scale;
const PARAMS = MODEL.parameters;
const DEFAULTS = Object.fromEntries(PARAMS.map((q) => [q.name, q.default]));
// Backward induction move by move is valid on trees of perfect information only.
const HAS_BI = Boolean(MODEL.tree && MODEL.tree.perfectInformation);
// Okabe-Ito: distinguishable with every common colour-vision deficiency.
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const BOUNDARY_COLOUR = "#9a9a9a";

let values = Object.assign({}, DEFAULTS);
const colourOf = new Map(); // regime label -> colour, stable for the life of the page
let mapImage = null; // an offscreen canvas: the map for the current values of the parameters not on its axes
let mapKey = "";

// ------------------------------------------------------------------ numbers as text
// Fractions where the value is simple (denominator up to 64), decimals otherwise.
function fmt(x) {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) < 1e-12) return "0";
  for (let q = 1; q <= 64; q++) {
    const p = Math.round(x * q);
    if (Math.abs(x - p / q) <= 1e-9 * Math.max(1, Math.abs(x))) return q === 1 ? String(p) : `${p}/${q}`;
  }
  return String(Number(x.toPrecision(4)));
}

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// ------------------------------------------------------------------ payoff arithmetic
// Cells are a flat array in C order over [row, s_0, ..., s_{N-1}].
function cellIndex(row, profile) {
  let k = row;
  for (let i = 0; i < N; i++) k = k * SHAPE[i + 1] + profile[i];
  return k;
}

// Every pure profile of the players other than `skip` (or of all players when skip < 0).
function* profiles(skip) {
  const idx = new Array(N).fill(0);
  while (true) {
    yield idx.slice();
    let i = N - 1;
    for (; i >= 0; i--) {
      if (i === skip) continue;
      if (++idx[i] < STRATS[i].length) break;
      idx[i] = 0;
    }
    if (i < 0) return;
  }
}

// Expected payoff of row `row` when player `who` plays `action` (or mixes too when action < 0).
function expected(cells, row, sigma, who, action) {
  let total = 0;
  for (const prof of profiles(action >= 0 ? who : -1)) {
    let w = 1;
    for (let j = 0; j < N; j++) {
      if (j === who && action >= 0) continue;
      w *= sigma[j][prof[j]];
      if (w === 0) break;
    }
    if (w === 0) continue;
    if (action >= 0) prof[who] = action;
    total += w * cells[cellIndex(row, prof)];
  }
  return total;
}

function payoffsOf(cells, sigma) {
  return Array.from({ length: SHAPE[0] }, (_, row) => expected(cells, row, sigma, 0, -1));
}

// ------------------------------------------------------------------ closed forms (as engine.py)
function familyProfile(fam, out) {
  const sigma = STRATS.map((s) => new Array(s.length).fill(0));
  fam.support.forEach((sup, i) => { if (sup.length === 1) sigma[i][sup[0]] = 1; });
  for (const [i, a, k] of fam.probabilities) sigma[i][a] = out[k];
  return sigma;
}

// The family's margin (smallest condition) and whether any condition is NaN.
function familyMargin(fam, out, cells) {
  const vals = fam.conditions.map((k) => out[k]);
  if (fam.numericBestResponses) {
    // payoff from the support minus payoff of each strategy outside it (engine._best_response_values)
    const sigma = familyProfile(fam, out);
    fam.support.forEach((sup, i) => {
      const own = expected(cells, i, sigma, i, sup[0]);
      for (let j = 0; j < STRATS[i].length; j++) if (!sup.includes(j)) vals.push(own - expected(cells, i, sigma, i, j));
    });
  }
  let margin = Infinity, nan = false;
  for (const v of vals) { if (Number.isNaN(v)) nan = true; else margin = Math.min(margin, v); }
  if (nan && margin === Infinity) margin = NaN;
  return { margin, nan, sigma: null };
}

function closedForms(p) {
  const W = radicands(p, []).map(Math.sqrt);
  const out = familyValues(p, W);
  const cells = payoffCells(p, []);
  const holds = [];
  const reasons = [];
  MODEL.families.forEach((fam, f) => {
    const { margin, nan } = familyMargin(fam, out, cells);
    if (margin > TOL && !nan) holds.push(f);
    if (Math.abs(margin) <= TOL) reasons.push(`${fam.label} is at the edge of its region`);
  });
  for (const group of MODEL.degenerate) {
    if (group.every((k) => Math.abs(out[k]) <= TOL)) reasons.push("a payoff tie makes the game degenerate here");
  }
  MODEL.families.forEach((fam, f) => {
    if (fam.singular.some((k) => !Number.isFinite(out[k]) || Math.abs(out[k]) <= TOL) && nearHolds(fam, p)) {
      reasons.push(`the closed form of ${fam.label} is singular here`);
    }
  });
  const eqs = holds
    .sort((a, b) => MODEL.families[a].rank - MODEL.families[b].rank)
    .map((f) => {
      const fam = MODEL.families[f];
      const sigma = familyProfile(fam, out);
      return { label: fam.label, sigma, payoffs: payoffsOf(cells, sigma), pure: fam.support.every((s) => s.length === 1) };
    });
  return { cells, equilibria: eqs, boundary: reasons.length > 0, reasons };
}

// Beside a singular point: does the family hold (or come close) one small step away along any axis?
function nearHolds(fam, p) {
  for (const q of PARAMS) {
    for (const sign of [-1, 1]) {
      const moved = Object.assign({}, p);
      moved[q.name] += sign * 1e-6 * Math.max(1, Math.abs(p[q.name]));
      const W = radicands(moved, []).map(Math.sqrt);
      const { margin, nan } = familyMargin(fam, familyValues(moved, W), payoffCells(moved, []));
      if (margin > -TOL * 1e3 || nan || Number.isNaN(margin)) return true;
    }
  }
  return false;
}

// ------------------------------------------------------------------ pure equilibria (no closed forms)
// A cell is an equilibrium when no player gains more than the tolerance by deviating; a deviation
// within the tolerance that is not the same payoff expression is a tie: a boundary.
function pureEquilibria(p) {
  const cells = payoffCells(p, []);
  const same = MODEL.sameCell || null;
  const eqs = [];
  const reasons = [];
  for (const prof of profiles(-1)) {
    let ok = true, tie = false;
    for (let i = 0; i < N && ok; i++) {
      const here = cellIndex(i, prof);
      for (let j = 0; j < STRATS[i].length; j++) {
        if (j === prof[i]) continue;
        const dev = prof.slice(); dev[i] = j;
        const there = cellIndex(i, dev);
        const gain = cells[there] - cells[here];
        if (gain > TOL) { ok = false; break; }
        if (gain >= -TOL && !(same && same[there] === same[here])) tie = true;
      }
    }
    if (!ok) continue;
    const sigma = STRATS.map((s, i) => s.map((_, a) => (a === prof[i] ? 1 : 0)));
    eqs.push({ label: `pure(${prof.map((a, i) => STRATS[i][a]).join(",")})`, sigma, payoffs: payoffsOf(cells, sigma), pure: true, profile: prof });
    if (tie) reasons.push(`a payoff tie at pure(${prof.map((a, i) => STRATS[i][a]).join(",")})`);
  }
  return { cells, equilibria: eqs, boundary: reasons.length > 0, reasons };
}

// ------------------------------------------------------------------ trees: backward induction
function backwardInduction(p) {
  const tree = MODEL.tree;
  const vals = treeValues(p, []);
  const value = new Array(tree.nodes.length);
  const choice = new Array(tree.nodes.length).fill(null);
  const chance = {};
  const ties = [];
  for (let n = tree.nodes.length - 1; n >= 0; n--) { // preorder: children come after their parent
    const node = tree.nodes[n];
    if (node.kind === "terminal") { value[n] = node.payoffs.map((k) => vals[k]); continue; }
    if (node.kind === "chance") {
      const probs = node.probabilities.map((k) => vals[k]);
      chance[n] = probs;
      value[n] = value[node.children[0]].map((_, r) => node.children.reduce((s, c, a) => s + probs[a] * value[c][r], 0));
      continue;
    }
    let best = 0;
    node.children.forEach((c, a) => { if (value[c][node.player] > value[node.children[best]][node.player]) best = a; });
    node.children.forEach((c, a) => {
      if (a !== best && Math.abs(value[c][node.player] - value[node.children[best]][node.player]) <= TOL) ties.push(node.where);
    });
    choice[n] = best;
    value[n] = value[node.children[best]];
  }
  const path = [];
  let n = 0;
  while (tree.nodes[n].kind === "decision") { path.push(n); n = tree.nodes[n].children[choice[n]]; }
  const label = path.map((k) => tree.nodes[k].actions[choice[k]]).join(">") + (tree.nodes[n].kind === "chance" ? ">chance" : "");
  return { value, choice, chance, path, ties, label };
}

// Moves a pure profile of plans makes that backward induction would not (its non-credible moves).
function incredibleMoves(prof, bi) {
  const tree = MODEL.tree;
  const out = [];
  tree.nodes.forEach((node, n) => {
    if (node.kind !== "decision") return;
    const plan = tree.plans[node.player][prof[node.player]];
    const a = plan[tree.infosetPosition[node.infoset]];
    if (a !== null && a !== bi.choice[n]) out.push(`${PLAYERS[node.player]} ${node.actions[a]} ${node.where}`);
  });
  return out;
}

// ------------------------------------------------------------------ the answer at a point
function answer(p) {
  const res = MODEL.mode === "closed" ? closedForms(p) : pureEquilibria(p);
  if (HAS_BI) {
    res.bi = backwardInduction(p);
    if (res.bi.ties.length) { res.boundary = true; res.reasons.push(`a tie in backward induction ${res.bi.ties[0]}`); }
    for (const eq of res.equilibria) eq.incredible = incredibleMoves(eq.profile, res.bi);
  }
  markSelection(res);
  res.regime = regimeLabel(res.equilibria);
  return res;
}

// Strict (every deviation strictly worse) and payoff-dominant (as good for all, better for someone, than every other).
function markSelection(res) {
  for (const eq of res.equilibria) {
    eq.strict = eq.pure && eq.sigma.every((s, i) => s.every((w, j) => {
      if (w === 1) return true;
      const prof = eq.sigma.map((t) => t.indexOf(1));
      const dev = prof.slice(); dev[i] = j;
      return res.cells[cellIndex(i, dev)] < res.cells[cellIndex(i, prof)] - TOL;
    }));
  }
  res.equilibria.forEach((eq) => {
    eq.payoffDominant = res.equilibria.length > 1 && res.equilibria.every((o) => o === eq ||
      (eq.payoffs.slice(0, N).every((v, i) => v >= o.payoffs[i] - TOL) && eq.payoffs.slice(0, N).some((v, i) => v > o.payoffs[i] + TOL)));
  });
}

// A regime label for people: each family's text from MODEL.display (the scenario's names, else one notation,
// as report/names.py writes them), families separated by "; "; a label with an unknown part is shown as it is.
const DISPLAY = MODEL.display || {};
function shownRegime(label) {
  if (!label) return label;
  if (label === "none") return "no equilibrium";
  const parts = label.split(" + ").map((part) => {
    const m = /^(\d+)\*(.*)$/.exec(part);
    const text = DISPLAY[m ? m[2] : part];
    return text === undefined ? null : (m ? `${m[1]} x ${text}` : text);
  });
  return parts.includes(null) ? label : parts.join("; ");
}

// The regime label of sensitivity/labels.py: families in canonical order, repeats as k*label.
function regimeLabel(eqs) {
  if (!eqs.length) return "none";
  const parts = [];
  for (const eq of eqs) {
    const last = parts[parts.length - 1];
    if (last && last.label === eq.label) last.k += 1; else parts.push({ label: eq.label, k: 1 });
  }
  return parts.map((x) => (x.k === 1 ? x.label : `${x.k}*${x.label}`)).join(" + ");
}

function mapLabel(p) {
  if (HAS_BI) {
    const bi = backwardInduction(p);
    return bi.ties.length ? null : `subgame perfect: ${bi.label}`;
  }
  const res = MODEL.mode === "closed" ? closedForms(p) : pureEquilibria(p);
  return res.boundary ? null : regimeLabel(res.equilibria);
}

// ------------------------------------------------------------------ controls
function step(q) {
  const span = q.high - q.low;
  return span <= 2 ? 0.01 : span <= 20 ? 0.05 : 0.1;
}

function buildControls() {
  const box = document.getElementById("sliders");
  for (const q of PARAMS) {
    const div = document.createElement("div");
    div.className = "param";
    div.id = `param-${q.name}`;
    for (const t of q.thresholds) t.text = t.exact === null ? `≈${fmt(t.value)}` : t.exact; // ≈: located by the solver's scan
    const unit = q.unit ? ` (${esc(q.unit)})` : "";
    const range = q.declared ? `range ${fmt(q.low)} to ${fmt(q.high)}` : "no declared range";
    div.innerHTML = `
      <label for="range-${q.name}"><span class="name">${esc(q.name)}${unit}</span><span class="hint">default ${fmt(q.default)}, ${range}</span></label>
      <div class="desc" title="${esc(q.description)}">${esc(q.description)}${q.source ? ` <i>Source: ${esc(q.source)}</i>` : ""}</div>
      <div class="row">
        <input type="range" id="range-${q.name}" min="${q.low}" max="${q.high}" step="${step(q)}" value="${q.default}" aria-describedby="marks-${q.name}">
        <input type="number" id="num-${q.name}" step="any" value="${q.default}" aria-label="${esc(q.name)} value">
      </div>
      <div class="track" aria-hidden="true"></div>
      <details class="marks" id="marks-${q.name}"><summary></summary><p class="hint"></p><ul></ul></details>`;
    box.appendChild(div);
    showMarks(q, q.thresholds, false);
    div.addEventListener("focusin", () => renderMarks(q));
    div.querySelector(`#range-${q.name}`).addEventListener("input", (e) => setValue(q.name, Number(e.target.value)));
    div.querySelector(`#num-${q.name}`).addEventListener("change", (e) => {
      const v = Number(e.target.value);
      if (Number.isFinite(v)) setValue(q.name, v);
    });
  }
  const presets = document.getElementById("presets");
  const reset = document.createElement("button");
  reset.type = "button"; reset.textContent = "Reset to defaults"; reset.id = "reset";
  reset.addEventListener("click", () => setAll(DEFAULTS));
  presets.appendChild(reset);
  for (const pre of MODEL.presets) {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = `Preset: ${pre.name}`; b.title = pre.description;
    b.addEventListener("click", () => setAll(Object.assign({}, DEFAULTS, pre.values)));
    presets.appendChild(b);
  }
  for (const id of ["map-x", "map-y"]) {
    const sel = document.getElementById(id);
    for (const q of PARAMS) sel.add(new Option(q.name, q.name));
    sel.addEventListener("change", () => { mapKey = ""; update(); });
  }
  if (PARAMS.length >= 2) {
    document.getElementById("map-x").value = MODEL.mapAxes[0];
    document.getElementById("map-y").value = MODEL.mapAxes[1];
  }
  const canvas = document.getElementById("map");
  canvas.addEventListener("click", (e) => {
    const r = canvas.getBoundingClientRect();
    mapSet((e.clientX - r.left) / r.width, 1 - (e.clientY - r.top) / r.height);
  });
  canvas.addEventListener("keydown", (e) => { // arrows move the crosshair by 1/50 of each axis
    if (PARAMS.length < 2) return;
    const dx = { ArrowLeft: -1, ArrowRight: 1 }[e.key] || 0, dy = { ArrowDown: -1, ArrowUp: 1 }[e.key] || 0;
    if (!dx && !dy) return;
    e.preventDefault();
    const [qx, qy] = mapAxes();
    mapSet((values[qx.name] - qx.low) / (qx.high - qx.low) + dx / 50, (values[qy.name] - qy.low) / (qy.high - qy.low) + dy / 50);
  });
  document.getElementById("pin").addEventListener("click", pin);
  document.getElementById("export-map").addEventListener("click", () => canvas.toBlob((b) => download(b, "regime-map.png")));
  document.getElementById("export-table").addEventListener("click", exportTable);
  window.addEventListener("hashchange", () => setAll(readHash()));
}

// ------------------------------------------------------------------ thresholds on the tracks
// The exact thresholds (gametheory's threshold search, the other parameters at their defaults) are drawn
// while the other parameters are at their defaults. Once one has moved, the thresholds of the slider in
// use are located on the page instead: the regime is evaluated at 200 points across the slider and each
// change bisected; those are approximate and marked ≈.
function showMarks(q, list, live) {
  const details = document.getElementById(`marks-${q.name}`);
  const track = details.previousElementSibling;
  details.hidden = list.length === 0 && !live;
  details.classList.toggle("live", live);
  details.querySelector("summary").textContent = list.length
    ? `${list.length === 1 ? "threshold" : "thresholds"} at ${list.map((t) => t.text).join(", ")}${live ? " (at the current values)" : ""}`
    : "no threshold at the current values";
  details.querySelector(".hint").textContent = live
    ? "Located on the page for the current values of the other parameters (≈: approximate)."
    : "Found exactly by gametheory's threshold search, the other parameters at their defaults.";
  track.innerHTML = "";
  const ul = details.querySelector("ul");
  ul.innerHTML = "";
  for (const t of list) {
    if (t.value >= q.low && t.value <= q.high) { // a parameter without a declared range may have some beyond the slider
      const tick = document.createElement("span");
      tick.className = `tick ${t.kind}${live ? " live" : ""}`;
      tick.style.left = `${(100 * (t.value - q.low)) / (q.high - q.low)}%`;
      tick.title = `${q.name} = ${t.text}`;
      track.appendChild(tick);
    }
    const li = document.createElement("li");
    const what = t.kind === "spe" || (t.kind === "live" && HAS_BI) ? "subgame-perfect outcome" : "equilibria";
    const rel = t.relation ? ` = ${esc(t.relation)}` : "";
    li.innerHTML = `<b>${esc(q.name)} = ${esc(t.text)}</b>${rel}: ${what} ${esc(shownRegime(t.below))} below, ${esc(shownRegime(t.above))} above`;
    ul.appendChild(li);
  }
}

const liveMarks = new Map(); // parameter -> {key, list}

function renderMarks(q) {
  const others = PARAMS.filter((o) => o !== q && values[o.name] !== o.default);
  const details = document.getElementById(`marks-${q.name}`);
  if (!others.length) {
    if (details.classList.contains("live") || details.classList.contains("stale")) showMarks(q, q.thresholds, false);
    details.classList.remove("stale");
    return;
  }
  const focused = document.getElementById(`param-${q.name}`).contains(document.activeElement);
  if (!focused) { details.classList.add("stale"); return; }
  const key = JSON.stringify(PARAMS.filter((o) => o !== q).map((o) => values[o.name]));
  let found = liveMarks.get(q.name);
  if (!found || found.key !== key) { found = { key, list: locateThresholds(q) }; liveMarks.set(q.name, found); }
  details.classList.remove("stale");
  showMarks(q, found.list, true);
}

function locateThresholds(q) {
  const p = Object.assign({}, values);
  const at = (x) => { p[q.name] = x; return mapLabel(p); };
  const out = [];
  const points = 200;
  let lastX = null, lastLabel = null;
  for (let k = 0; k <= points; k++) {
    const x = q.low + ((q.high - q.low) * k) / points;
    const label = at(x);
    if (label === null) continue; // a boundary point: the bisection below finds where it sits
    if (lastLabel !== null && label !== lastLabel) {
      let lo = lastX, hi = x;
      for (let i = 0; i < 50 && hi - lo > 1e-10 * (q.high - q.low); i++) {
        const mid = (lo + hi) / 2;
        if (at(mid) === lastLabel) lo = mid; else hi = mid;
      }
      const value = (lo + hi) / 2;
      out.push({ value, text: `≈${fmt(value)}`, below: lastLabel, above: label, relation: null, kind: "live" });
    }
    lastX = x; lastLabel = label;
  }
  return out;
}

function mapAxes() {
  const byName = Object.fromEntries(PARAMS.map((q) => [q.name, q]));
  return [byName[document.getElementById("map-x").value], byName[document.getElementById("map-y").value]];
}

function mapSet(fx, fy) {
  const [qx, qy] = mapAxes();
  const clamp = (f) => Math.min(1, Math.max(0, f));
  const snap = (q, f) => { const s = step(q); return Number((Math.round((q.low + clamp(f) * (q.high - q.low)) / s) * s).toFixed(6)); };
  const next = Object.assign({}, values);
  next[qx.name] = snap(qx, fx);
  next[qy.name] = snap(qy, fy);
  setAll(next);
}

function setValue(name, v) { values[name] = v; update(); }
function setAll(next) { values = Object.assign({}, DEFAULTS, next); update(); }

// ------------------------------------------------------------------ URL state
function readHash() {
  const out = Object.assign({}, DEFAULTS);
  const unknown = [];
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const [k, v] = part.split("=").map(decodeURIComponent);
    if (k === "map") {
      const [x, y] = (v || "").split(",");
      if (x in DEFAULTS) document.getElementById("map-x").value = x;
      if (y in DEFAULTS) document.getElementById("map-y").value = y;
    } else if (k in DEFAULTS && v !== undefined && v !== "" && Number.isFinite(Number(v))) out[k] = Number(v);
    else unknown.push(k);
  }
  readHash.unknown = unknown;
  return out;
}

function writeHash() {
  const parts = PARAMS.filter((q) => values[q.name] !== q.default).map((q) => `${q.name}=${values[q.name]}`);
  const [qx, qy] = PARAMS.length >= 2 ? mapAxes() : [];
  if (PARAMS.length >= 2 && (qx.name !== MODEL.mapAxes[0] || qy.name !== MODEL.mapAxes[1])) parts.push(`map=${qx.name},${qy.name}`);
  const hash = parts.length ? `#${parts.join("&")}` : "";
  if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname + location.search);
}

// ------------------------------------------------------------------ rendering
function probText(eq) {
  return eq.sigma.map((s, i) => {
    const used = s.map((w, a) => [w, a]).filter(([w]) => w > 0);
    const body = used.length === 1 ? STRATS[i][used[0][1]] : used.map(([w, a]) => `${STRATS[i][a]} ${fmt(w)}`).join(", ");
    return `${esc(PLAYERS[i])} ${esc(body)}`;
  }).join("; ");
}

function renderEquilibria(res) {
  const ul = document.getElementById("equilibria");
  ul.innerHTML = "";
  res.equilibria.forEach((eq, k) => {
    const li = document.createElement("li");
    const probs = Object.fromEntries(PLAYERS.map((pl, i) => [pl, Object.fromEntries(STRATS[i].map((s, a) => [s, eq.sigma[i][a]]))]));
    li.dataset.probabilities = JSON.stringify(probs);
    li.dataset.label = eq.label;
    li.dataset.exact = String(!res.boundary);
    if (eq.incredible) li.dataset.subgamePerfect = String(eq.incredible.length === 0);
    li.dataset.strict = String(eq.strict);
    li.dataset.payoffDominant = String(eq.payoffDominant);
    if (res.boundary) li.className = "not-exact";
    const tags = [eq.pure ? "pure" : "mixed"];
    if (eq.strict) tags.push("strict");
    if (eq.payoffDominant) tags.push("payoff-dominant");
    if (eq.incredible) tags.push(eq.incredible.length ? `not subgame perfect (would not be made once reached: ${eq.incredible.join("; ")})` : "subgame perfect");
    const pay = eq.payoffs.map((v, r) => `${esc(r < N ? PLAYERS[r] : MODEL.observers[r - N])}: ${fmt(v)}`).join(", ");
    li.innerHTML = `<b>${k + 1}. ${probText(eq)}</b><br>payoffs ${pay}<br><span class="tags">${esc(shownRegime(eq.label))} · ${esc(tags.join(" · "))}</span>`;
    ul.appendChild(li);
  });
  const status = document.getElementById("status");
  status.className = res.boundary ? "status boundary" : "status";
  status.dataset.boundary = String(res.boundary);
  if (res.bi) status.dataset.spe = res.bi.label;
  const noun = res.equilibria.length === 1 ? "equilibrium" : "equilibria";
  const count = `${res.equilibria.length} ${MODEL.mode === "closed" ? noun : `pure ${noun}`}`;
  const spe = res.bi ? `; subgame-perfect outcome: ${res.bi.label}` : "";
  status.textContent = res.boundary
    ? `At a threshold (${res.reasons[0]}): the list below holds on neither side exactly; solve this point exactly with: ${command()}`
    : `${count}${spe}${MODEL.mode === "closed" ? "" : " (mixed equilibria are not computed on this page)"}.`;
  document.getElementById("regime").textContent = `Regime: ${shownRegime(res.regime) || "no equilibrium"}`;
}

function command() {
  const sets = PARAMS.filter((q) => values[q.name] !== q.default).map((q) => ` --set ${q.name}=${values[q.name]}`).join("");
  return `gametheory solve ${MODEL.file || "FILE"}${sets}`;
}

function renderPayoffs(res) {
  const box = document.getElementById("payoffs");
  const eqCells = new Set(res.equilibria.filter((e) => e.pure).map((e) => e.sigma.map((s) => s.indexOf(1)).join(",")));
  const rows = STRATS[0], cols = N > 1 ? STRATS[1] : [""];
  const rest = [];
  for (const prof of profiles(-1)) if (prof[0] === 0 && (N < 2 || prof[1] === 0)) rest.push(prof);
  let html = "";
  for (const base of rest) {
    const others = base.slice(2).map((a, j) => `${PLAYERS[j + 2]} plays ${STRATS[j + 2][a]}`).join(", ");
    html += `<table><caption>${esc(PLAYERS.slice(0, SHAPE[0]).join(", "))}${others ? ` when ${esc(others)}` : ""}</caption>`;
    html += `<tr><th>${esc(PLAYERS[0])} \\ ${esc(PLAYERS[1] || "")}</th>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
    rows.forEach((r, a) => {
      html += `<tr><th>${esc(r)}</th>`;
      cols.forEach((_, b) => {
        const prof = base.slice(); prof[0] = a; if (N > 1) prof[1] = b;
        const parts = [];
        for (let row = 0; row < SHAPE[0]; row++) {
          const v = res.cells[cellIndex(row, prof)];
          const best = row < N && isBest(res.cells, row, prof);
          parts.push(best ? `<span class="best">${fmt(v)}*</span>` : fmt(v));
        }
        const eq = eqCells.has(prof.join(","));
        html += `<td class="${eq ? "eq" : ""}">${parts.join(", ")}</td>`;
      });
      html += "</tr>";
    });
    html += "</table>";
  }
  box.innerHTML = html;
}

function isBest(cells, i, prof) {
  const here = cells[cellIndex(i, prof)];
  for (let j = 0; j < STRATS[i].length; j++) {
    const dev = prof.slice(); dev[i] = j;
    if (cells[cellIndex(i, dev)] > here + TOL) return false;
  }
  return true;
}

function renderTree(res) {
  const box = document.getElementById("tree-view");
  if (!HAS_BI) { box.innerHTML = ""; return; }
  const tree = MODEL.tree, bi = res.bi;
  const onPath = new Set(bi.path);
  // each move that backward induction would not make, with the listed equilibria that prescribe it
  const threats = new Map();
  res.equilibria.forEach((e, k) => (e.incredible || []).forEach((t) => threats.set(t, [...(threats.get(t) || []), k + 1])));
  function node(n) {
    const nd = tree.nodes[n];
    if (nd.kind === "terminal") return ` (${bi.value[n].map(fmt).join(", ")})`;
    const who = nd.kind === "chance" ? "chance" : PLAYERS[nd.player];
    const items = nd.children.map((c, a) => {
      const chosen = nd.kind === "decision" && bi.choice[n] === a;
      const threat = nd.kind === "decision" ? threats.get(`${PLAYERS[nd.player]} ${nd.actions[a]} ${nd.where}`) : null;
      const cls = [chosen ? "chosen" : "", threat ? "threat" : ""].join(" ");
      const note = threat ? ` ✗ not made once reached, yet equilibri${threat.length === 1 ? "um" : "a"} ${threat.join(", ")} prescribe${threat.length === 1 ? "s" : ""} it` : "";
      const prob = nd.kind === "chance" ? ` (${fmt(bi.chance[n][a])})` : "";
      return `<li class="${onPath.has(n) && chosen ? "path" : ""}"><span class="move ${cls}">${chosen ? "⇒ " : ""}${esc(nd.actions[a])}${prob}${esc(note)}</span>${node(c)}</li>`;
    });
    return `: <b>${esc(who)}</b><ul>${items.join("")}</ul>`;
  }
  box.innerHTML = `<h2>Game tree</h2><p class="hint">⇒ marks backward induction (the subgame-perfect moves), highlighted along its path (${esc(bi.label)}); ✗ marks moves that would not be made once reached but that a listed equilibrium prescribes (non-credible threats or promises); ends show the payoffs (${esc(PLAYERS.join(", "))}).</p><div class="tree">start${node(0)}</div>`;
}

function renderExplain(res) {
  const box = document.getElementById("explain");
  box.innerHTML = res.equilibria.slice(0, 6).map((eq, k) => {
    const lines = PLAYERS.map((pl, i) => {
      const u = STRATS[i].map((_, a) => expected(res.cells, i, eq.sigma, i, a));
      const best = Math.max(...u);
      const used = STRATS[i].filter((_, a) => eq.sigma[i][a] > 0);
      const list = STRATS[i].map((s, a) => `${esc(s)} ${fmt(u[a])}`).join(", ");
      const why = used.length > 1
        ? `indifferent between ${esc(used.join(" and "))} (each gives ${fmt(best)}), so mixing is a best response; the others' mix is what makes ${esc(pl)} indifferent`
        : `${esc(used[0])} is a best response (${fmt(best)})`;
      return `${esc(pl)}, against the others' play, expects ${list}: ${why}.`;
    });
    return `<p><b>Equilibrium ${k + 1}.</b> ${lines.join(" ")}</p>`;
  }).join("") + (HAS_BI ? `<p><b>Backward induction.</b> At each decision, starting from the ends, the mover picks the move with the higher payoff; the result is the path ${esc(res.bi.label)}.</p>` : "");
}

// The map is computed a few columns per animation frame, after the answer is on screen, so that a
// slider never waits for it; a newer setting abandons an unfinished map.
let mapJob = null;
const MAP_COLUMNS = 92, MAP_ROWS = 60;

function drawMap() {
  if (PARAMS.length < 2) { document.body.dataset.mapReady = "true"; return; }
  const [qx, qy] = mapAxes();
  const key = JSON.stringify([qx.name, qy.name, PARAMS.filter((q) => q !== qx && q !== qy).map((q) => values[q.name])]);
  if (key !== mapKey) {
    mapKey = key;
    const off = document.createElement("canvas");
    off.width = document.getElementById("map").width; off.height = document.getElementById("map").height;
    if (mapImage && mapJob && mapJob.qx === qx && mapJob.qy === qy) off.getContext("2d").drawImage(mapImage, 0, 0); // old map until redrawn
    mapJob = { key, qx, qy, column: 0, labels: new Set(), off, base: Object.assign({}, values), started: performance.now() };
    document.body.dataset.mapReady = "false";
    requestAnimationFrame(() => mapStep(mapJob));
  }
  paintMap();
}

function mapStep(job) {
  if (job !== mapJob) return;
  const ctx = job.off.getContext("2d");
  const cw = job.off.width / MAP_COLUMNS, ch = job.off.height / MAP_ROWS;
  const p = job.base;
  const t0 = performance.now();
  while (job.column < MAP_COLUMNS && performance.now() - t0 < 10) {
    const a = job.column++;
    p[job.qx.name] = job.qx.low + ((a + 0.5) / MAP_COLUMNS) * (job.qx.high - job.qx.low);
    for (let b = 0; b < MAP_ROWS; b++) {
      p[job.qy.name] = job.qy.low + ((b + 0.5) / MAP_ROWS) * (job.qy.high - job.qy.low);
      const label = mapLabel(p);
      if (label !== null && !colourOf.has(label)) colourOf.set(label, PALETTE[colourOf.size % PALETTE.length]);
      if (label !== null) job.labels.add(label);
      ctx.fillStyle = label === null ? BOUNDARY_COLOUR : colourOf.get(label);
      ctx.fillRect(a * cw, job.off.height - (b + 1) * ch, Math.ceil(cw), Math.ceil(ch));
    }
  }
  mapImage = job.off;
  paintMap();
  if (job.column < MAP_COLUMNS) { requestAnimationFrame(() => mapStep(job)); return; }
  const { qx, qy } = job;
  document.getElementById("legend").innerHTML = [...job.labels].map((l) => `<li><span class="swatch" style="background:${colourOf.get(l)}"></span>${esc(shownRegime(l))}</li>`).join("")
    + `<li><span class="swatch" style="background:${BOUNDARY_COLOUR}"></span>boundary: a threshold or a tie at the cell's centre</li>`;
  document.getElementById("map-caption").textContent = `${qx.name} across (${fmt(qx.low)} to ${fmt(qx.high)}), ${qy.name} up (${fmt(qy.low)} to ${fmt(qy.high)}), `
    + `the other parameters as set; colour: ${HAS_BI ? "the subgame-perfect outcome" : MODEL.mode === "closed" ? "the equilibrium set" : "the set of pure equilibria"} at each cell's centre. Click (or focus and use the arrow keys) to set both.`;
  document.body.dataset.mapMs = (performance.now() - job.started).toFixed(1);
  document.body.dataset.mapReady = "true";
}

// The finished (or partly finished) map and the crosshair at the current values.
function paintMap() {
  const canvas = document.getElementById("map");
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (mapImage) ctx.drawImage(mapImage, 0, 0);
  const [qx, qy] = mapAxes();
  const x = ((values[qx.name] - qx.low) / (qx.high - qx.low)) * canvas.width;
  const y = canvas.height - ((values[qy.name] - qy.low) / (qy.high - qy.low)) * canvas.height;
  ctx.strokeStyle = "#000"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, canvas.height); ctx.moveTo(0, y); ctx.lineTo(canvas.width, y); ctx.stroke();
  ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.stroke();
}

function pin() {
  const box = document.getElementById("pinned");
  const res = answer(values);
  const div = document.createElement("div");
  div.className = "pin";
  const setting = PARAMS.filter((q) => values[q.name] !== q.default).map((q) => `${q.name}=${fmt(values[q.name])}`).join(", ") || "defaults";
  div.innerHTML = `<b>Pinned: ${esc(setting)}</b>${res.boundary ? " (at a threshold)" : ""}<ol>${res.equilibria.map((e) => `<li>${probText(e)}; payoffs ${e.payoffs.slice(0, N).map(fmt).join(", ")}</li>`).join("")}</ol>`;
  box.prepend(div);
  while (box.children.length > 2) box.lastChild.remove();
}

function download(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// The first payoff table as an SVG file (text cells on a grid), for slides.
function exportTable() {
  const table = document.querySelector("#payoffs table");
  if (!table) return;
  const rows = [...table.rows].map((r) => [...r.cells].map((c) => c.textContent));
  const w = 150, h = 28;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w * rows[0].length}" height="${h * (rows.length + 1)}" font-family="sans-serif" font-size="14">`;
  svg += `<text x="4" y="18">${esc(table.caption ? table.caption.textContent : "")}</text>`;
  rows.forEach((r, i) => r.forEach((t, j) => {
    svg += `<rect x="${j * w}" y="${(i + 1) * h}" width="${w}" height="${h}" fill="${i && j ? "#fff" : "#f2f5f8"}" stroke="#888"/>`;
    svg += `<text x="${j * w + 6}" y="${(i + 1) * h + 19}">${esc(t)}</text>`;
  }));
  download(new Blob([svg + "</svg>"], { type: "image/svg+xml" }), "payoffs.svg");
}

function renderControls() {
  for (const q of PARAMS) {
    document.getElementById(`range-${q.name}`).value = values[q.name];
    const num = document.getElementById(`num-${q.name}`);
    if (Number(num.value) !== values[q.name]) num.value = values[q.name];
    document.getElementById(`param-${q.name}`).classList.toggle("changed", values[q.name] !== q.default);
    renderMarks(q);
  }
}

// One change: evaluate, draw everything, record how long it took.
function update() {
  const t0 = performance.now();
  const res = answer(values);
  renderControls();
  renderEquilibria(res);
  renderPayoffs(res);
  renderTree(res);
  renderExplain(res);
  drawMap();
  writeHash();
  const ms = performance.now() - t0;
  document.body.dataset.updateMs = ms.toFixed(2);
  document.getElementById("footer").textContent = `Made by gametheory ${MODEL.version} from ${MODEL.file || "a scenario"}. `
    + `Last update took ${ms.toFixed(1)} ms. Check any point with: ${command()}`;
}

function init() {
  document.getElementById("teaches").textContent = MODEL.teaches || MODEL.description || "";
  const cover = MODEL.mode === "closed"
    ? "Every equilibrium is computed on this page from closed forms (exact formulas in the parameters); at a threshold the page says so instead of guessing."
    : "";
  const fixed = Object.entries(MODEL.fixed).map(([k, v]) => `${k} = ${fmt(v)}`).join(", ");
  const fixedText = fixed ? `Fixed at their defaults (no slider): ${fixed}.` : "";
  document.getElementById("coverage").textContent = [cover, fixedText, ...MODEL.notes].join(" ");
  if (PARAMS.length < 2) document.getElementById("map-block").hidden = true;
  if (!PARAMS.length) document.getElementById("coverage").textContent += " This game has no parameters: nothing to move.";
  buildControls();
  setAll(readHash());
  if (readHash.unknown && readHash.unknown.length) {
    document.getElementById("coverage").textContent += ` Ignored in the link: ${readHash.unknown.join(", ")} (not parameters of this scenario).`;
  }
}

init();
