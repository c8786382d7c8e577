#!/usr/bin/env python3
"""Issue 12, item 6: PyScada configured only from the generated fixture polls the daemon.

The daemon serves the reference plant at speed 60 (values move, so PyScada, which stores a value
only when it changes, records every poll); `chaufferie points --format pyscada` writes a Django
fixture; a PyScada 0.8 project (Django 4.2, pyscada-modbus 0.8, its Modbus driver on pymodbus
2.5, all from PyPI, in their own virtual environment) is created in WORKDIR, migrated, loaded
with the fixture as it is, and its DAQ daemon (`manage.py pyscada_daemon start`: one process per
Modbus device) polls for DURATION seconds. For the last 3 polling intervals and more the daemon is
paused (`speed 0` through the control API), so PyScada's last reading of each point can be
compared with a direct pymodbus read. Passes when PyScada logged no error or warning, every
device was polled all along (its values recorded at least every 2 intervals on average), and
every point's last value equals the direct read within its resolution.

PyScada has no notion of an invalid value: an int16 register holding 8000 (failed sensor,
quantity the building lacks) is scaled like any other (−3276.8 at × 0.1) and must equal the
direct read scaled the same way; a float32 NaN is dropped by PyScada's Modbus driver (no value
stored), as the fixture's variable descriptions say.

usage: pyscada-check.py CHAUFFERIE_BINARY PYSCADA_VENV_PYTHON WORKDIR [DURATION_S] [POLLING_S]
"""
import json, os, re, shutil, signal, socket, struct, subprocess, sys, time, urllib.request

from pymodbus.client import ModbusTcpClient

binary, python, work = os.path.abspath(sys.argv[1]), sys.argv[2], os.path.abspath(sys.argv[3])
duration = float(sys.argv[4]) if len(sys.argv) > 4 else 600
polling = sys.argv[5] if len(sys.argv) > 5 else "5"
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []

def check(name, cond):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond: failures.append(name)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

port, api = free_port(), free_port()
serve = subprocess.Popen([binary, "serve", "Scenarios/wangenbourg-trace1.yaml", "--listen", f"127.0.0.1:{port}", "--speed", "60",
                          "--days", "3", "--fresh", "--no-record", "--api", f"127.0.0.1:{api}", "--state", os.path.join(work, "state.json")],
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
fixture = os.path.join(work, "chaufferie.json")
gen = subprocess.run([binary, "points", "Scenarios/wangenbourg-trace1.yaml", "--format", "pyscada", "--listen", f"127.0.0.1:{port}",
                      "--polling", polling], capture_output=True, text=True, check=True).stdout
open(fixture, "w").write(gen)
objects = json.loads(gen)
n_devices = sum(1 for o in objects if o["model"] == "pyscada.device")
n_vars = sum(1 for o in objects if o["model"] == "pyscada.variable")

# a PyScada project as its documentation sets one up: Django settings with the PyScada apps
proj = os.path.join(work, "project")
os.makedirs(os.path.join(proj, "scadasite"))
open(os.path.join(proj, "scadasite", "__init__.py"), "w").close()
open(os.path.join(proj, "scadasite", "settings.py"), "w").write(f"""
SECRET_KEY = "chaufferie-check"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "django.contrib.messages", "django.contrib.staticfiles", "pyscada", "pyscada.core", "pyscada.modbus", "pyscada.hmi", "pyscada.export"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "scadasite.urls"
TEMPLATES = [{{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {{"context_processors": [
    "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages"]}}}}]
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {os.path.join(work, "pyscada.sqlite3")!r},
                          "OPTIONS": {{"timeout": 60}}}}}}
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PID_FILE_NAME = {os.path.join(work, "pyscada_daemon.pid")!r}
PYSCADA_EXPORT = {{"output_folder": {work!r}, "file_prefix": "chaufferie_"}}
PYSCADA_META = {{"name": "Chaufferie check", "description": "the reference plant"}}
EMAIL_PREFIX = "[chaufferie]"
DEFAULT_FROM_EMAIL = "check@localhost"
LOGGING = {{"version": 1, "disable_existing_loggers": False,
           "handlers": {{"file": {{"class": "logging.FileHandler", "filename": {os.path.join(work, "pyscada.log")!r},
                                 "formatter": "f"}}}},
           "formatters": {{"f": {{"format": "%(created).3f %(levelname)s %(process)d %(name)s %(message)s"}}}},
           "root": {{"handlers": ["file"], "level": "INFO"}}}}
""")
open(os.path.join(proj, "scadasite", "urls.py"), "w").write("urlpatterns = []\n")
open(os.path.join(proj, "manage.py"), "w").write(
    "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'scadasite.settings')\n"
    "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n")

def manage(*args, check_rc=True):
    # output to a file, not a pipe: `pyscada_daemon start` forks its daemon, which keeps the
    # parent's descriptors (a pipe would not close until the daemon ends)
    out = os.path.join(work, "manage.out")
    with open(out, "w") as f:
        r = subprocess.run([python, "manage.py", *args], cwd=proj, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    text = open(out, errors="replace").read()
    if check_rc and r.returncode != 0:
        print(text[-4000:]); stop_all(); raise SystemExit(f"manage.py {' '.join(args)} failed")
    return text

def stop_all():
    subprocess.run([python, "manage.py", "pyscada_daemon", "stop"], cwd=proj, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if serve.poll() is None: serve.send_signal(signal.SIGTERM); serve.wait(30)

manage("migrate", "--noinput")
loaded = manage("loaddata", fixture).strip()
check(f"the generated fixture loads as it is: {loaded}", f"Installed {len(objects)} object(s)" in loaded)
manage("pyscada_daemon", "init")
t0 = time.time()
manage("pyscada_daemon", "start")
pause_after = max(30.0, duration - max(60.0, 4 * float(polling)))
time.sleep(pause_after)
req = urllib.request.Request(f"http://127.0.0.1:{api}/speed", data=b'{"speed": 0}', method="POST", headers={"Content-Type": "application/json"})
paused = urllib.request.urlopen(req, timeout=10).read().decode()
t_pause = time.time()
time.sleep(max(0.0, duration - (t_pause - t0)))
t_stop = time.time()
manage("pyscada_daemon", "stop", check_rc=False)
print(f"     (PyScada polled {n_devices} devices, {n_vars} variables, every {polling} s for {t_stop - t0:.0f} s; paused at {t_pause - t0:.0f} s: {paused})")

# what PyScada logged (every process of its daemon writes the same file)
log = open(os.path.join(work, "pyscada.log"), errors="replace").read().splitlines()
def stamp(l):
    try: return float(l.split(" ", 1)[0])
    except ValueError: return 0
errors = [l for l in log if re.search(r" (ERROR|WARNING|CRITICAL) ", l) and t0 <= stamp(l) < t_stop]
errors += [l for l in log if "not accessible" in l and t0 <= stamp(l) < t_stop]
check(f"PyScada logged no error, warning or 'not accessible': {errors[:3]}", not errors)

# what PyScada recorded: per variable its readings' times and last value
dump = subprocess.run([python, "-c", f"""
import json, os, sys
os.environ['DJANGO_SETTINGS_MODULE'] = 'scadasite.settings'
import django; django.setup()
from pyscada.models import Variable, RecordedData
out = {{}}
for v in Variable.objects.all():
    rows = list(RecordedData.objects.filter(variable=v).order_by('id'))
    times = [r.time_value() for r in rows if r.time_value() < {t_stop}]
    last = [r for r in rows if r.time_value() < {t_stop}]
    out[v.name] = {{'device': v.device_id, 'times': times, 'last': last[-1].value() if last else None}}
print(json.dumps(out))
"""], cwd=proj, capture_output=True, text=True, check=True).stdout
recorded = json.loads(dump)

# polls: a device's readings are stored when a value changed; at speed 60 a device's values
# change at every poll, so its distinct reading times count its polls
by_device = {}
for name, r in recorded.items():
    by_device.setdefault(r["device"], set()).update(round(t, 1) for t in r["times"] if t < t_pause)
t_first = min((t for r in recorded.values() for t in r["times"]), default=t_pause)   # the daemon's processes take seconds to start
expected = (t_pause - t_first) / float(polling)
counts = sorted(len(s) for s in by_device.values())
check(f"every device polled all along: readings stored at {counts[0]}–{counts[-1]} distinct times per device "
      f"(median {counts[len(counts) // 2]}) in the {t_pause - t_first:.0f} s from the first reading to the pause, "
      f"{expected:.0f} polls at {polling} s",
      len(counts) == n_devices and counts[0] >= expected / 2)

# the same registers read directly
points = json.loads(subprocess.run([binary, "points", "Scenarios/wangenbourg-trace1.yaml", "--format", "json"],
                                   capture_output=True, text=True, check=True).stdout)["points"]
c = ModbusTcpClient("127.0.0.1", port=port, timeout=2); c.connect()
def direct(p):
    u = p["unit"]
    if p["wireType"] == "bit":
        r = (c.read_coils if p["table"] == "coils" else c.read_discrete_inputs)(p["address"], count=1, device_id=u)
        return "error" if r.isError() else (1.0 if r.bits[0] else 0.0)
    r = (c.read_holding_registers if p["table"] == "holdingRegisters" else c.read_input_registers)(p["address"], count=p["count"], device_id=u)
    if r.isError(): return "error"
    regs = r.registers
    if p["count"] == 2 and p["wordOrder"] == "CDAB": regs = [regs[1], regs[0]]
    v = struct.unpack({"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f"}[p["wireType"]],
                      struct.pack(">" + "H" * len(regs), *regs))[0]
    if p["wireType"] == "float32" and v != v: return "nan"
    return v * p["multiplier"]
def slug(s): return re.sub(r"[^A-Za-z0-9_-]", "-", s)
mismatch, compared, nan = [], 0, 0
for p in points:
    name = f"chaufferie-u{p['unit']}-{slug(p['device'])}-{slug(p['tag'])}"
    if name not in recorded: mismatch.append(f"{name}: no variable"); continue
    d, s = direct(p), recorded[name]["last"]
    compared += 1
    if d == "nan":
        nan += 1   # PyScada's driver drops a NaN: nothing, or an earlier valid reading, is stored
        continue
    if s is None: mismatch.append(f"{name}: nothing recorded, direct {d}"); continue
    step = p["multiplier"] if p["wireType"] not in ("float32", "bit") else 1e-3 * max(1, abs(d)) if p["wireType"] == "float32" else 0
    if d == "error" or abs(float(s) - d) > step + 1e-9: mismatch.append(f"{name}: PyScada {s}, direct {d}")
c.close()
stop_all()
check(f"{compared} of {len(points)} values equal a direct pymodbus read within their resolution "
      f"({nan} float NaN not stored by PyScada): {mismatch[:5]}", not mismatch and compared == len(points))
print(f"pyscada: {len(failures)} failed")
sys.exit(1 if failures else 0)
