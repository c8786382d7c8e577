/// The web console's page (`GET /` of `serve --web`): one self-contained document, no asset from
/// the network. It reads `/points` once (the served devices and their points), then the live
/// snapshot from `/live` (server-sent events, 4 a second at most) and draws:
/// - the synoptic (an SVG of the boiler room, the network and every substation, each value with
///   its unit, an invalid reading shown as such);
/// - the alarms with their ISA-18.2 states (unacknowledged blinking), acknowledge one or all;
/// - the instructor's panel: faults injected and cleared, speed and pause, trucks, the outdoor
///   temperature held, all sent as the control API's instructions (recorded, replayable);
/// - trends of historian tags over the last hours; the point browser; the exercise's score.
enum ConsolePage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Chaufferie console</title>
<link rel="icon" href="data:,">
<style>
  body { font: 13px/1.35 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 6px 12px; display: flex; gap: 18px; align-items: center; flex-wrap: wrap; }
  header b { font-size: 15px; }
  nav button { background: #2d3548; color: #fff; border: 0; padding: 5px 10px; cursor: pointer; }
  nav button.on { background: #4b79d8; }
  section { display: none; padding: 10px 12px; }
  section.on { display: block; }
  .invalid { color: #b00; font-style: italic; }
  .card { background: #fff; border: 1px solid #ccd; border-radius: 4px; padding: 6px 8px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; margin-top: 8px; }
  .card h4 { margin: 0 0 4px; font-size: 13px; }
  .card table td { padding: 0 6px 0 0; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  table.list { border-collapse: collapse; background: #fff; }
  table.list th, table.list td { border: 1px solid #dde; padding: 2px 6px; }
  tr.al-unacknowledged td { background: #e53935; color: #fff; animation: blink 1s steps(2, start) infinite; }
  tr.al-acknowledged td { background: #e53935; color: #fff; }
  tr.al-clearedUnacknowledged td { background: #fdd835; animation: blink 1s steps(2, start) infinite; }
  @keyframes blink { to { visibility: hidden; } }
  .panel { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px; }
  .panel .card label { display: inline-block; min-width: 70px; }
  #msg { min-height: 1.4em; }
  svg text { font: 11px system-ui, sans-serif; }
</style>
</head>
<body>
<header>
  <b>Chaufferie</b><span id="scenario"></span>
  <span>clock <span id="clock">—</span></span>
  <span>speed <span id="speed">—</span></span>
  <span>outdoor <span id="outdoor">—</span></span>
  <span id="link">connecting…</span>
  <nav>
    <button data-tab="synoptic" class="on">Synoptic</button><button data-tab="alarms">Alarms <span id="alarmCount"></span></button><button data-tab="trends">Trends</button><button data-tab="instructor">Instructor</button><button data-tab="points">Points</button><button data-tab="exercise">Exercise</button>
  </nav>
</header>
<section id="synoptic" class="on">
  <svg id="plant" width="1100" height="330" viewBox="0 0 1100 330" role="img" aria-label="boiler room and network"></svg>
  <div class="grid" id="substations"></div>
</section>
<section id="alarms">
  <p><button id="ackAll">Acknowledge all</button></p>
  <table class="list"><thead><tr><th>alarm</th><th>priority</th><th>state</th><th>message</th><th></th></tr></thead><tbody id="alarmRows"></tbody></table>
  <p id="noAlarms">No alarm.</p>
  <h4>History (from the historian) over the last <select id="historyHours"><option>1</option><option>6</option><option selected>24</option><option>168</option></select> simulated hours <button id="loadHistory">Load</button></h4>
  <table class="list"><thead><tr><th>since the start</th><th>alarm</th><th>state</th><th>transition</th></tr></thead><tbody id="historyRows"></tbody></table>
</section>
<section id="trends">
  <p>Tags <select id="trendTags" multiple size="8" style="min-width: 360px"></select>
     over the last <select id="trendHours"><option>1</option><option selected>2</option><option>6</option><option>24</option><option>168</option></select> simulated hours
     <button id="drawTrend">Draw</button></p>
  <svg id="trendChart" width="1000" height="340" viewBox="0 0 1000 340" style="cursor: crosshair"></svg>
  <p>Drag across the chart to zoom in; double-click to see the whole window again.</p>
  <div id="trendLegend"></div>
</section>
<section id="instructor">
  <div id="msg"></div>
  <div class="panel">
    <div class="card"><h4>Boiler faults</h4>
      <label>boiler</label><select id="faultBoiler"></select><br>
      <label>fault</label><select id="faultName"><option>augerJam</option><option>ignitionFailure</option><option>overTemperature</option><option>ashBoxFull</option><option>flueFanFailure</option><option>precipitatorFault</option></select><br>
      <button id="injectBoiler">Inject</button> <button id="resetBoiler">Reset</button>
      <button id="outBoiler">Out of service</button> <button id="inBoiler">Back in service</button></div>
    <div class="card"><h4>Substation faults</h4>
      <label>building</label><select id="faultBuilding"></select><br>
      <label>fault</label><select id="faultKind"><option value="meterFault">meter failed</option><option value="secondaryPumpFault">secondary pump</option><option value="valveStuck">valve stuck</option></select><br>
      <button id="injectBuilding">Inject</button> <button id="clearBuilding">Clear</button></div>
    <div class="card"><h4>Network and sensors</h4>
      <button id="pumpFault">Network pump fault</button> <button id="pumpClear">clear</button><br>
      <button id="bufferFault">Buffer sensor fault</button> <button id="bufferClear">clear</button><br>
      <label>leak m³/h</label><input id="leak" type="number" value="1" min="0.1" max="50" step="0.1" style="width:60px"> <button id="leakOn">Leak</button> <button id="leakOff">clear</button><br>
      <button id="outdoorFail">Outdoor sensor failed</button> <button id="outdoorClear">clear</button></div>
    <div class="card"><h4>Clock and weather</h4>
      <label>speed</label><input id="speedValue" type="number" value="60" min="0" max="100000" style="width:80px"> <button id="setSpeed">Set</button>
      <button id="pause">Pause</button> <button id="resume">Resume ×1</button><br>
      <label>outdoor °C</label><input id="holdC" type="number" value="-15" min="-50" max="50" style="width:60px"> <button id="hold">Hold</button> <button id="release">Release</button></div>
    <div class="card"><h4>Fuel</h4>
      <label>trucks</label><input id="trucks" type="number" value="1" min="1" max="50" style="width:50px"> <button id="deliver">Order</button></div>
    <div class="card"><h4>Token</h4>
      <input id="token" type="password" placeholder="instructor's token (if the daemon has one)" style="width: 260px"></div>
  </div>
</section>
<section id="points">
  <p>Filter <input id="pointFilter" placeholder="device or point" style="width: 240px"></p>
  <table class="list"><thead><tr><th>device</th><th>port</th><th>unit id</th><th>point</th><th>table</th><th>address</th><th>reference</th><th>type</th><th>scale</th><th>value</th><th>unit</th><th>access</th></tr></thead><tbody id="pointRows"></tbody></table>
</section>
<section id="exercise"><pre id="exerciseText">No exercise is running (serve --exercise FILE).</pre></section>
<script>
"""# + ConsoleScript.javascript + #"""
</script>
</body>
</html>
"""#
}
