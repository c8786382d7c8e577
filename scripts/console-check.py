#!/usr/bin/env python3
"""The web console as a user sees it (issue 15): real Chromium (headless, Debian's chromium and
chromium-driver, selenium from PyPI) on `serve --web`, each state also read over Modbus with
pymodbus.

Usage: console-check.py BINARY WORKDIR [SCREENSHOT]

1. The synoptic loads with no console error and no request outside the daemon; at -15 °C (the
   design scenario) three boilers fire, the screenshot shows it; paused, the page's values equal a
   pymodbus read of the same registers (float32: the register's own precision).
2. "Inject" auger jam on B2: B2 in fault within 2 s (page and Modbus), its alarm unacknowledged
   and blinking; "Acknowledge": acknowledged (page and Modbus); "Reset": the fault is gone.
3. A trend of the network supply over the last 2 simulated hours draws from the historian;
   "Pause" stops the clock: a block of registers read twice 5 s apart is identical.
4. /metrics parses with prometheus_client's parser; its Modbus request counter moves under a poller.
5. The zone's variant 2: its heat pump's box on the synoptic, running, its COP the one read over
   Modbus (paused); no silo drawn for a plant without wood.
Prints one line per check, exits 1 if any failed.
"""
import json, os, socket, struct, subprocess, sys, time, urllib.request

from pymodbus.client import ModbusTcpClient
from prometheus_client.parser import text_string_to_metric_families
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

binary, work = sys.argv[1], sys.argv[2]
shot = sys.argv[3] if len(sys.argv) > 3 else os.path.join(work, "console.png")
os.makedirs(work, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

mb_port, web_port = free_port(), free_port()
base = f"http://127.0.0.1:{web_port}"
log = open(os.path.join(work, "serve.log"), "wb")
daemon = subprocess.Popen([binary, "serve", os.path.join(root, "Scenarios/wangenbourg-design.yaml"), "--listen", f"127.0.0.1:{mb_port}",
                           "--api", "off", "--web", f"127.0.0.1:{web_port}", "--speed", "3000", "--fresh",
                           "--state", os.path.join(work, "state.json"), "--db", os.path.join(work, "historian.db")], stderr=log)
results = []
def check(name, ok, detail):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} - console {name}: {detail}", flush=True)

def get(path):
    with urllib.request.urlopen(base + path, timeout=5) as r: return r.read().decode()

def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r: return r.read().decode()

mb = ModbusTcpClient("127.0.0.1", port=mb_port)
def read_point(device, name):
    """A point's engineering value read over Modbus, decoded from its profile's layout."""
    d = dev[device]; p = next(p for p in d["points"] if p["name"] == name)
    width = 2 if p["type"] in ("int32", "uint32", "float32") else 1
    if p["table"] in ("coils", "discreteInputs"):
        r = (mb.read_coils if p["table"] == "coils" else mb.read_discrete_inputs)(p["address"], count=1, device_id=d["unit"])
        if r.isError(): raise RuntimeError(f"{device}.{name}: {r}")
        return float(r.bits[0])
    r = (mb.read_input_registers if p["table"] == "inputRegisters" else mb.read_holding_registers)(p["address"], count=width, device_id=d["unit"])
    if r.isError(): raise RuntimeError(f"{device}.{name}: {r}")
    w = r.registers
    if width == 2:
        order = d["wordOrder"]
        hi, lo = (w[0], w[1]) if order in ("ABCD", "BADC") else (w[1], w[0])
        if order in ("BADC", "DCBA"): hi, lo = ((hi & 0xFF) << 8) | (hi >> 8), ((lo & 0xFF) << 8) | (lo >> 8)
        raw = struct.pack(">HH", hi, lo)
        v = struct.unpack(">f", raw)[0] if p["type"] == "float32" else struct.unpack(">i" if p["type"] == "int32" else ">I", raw)[0]
    else:
        v = struct.unpack(">h", struct.pack(">H", w[0]))[0] if p["type"] == "int16" else w[0]
    return v if p["type"] == "float32" else v / p["scale"]

def stop(driver, mb, daemon):
    """Closes the browser, the Modbus client and the daemon (killed if it does not stop in 20 s)."""
    if driver: driver.quit()
    mb.close()
    daemon.terminate()
    try: daemon.wait(20)
    except subprocess.TimeoutExpired: daemon.kill()

driver = None
try:
    for _ in range(100):
        try: get("/points"); break
        except OSError: time.sleep(0.1)
    served = json.loads(get("/points"))
    dev = {d["device"]: d for d in served["devices"]}
    for _ in range(200):
        with urllib.request.urlopen(base + "/live", timeout=5) as r:
            line = r.readline().decode()
        s = json.loads(line[len("data: "):])
        if all(s["devices"][b]["state"] in (1, 2) for b in ("B1", "B2", "B3")): break
        time.sleep(0.2)
    post("/speed", {"speed": 60})

    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--disable-gpu"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    opts.binary_location = "/usr/bin/chromium"
    # Debian's driver, named: selenium's manager would otherwise look for one on the network
    driver = webdriver.Chrome(options=opts, service=Service(executable_path="/usr/bin/chromedriver"))
    t0 = time.time()
    driver.get(base + "/")
    def wait(cond, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            try:
                if cond(): return True
            except Exception:
                pass
            time.sleep(0.05)
        return False
    live = wait(lambda: driver.find_element(By.ID, "link").text == "live")
    firing = wait(lambda: all(driver.find_element(By.ID, f"boiler-{b}").get_attribute("data-state") == "burning" for b in ("B1", "B2", "B3")))
    loaded_s = time.time() - t0
    driver.save_screenshot(shot)
    outdoor = driver.find_element(By.ID, "outdoor").text
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    urls = []
    for e in driver.get_log("performance"):
        m = json.loads(e["message"])["message"]
        if m["method"] == "Network.requestWillBeSent": urls.append(m["params"]["request"]["url"])
    outside = [u for u in urls if not (u.startswith(base + "/") or u.startswith("data:"))]
    # paused (the page's own button), the page and a Modbus read of the same registers agree
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=instructor]").click()
    driver.find_element(By.ID, "pause").click()
    wait(lambda: driver.find_element(By.ID, "speed").text == "paused")
    time.sleep(0.6)
    compared, worst = [], 0.0
    for el_id, device, name in [("plant-netSupply", "plant", "network.supply_temperature"),
                                ("plant-netReturn", "plant", "network.return_temperature"),
                                ("plant-netFlow", "plant", "network.flow"),
                                ("plant-bufferTop", "plant", "buffer.top_temperature"),
                                ("boiler-B1-bSupply", "B1", "supply_temperature"),
                                ("boiler-B2-bOutput", "B2", "output"),
                                ("sub-ecole-sRoom", "ecole", "room_temperature"),
                                ("sub-ecole-mPower", "ecole.meter", "power")]:
        page = float(driver.find_element(By.ID, el_id).get_attribute("data-value"))
        modbus = read_point(device, name)
        p = next(p for p in dev[device]["points"] if p["name"] == name)
        # the register's resolution: float32 carries 24 bits (relative 6e-8); a scaled integer
        # is rounded to the nearest 1/scale
        res = 6e-8 * max(1.0, abs(modbus)) if p["type"] == "float32" else 0.5 / p["scale"]
        err = abs(page - modbus) / res
        worst = max(worst, err); compared.append(f"{device}.{name} {page:.3f}/{modbus:.3f}")
    check("synoptic", live and firing and not severe and not outside and worst <= 1.0,
          f"live in {loaded_s:.1f} s, three boilers firing: {firing}, outdoor {outdoor}; {len(severe)} console errors {severe[:2]}; "
          f"{len(urls)} requests, {len(outside)} outside the daemon {outside[:3]}; page = Modbus for {len(compared)} points "
          f"(largest gap {worst:.2f} of the register's resolution: {', '.join(compared)}); screenshot {shot}")

    # 3 (the pause): a block of the plant controller's registers read twice, 5 s apart
    a = mb.read_input_registers(0, count=60, device_id=1).registers
    time.sleep(5)
    b = mb.read_input_registers(0, count=60, device_id=1).registers
    driver.find_element(By.ID, "resume").click()
    wait(lambda: driver.find_element(By.ID, "speed").text == "×1")
    post("/speed", {"speed": 60})
    time.sleep(1.5)
    c = mb.read_input_registers(0, count=60, device_id=1).registers
    check("pause", a == b and b != c, f"60 input registers of unit 1 read 5 s apart while paused: {'identical' if a == b else 'DIFFERENT'}; running again: {'moved' if b != c else 'DID NOT MOVE'}")

    # 2. auger jam on B2 from the instructor's panel
    Select(driver.find_element(By.ID, "faultBoiler")).select_by_value("B2")
    Select(driver.find_element(By.ID, "faultName")).select_by_visible_text("augerJam")
    t0 = time.time()
    driver.find_element(By.ID, "injectBoiler").click()
    fault_page = wait(lambda: driver.find_element(By.ID, "boiler-B2").get_attribute("data-state") == "tripped", 2.0)
    fault_s = time.time() - t0
    fault_modbus = read_point("B2", "state") == 5
    def unacked(): return read_point("B2", "alarms.unacknowledged")
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=alarms]").click()
    row = lambda: driver.find_element(By.CSS_SELECTOR, "#alarmRows tr[data-id^='B2.']")
    shown = wait(lambda: row().get_attribute("data-state") == "unacknowledged", 3)
    alarm_id = row().get_attribute("data-id") if shown else "?"
    blinking = shown and driver.execute_script("return getComputedStyle(arguments[0].cells[0]).animationName", row()) == "blink"
    n_unacked = unacked()
    row().find_element(By.CSS_SELECTOR, "button.ack").click()
    acked = wait(lambda: row().get_attribute("data-state") == "acknowledged", 3)
    steady = acked and driver.execute_script("return getComputedStyle(arguments[0].cells[0]).animationName", row()) == "none"
    n_after_ack = unacked()
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=instructor]").click()
    driver.find_element(By.ID, "resetBoiler").click()
    cleared_page = wait(lambda: driver.find_element(By.ID, "boiler-B2").get_attribute("data-state") != "tripped", 3)
    cleared_modbus = read_point("B2", "state") != 5
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=alarms]").click()
    gone = wait(lambda: not driver.find_elements(By.CSS_SELECTOR, f"#alarmRows tr[data-id='{alarm_id}']"), 5)
    Select(driver.find_element(By.ID, "historyHours")).select_by_visible_text("24")
    # the historian commits its events in batches: load again until the three transitions
    # (raised, acknowledged, reset) are in the file, at most 15 s
    def loaded_history():
        driver.find_element(By.ID, "loadHistory").click()
        time.sleep(0.5)
        return len([r for r in driver.find_elements(By.CSS_SELECTOR, "#historyRows tr") if alarm_id in r.text]) >= 3
    history = wait(loaded_history, 15)
    n_history = len([r for r in driver.find_elements(By.CSS_SELECTOR, "#historyRows tr") if alarm_id in r.text])
    check("auger jam on B2", history and fault_page and fault_modbus and shown and blinking and n_unacked >= 1 and acked and steady and n_after_ack == 0 and cleared_page and cleared_modbus and gone,
          f"fault on the page in {fault_s:.2f} s: {fault_page}, Modbus state 5: {fault_modbus}; alarm {alarm_id} unacknowledged: {shown}, blinking: {blinking}, "
          f"Modbus unacknowledged {n_unacked:.0f}; acknowledged: {acked}, steady: {steady}, Modbus unacknowledged {n_after_ack:.0f}; "
          f"reset: page {cleared_page}, Modbus {cleared_modbus}, alarm gone: {gone}; "
          f"history from the historian: {n_history} transitions of {alarm_id}")

    # 3. the trend of the network supply over the last 2 simulated hours
    post("/speed", {"speed": 3000}); time.sleep(3); post("/speed", {"speed": 60})
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=trends]").click()
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#trendTags option")) > 0)
    Select(driver.find_element(By.ID, "trendTags")).select_by_value("plant.network.supply_temperature")
    Select(driver.find_element(By.ID, "trendHours")).select_by_visible_text("2")
    driver.find_element(By.ID, "drawTrend").click()
    drawn = wait(lambda: int(driver.find_element(By.CSS_SELECTOR, "path.trend-line").get_attribute("data-points")) > 1, 5)
    n = driver.find_element(By.CSS_SELECTOR, "path.trend-line").get_attribute("data-points") if drawn else "0"
    # zoom: a drag across the middle of the chart narrows the time axis
    from selenium.webdriver.common.action_chains import ActionChains
    chart = driver.find_element(By.ID, "trendChart")
    first_label = lambda: [t.text for t in chart.find_elements(By.CSS_SELECTOR, "text") if t.text.endswith(" h")][0]
    before = first_label()
    ActionChains(driver).move_to_element_with_offset(chart, -150, 0).click_and_hold().move_by_offset(300, 0).release().perform()
    zoomed = wait(lambda: first_label() != before, 3)
    after = first_label()
    api = json.loads(get("/trend?tags=plant.network.supply_temperature&hours=2"))
    span = (api["to"] - api["from"]) / 3600
    check("trend", drawn and zoomed and abs(span - 2) < 1e-9, f"network supply over the last {span:.0f} simulated hours: {n} historian samples drawn; "
          f"dragged across: the axis starts at {after} instead of {before}")

    # 4. /metrics
    def scrape():
        fams = {f.name: f for f in text_string_to_metric_families(get("/metrics"))}
        req = sum(s.value for s in fams["chaufferie_modbus_requests"].samples if s.name.endswith("_total"))
        return fams, req
    fams, r0 = scrape()
    for _ in range(50): mb.read_holding_registers(0, count=10, device_id=1)
    fams, r1 = scrape()
    gauges = [n for n, f in fams.items() if f.type == "gauge"]
    check("metrics", r1 - r0 >= 50 and "chaufferie_network_supply_celsius" in fams,
          f"{len(fams)} families parsed ({len(gauges)} gauges), Modbus requests {r0:.0f} → {r1:.0f} after 50 polls")
    # the instructor holds the outdoor temperature from the panel, then releases it
    driver.find_element(By.CSS_SELECTOR, "nav button[data-tab=instructor]").click()
    field = driver.find_element(By.ID, "holdC"); field.clear(); field.send_keys("-22")
    driver.find_element(By.ID, "hold").click()
    held = wait(lambda: abs(read_point("plant", "outdoor_temperature") + 22) < 1e-6, 5)
    driver.find_element(By.ID, "release").click()
    released = wait(lambda: abs(read_point("plant", "outdoor_temperature") + 15) < 1e-6, 5)
    check("outdoor hold", held and released, f"held at -22 °C (Modbus): {held}; released, the scenario's -15 °C again: {released}")
except Exception as e:
    check("run", False, f"{type(e).__name__}: {e}")
finally:
    stop(driver, mb, daemon)
# 5. the other sources on the synoptic: the zone's variant 2 (an aquifer heat pump, gas, no wood)
mb_port, web_port = free_port(), free_port()
base = f"http://127.0.0.1:{web_port}"
daemon = subprocess.Popen([binary, "serve", os.path.join(root, "Scenarios/zone-variant2-heat-pump-gas.yaml"), "--listen", f"127.0.0.1:{mb_port}",
                           "--api", "off", "--web", f"127.0.0.1:{web_port}", "--speed", "600", "--fresh", "--no-record",
                           "--state", os.path.join(work, "state-v2.json")], stderr=log)
driver = None
mb = ModbusTcpClient("127.0.0.1", port=mb_port)
try:
    for _ in range(100):
        try: served = json.loads(get("/points")); break
        except OSError: time.sleep(0.1)
    dev = {d["device"]: d for d in served["devices"]}
    opts = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--disable-gpu"):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=opts, service=Service(executable_path="/usr/bin/chromedriver"))
    driver.get(base + "/")
    end = time.time() + 10
    while time.time() < end:
        boxes = driver.find_elements(By.ID, "boiler-HP1")
        if boxes and boxes[0].get_attribute("data-state") == "running": break
        time.sleep(0.2)
    post("/speed", {"speed": 0})
    time.sleep(1.5)
    page_cop = float(driver.find_element(By.ID, "boiler-HP1-hCop").get_attribute("data-value"))
    modbus_cop = read_point("HP1", "cop")
    running = driver.find_element(By.ID, "boiler-HP1").get_attribute("data-state") == "running"
    silo = driver.find_elements(By.ID, "silo-fill")
    check("heat pump on the synoptic", running and abs(page_cop - modbus_cop) < 1e-3 and not silo,
          f"HP1 running: {running}, COP on the page {page_cop:.3f} against {modbus_cop:.3f} over Modbus (paused); "
          f"no silo drawn for a plant without wood: {not silo}")
except Exception as e:
    check("heat pump on the synoptic", False, f"{type(e).__name__}: {e}")
finally:
    stop(driver, mb, daemon)

print(f"console: {sum(results)} passed, {len(results) - sum(results)} failed")
sys.exit(0 if results and all(results) else 1)
