#!/usr/bin/env python3
"""Issue 10, what a client can do to the daemon, tried as an attacker and a careless integrator
would, with real clients on loopback (raw sockets speaking Modbus TCP and HTTP; pymodbus).

Usage: hardening.py BINARY WORKDIR CHECK [ARGS]   (CHECK: api, writes, late, frames, burst,
       meters [KILLS], writers; each starts its own daemon on free loopback ports, bounded in time,
       and prints one line of figures, then "N passed, M failed").

  api      Content-Length -1 / -100 / abc / 2^64 → 4xx and the daemon lives; 1 MB body → 413 with
           RSS +< 5 MB; 20 KB of headers → 431; 50 slowloris connections for 30 s while GET /status
           answers every time (p99 < 100 ms) and 4 Modbus pollers at 20 Hz never fail.
  writes   reduced 19 then comfort 18 (second refused, 03), comfort 23 then reduced 22 (both taken),
           curve form 1 then curve point 1 — each pipelined on one connection, 100 times, read back.
  late     a 'late 60 s' fault on unit 12 and 30 s of pipelined reads to it: RSS +< 20 MB, and back
           after the client leaves.
  frames   function codes 0x80–0xFF → a well-formed exception (fc with its high bit, code 01);
           200 valid requests then a bad header and 5,000 bytes → all 200 replies arrive.
  burst    4 pollers at 20 Hz beside 64 connects a second for 20 s → 0 failed polls.
  meters   KILLS (default 20) kill -9 at random moments, 10 meters read before each kill and after
           each restart: no reading lower after than before; historian integrity ok.
  writers  --read-only and --write-allow: refused writes get exception 01 and are logged with the
           address; reads are served; an allowed address writes.
"""
import os, random, signal, socket, sqlite3, struct, subprocess, sys, threading, time

binary, work, check = sys.argv[1], sys.argv[2], sys.argv[3]
extra = sys.argv[4:]
os.makedirs(work, exist_ok=True)
HOST = "127.0.0.1"
passed, failed = 0, 0

def result(ok, text):
    global passed, failed
    print(("ok   - " if ok else "FAIL - ") + text, flush=True)
    if ok: passed += 1
    else: failed += 1

def free_port():
    s = socket.socket(); s.bind((HOST, 0)); p = s.getsockname()[1]; s.close(); return p

class Daemon:
    def __init__(self, name, args=(), speed=60, fresh=True, api=True):
        self.mport, self.aport = free_port(), free_port()
        self.dir = os.path.join(work, name); os.makedirs(self.dir, exist_ok=True)
        self.log = open(os.path.join(self.dir, "serve.log"), "ab")
        cmd = [binary, "serve", "--listen", f"{HOST}:{self.mport}", "--api", f"{HOST}:{self.aport}" if api else "off",
               "--speed", str(speed), "--days", "3", "--db", os.path.join(self.dir, "h.db"),
               "--state", os.path.join(self.dir, "state.json"), *args]
        if fresh: cmd.append("--fresh")
        self.p = subprocess.Popen(cmd, stderr=self.log, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection((HOST, self.mport), timeout=0.2).close(); break
            except OSError:
                if self.p.poll() is not None: raise RuntimeError(f"serve exited {self.p.returncode}: {self.logtext()}")
                time.sleep(0.05)
    def logtext(self):
        self.log.flush(); return open(os.path.join(self.dir, "serve.log"), errors="replace").read()[-2000:]
    def rss_kb(self):
        for line in open(f"/proc/{self.p.pid}/status"):
            if line.startswith("VmRSS:"): return int(line.split()[1])
    def alive(self): return self.p.poll() is None
    def stop(self):
        if self.alive():
            self.p.send_signal(signal.SIGTERM)
            try: self.p.wait(20)
            except subprocess.TimeoutExpired: self.p.kill(); self.p.wait()
        return self.p.returncode

def mb_request(tid, unit, pdu):
    return struct.pack(">HHHB", tid & 0xFFFF, 0, len(pdu) + 1, unit) + pdu

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise ConnectionError("closed by the server")
        b += c
    return b

def recv_frame(s):
    head = recv_exact(s, 7)
    return head, recv_exact(s, struct.unpack(">H", head[4:6])[0] - 1)

def http(port, raw, timeout=5.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    try:
        s.sendall(raw)
        out = b""
        while True:
            c = s.recv(65536)
            if not c: break
            out += c
            if b"\r\n\r\n" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                cl = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if cl and len(body) >= cl[0]: break
        return int(out.split(b" ")[1]) if out.startswith(b"HTTP/1.1 ") else None
    except (OSError, ValueError, IndexError):
        return None
    finally:
        s.close()

class Pollers:
    """n pollers reading 125 holding registers of unit 1 every `period` s; counts failures."""
    def __init__(self, port, n=4, period=0.05):
        self.port, self.period, self.stop_ = port, period, threading.Event()
        self.requests, self.failures, self.lock = 0, 0, threading.Lock()
        self.t0, self.why = time.time(), []   # what went wrong and when (s after the start), for the report
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]
        for t in self.threads: t.start()
    def run(self):
        s = None; tid = 0
        while not self.stop_.is_set():
            tid += 1; t0 = time.perf_counter(); ok = False
            try:
                if s is None:
                    s = socket.create_connection((HOST, self.port), timeout=1.0)
                    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.sendall(mb_request(tid, 1, struct.pack(">BHH", 3, 0, 125)))
                head, body = recv_frame(s)
                ok = body[0] == 3 and body[1] == 250 and struct.unpack(">H", head[:2])[0] == tid & 0xFFFF
                why = None if ok else "wrong reply"
            except OSError as e:
                why = repr(e)
                if s: s.close()
                s = None
            with self.lock:
                self.requests += 1
                if not ok:
                    self.failures += 1
                    self.why.append(f"{why} at {time.time() - self.t0:.2f} s")
            time.sleep(max(0, self.period - (time.perf_counter() - t0)))
        if s: s.close()
    def finish(self):
        self.stop_.set()
        for t in self.threads: t.join(5)
        return self.requests, self.failures

def pct(values, q):
    v = sorted(values); return v[min(len(v) - 1, int(len(v) * q))] if v else float("nan")

# ---------------------------------------------------------------------------------------------

def check_api():
    d = Daemon("api")
    try:
        for cl in [b"-1", b"-100", b"abc", b"18446744073709551616", b"1e3"]:
            st = http(d.aport, b"POST /speed HTTP/1.1\r\nHost: x\r\nContent-Length: " + cl + b"\r\n\r\n{}")
            result(st is not None and 400 <= st < 500 and d.alive(), f"Content-Length {cl.decode()} → {st}, the daemon lives")
        rss0 = d.rss_kb()
        s = socket.create_connection((HOST, d.aport), timeout=5)
        s.sendall(b"POST /speed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n")
        sent = 0; answer = b""
        try:
            while sent < 1048576:
                s.sendall(b"x" * 65536); sent += 65536
        except OSError:
            pass
        try: answer = s.recv(4096)
        except OSError: pass
        s.close()
        rss1 = d.rss_kb()
        result(answer.startswith(b"HTTP/1.1 413") and rss1 - rss0 < 5 * 1024,
               f"1 MB body → {answer[:12].decode(errors='replace')!r}, RSS {rss0} → {rss1} kB (+{rss1 - rss0} kB, limit 5 MB)")
        st = http(d.aport, b"GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        result(st == 431, f"20 KB of headers → {st}")
        st = http(d.aport, b"POST /speed HTTP/1.1\r\nHost: x\r\nContent-Length: 15\r\n\r\n{\"speed\": true}")
        result(st == 400, f"{{\"speed\": true}} → {st} (a boolean is not a speed)")
        # 50 slowloris connections, a byte every 0.9 s, for 30 s
        stop = threading.Event()
        def slow():
            while not stop.is_set():
                try:
                    c = socket.create_connection((HOST, d.aport), timeout=2)
                    for b in b"POST /speed HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n{\"speed\": 60}......":
                        if stop.is_set(): break
                        c.send(bytes([b])); time.sleep(0.9)
                    c.close()
                except OSError:
                    time.sleep(0.1)
        slows = [threading.Thread(target=slow, daemon=True) for _ in range(50)]
        for t in slows: t.start()
        time.sleep(1)
        pollers = Pollers(d.mport)
        lat, bad = [], 0
        t_end = time.time() + float(extra[0] if extra else 30)
        while time.time() < t_end:
            t0 = time.perf_counter()
            st = http(d.aport, b"GET /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=2)
            lat.append(time.perf_counter() - t0)
            if st != 200: bad += 1
            time.sleep(0.1)
        stop.set()
        req, fails = pollers.finish()
        p99 = pct(lat, 0.99) * 1000
        result(bad == 0 and p99 < 100 and fails == 0 and d.alive(),
               f"50 slowloris connections: GET /status {len(lat) - bad}/{len(lat)} answered, p50 {pct(lat, 0.5)*1000:.1f} ms, "
               f"p99 {p99:.1f} ms, max {max(lat)*1000:.1f} ms; Modbus pollers {req} requests, {fails} failed")
    finally:
        d.stop()

def write_regs(unit, pairs):
    """One FC 16 frame per (address, value×10) pair."""
    return [struct.pack(">BHHBh", 16, a, 1, 2, int(round(v * 10))) for a, v in pairs]

def check_writes():
    d = Daemon("writes")
    try:
        s = socket.create_connection((HOST, d.mport), timeout=2)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tid = [0]
        def pipeline(unit, pdus):
            frames = b""
            for p in pdus:
                tid[0] += 1; frames += mb_request(tid[0], unit, p)
            s.sendall(frames)
            out = []
            for _ in pdus:
                _, body = recv_frame(s)
                out.append("ok" if body[0] < 0x80 else f"ex{body[1]:02x}")
            return out
        def read(unit, addr, n=1):
            tid[0] += 1; s.sendall(mb_request(tid[0], unit, struct.pack(">BHH", 3, addr, n)))
            _, body = recv_frame(s)
            return [v / 10 for v in struct.unpack(f">{n}h", body[2:2 + 2 * n])]
        COMFORT, REDUCED, FORM, POINT1 = 2, 3, 6, 7
        good = {"a": 0, "b": 0, "c": 0}
        for k in range(100):
            # start from comfort 20, reduced 16 (reduced first: valid from any comfort ≥ 16)
            if pipeline(12, write_regs(12, [(REDUCED, 16.0), (COMFORT, 20.0)])) != ["ok", "ok"]: continue
            r = pipeline(12, write_regs(12, [(REDUCED, 19.0), (COMFORT, 18.0)]))
            time.sleep(0.05)
            if r == ["ok", "ex03"] and read(12, COMFORT, 2) == [20.0, 19.0]: good["a"] += 1
            elif k < 3: print("  reduced 19 then comfort 18:", r, read(12, COMFORT, 2))
            r = pipeline(12, write_regs(12, [(COMFORT, 23.0), (REDUCED, 22.0)]))
            time.sleep(0.05)
            if r == ["ok", "ok"] and read(12, COMFORT, 2) == [23.0, 22.0]: good["b"] += 1
            elif k < 3: print("  comfort 23 then reduced 22:", r, read(12, COMFORT, 2))
            form = pipeline(12, write_regs(12, [(FORM, 0)]))
            p1 = 60.0 + k % 20
            r = pipeline(12, write_regs(12, [(FORM, 0.1), (POINT1, p1)]))   # 0.1 × 10 = 1: six points
            time.sleep(0.05)
            if form == ["ok"] and r == ["ok", "ok"] and read(12, POINT1)[0] == p1 and read(12, FORM)[0] == 0.1: good["c"] += 1
            elif k < 3: print("  curve form 1 then point 1:", r, read(12, FORM), read(12, POINT1))
        s.close()
        result(good["a"] == 100, f"reduced 19.0 then comfort 18.0, pipelined: {good['a']}/100 (first taken, second refused 03, registers 20.0/19.0)")
        result(good["b"] == 100, f"comfort 23.0 then reduced 22.0, pipelined: {good['b']}/100 (both taken, registers 23.0/22.0)")
        result(good["c"] == 100, f"curve form 1 then curve point 1, pipelined: {good['c']}/100 (both taken, read back)")
    finally:
        d.stop()

def check_late():
    d = Daemon("late", speed=1)
    try:
        body = b'{"kind":"commFault","unit":12,"mode":"late","delayMs":60000}'
        st = http(d.aport, b"POST /faults HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        if st != 200: result(False, f"late fault injected ({st})"); return
        time.sleep(0.5)
        rss0 = d.rss_kb()
        frames = b"".join(mb_request(i, 12, struct.pack(">BHH", 3, 0, 1)) for i in range(10000))
        s = socket.create_connection((HOST, d.mport), timeout=2)
        s.setblocking(False)
        sent, t_end, peak = 0, time.time() + float(extra[0] if extra else 30), rss0
        while time.time() < t_end:
            try: sent += s.send(frames)
            except BlockingIOError: time.sleep(0.01)
            except OSError: break
            peak = max(peak, d.rss_kb())
        peak = max(peak, d.rss_kb())
        s.close()
        time.sleep(2.5)
        rss2 = d.rss_kb()
        result(d.alive() and peak - rss0 < 20 * 1024 and rss2 - rss0 < 20 * 1024,
               f"'late 60 s' flood for {extra[0] if extra else 30} s: {sent // 12} requests written by the client (TCP holds the rest back), "
               f"RSS {rss0} → peak {peak} kB (+{peak - rss0} kB, limit 20 MB), {rss2} kB after the client left")
    finally:
        d.stop()

def check_frames():
    d = Daemon("frames", api=False)
    try:
        s = socket.create_connection((HOST, d.mport), timeout=2)
        good = 0
        for fc in range(0x80, 0x100):
            s.sendall(mb_request(fc, 1, bytes([fc, 0, 0, 0, 1])))
            head, body = recv_frame(s)
            if struct.unpack(">H", head[:2])[0] == fc and len(body) == 2 and body[0] == fc | 0x80 and body[0] >= 0x80 and body[1] == 1: good += 1
        s.close()
        result(good == 128, f"function codes 0x80–0xFF: {good}/128 answered with a well-formed exception (function code with its high bit, code 01)")
        got = 0
        for _ in range(5):
            s = socket.create_connection((HOST, d.mport), timeout=3)
            s.sendall(b"".join(mb_request(i, 1, struct.pack(">BHH", 3, 0, 2)) for i in range(200)) + b"\x00\x01\x12\x34\x00\x06" + os.urandom(5000))
            n = 0
            try:
                while n < 200:
                    _, body = recv_frame(s)
                    if body[0] == 3: n += 1
            except OSError:
                pass
            s.close(); got += n
        result(got == 1000, f"200 valid requests then a bad MBAP header and 5,000 bytes, 5 times: {got}/1000 replies arrived before the close")
    finally:
        d.stop()

def check_burst():
    d = Daemon("burst", api=False)
    try:
        pollers = Pollers(d.mport)
        # the pollers connected and polling before the burst: a poller whose first connect came
        # after 64 burst connections filled the table would be refused (the cap's rule for a
        # newcomer), which is not what this check is about (failed twice in CI under load)
        for _ in range(500):
            with pollers.lock:
                if pollers.requests >= 8: break
            time.sleep(0.01)
        t_end = time.time() + float(extra[0] if extra else 20)
        opened = 0
        while time.time() < t_end:
            t0 = time.time(); held = []
            for _ in range(64):
                try: held.append(socket.create_connection((HOST, d.mport), timeout=1)); opened += 1
                except OSError: pass
            time.sleep(max(0, 1 - (time.time() - t0)))
            for c in held: c.close()
        req, fails = pollers.finish()
        result(fails == 0 and req > 0, f"4 pollers at 20 Hz beside 64 connects/s for {extra[0] if extra else 20} s ({opened} connections): {req} polls, {fails} failed"
               + (f" ({'; '.join(pollers.why[:3])})" if fails else ""))
    finally:
        d.stop()

def read_meters(port):
    """Energy index of the 10 meters (units 30–39; unit 36 float32 CDAB in holding registers)."""
    s = socket.create_connection((HOST, port), timeout=2)
    out = []
    for u in range(30, 40):
        if u == 36:
            s.sendall(mb_request(u, u, struct.pack(">BHH", 3, 0, 2)))
            _, b = recv_frame(s)
            lo, hi = struct.unpack(">HH", b[2:6])
            out.append(struct.unpack(">f", struct.pack(">HH", hi, lo))[0])
        else:
            s.sendall(mb_request(u, u, struct.pack(">BHH", 4, 0, 2)))
            _, b = recv_frame(s)
            out.append(struct.unpack(">I", b[2:6])[0])
    s.close()
    return out

def check_meters():
    kills = int(extra[0]) if extra else 20
    rng = random.Random(10)
    lower, readings, maxdrop, starts, integrity = 0, 0, 0.0, 0, True
    for k in range(kills):
        d = Daemon("meters", args=["--profiles", "DeviceProfiles"] if os.path.isdir("DeviceProfiles") else [], speed=3600, fresh=(k == 0), api=False)
        starts += 1
        if k > 0:
            after = read_meters(d.mport)
            for a, b in zip(before, after):
                readings += 1
                if a > b:
                    lower += 1; maxdrop = max(maxdrop, a - b)
        t_kill = time.time() + rng.uniform(0.2, 3.0)
        before = read_meters(d.mport)
        while time.time() < t_kill:
            before = read_meters(d.mport); time.sleep(0.05)
        d.p.kill(); d.p.wait()
        if k % 10 == 9 or k == kills - 1:
            con = sqlite3.connect(os.path.join(d.dir, "h.db"))
            integrity = integrity and con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            con.close()
    result(lower == 0 and integrity, f"{kills} kill -9 at random moments (0.2–3 s, speed 3600): {readings} meter readings after a restart, "
           f"{lower} lower than before the kill (max drop {maxdrop}); historian integrity_check {'ok' if integrity else 'FAILED'}")

def check_writers():
    def try_write(port):
        s = socket.create_connection((HOST, port), timeout=2)
        s.sendall(mb_request(1, 12, struct.pack(">BHH", 6, 5, 30)))   # curve displacement 3.0 K
        _, w = recv_frame(s)
        s.sendall(mb_request(2, 12, struct.pack(">BHH", 3, 0, 4)))
        _, r = recv_frame(s)
        s.close()
        return w, r
    d = Daemon("readonly", args=["--read-only"], api=False)
    try:
        w, r = try_write(d.mport)
        time.sleep(0.3)
        logged = "127.0.0.1:" in d.logtext() and "may not write" in d.logtext()
        result(w == bytes([0x86, 1]) and r[0] == 3 and logged, f"--read-only: write → {w.hex()} (exception 01), read → fc {r[0]}, refusal logged with the address: {logged}")
    finally:
        d.stop()
    con = sqlite3.connect(os.path.join(d.dir, "h.db"))
    n = con.execute("SELECT count(*) FROM events WHERE kind = 'write_refused' AND source LIKE '127.0.0.1:%'").fetchone()[0]
    con.close()
    result(n >= 1, f"--read-only: {n} refused write(s) in the historian with the client's address")
    d = Daemon("allow-other", args=["--write-allow", "10.0.0.0/8,192.168.1.7"], api=False)
    try:
        w, r = try_write(d.mport)
        result(w == bytes([0x86, 1]) and r[0] == 3, f"--write-allow 10.0.0.0/8,192.168.1.7 from 127.0.0.1: write → {w.hex()}, read served")
    finally:
        d.stop()
    d = Daemon("allow-me", args=["--write-allow", "127.0.0.0/8"], api=False)
    try:
        w, r = try_write(d.mport)
        result(w[0] == 6, f"--write-allow 127.0.0.0/8 from 127.0.0.1: write → fc {w[0]} (taken)")
    finally:
        d.stop()
    bad = subprocess.run([binary, "serve", "--write-allow", "10.0.0.300/8", "--api", "off"], capture_output=True, text=True)
    result(bad.returncode != 0 and "10.0.0.300/8" in bad.stderr, f"--write-allow 10.0.0.300/8 is refused: {bad.stderr.strip()[:100]}")

{"api": check_api, "writes": check_writes, "late": check_late, "frames": check_frames, "burst": check_burst,
 "meters": check_meters, "writers": check_writers}[check]()
print(f"hardening {check}: {passed} passed, {failed} failed")
sys.exit(0 if failed == 0 else 1)
