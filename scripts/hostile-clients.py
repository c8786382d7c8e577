#!/usr/bin/env python3
"""Hostile clients do not hurt others. Against a running daemon on 127.0.0.1:PORT: 16 clients
poll 125 holding registers of unit 1 every 20 ms while one client dribbles a request one byte a
second, one sends garbage, and one sends requests without ever reading the replies. Then 1,000
invalid requests on one connection. Prints the pollers' latencies and asserts: p99 < 50 ms, no
failed poll, every invalid request answered with an exception, at over 1,000 requests/s.
Loopback only; bounded in time. Usage: hostile-clients.py PORT [SECONDS]"""
import os, socket, struct, sys, threading, time

port = int(sys.argv[1]); duration = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
HOST = "127.0.0.1"
stop = threading.Event()

def request(tid, unit, pdu):
    return struct.pack(">HHHB", tid & 0xFFFF, 0, len(pdu) + 1, unit) + pdu

def recv_frame(s):
    head = b""
    while len(head) < 7:
        chunk = s.recv(7 - len(head))
        if not chunk: raise ConnectionError("closed")
        head += chunk
    n = struct.unpack(">H", head[4:6])[0] - 1
    body = b""
    while len(body) < n:
        chunk = s.recv(n - len(body))
        if not chunk: raise ConnectionError("closed")
        body += chunk
    return head, body

latencies, failures, lock = [], [0], threading.Lock()

def poller(i):
    s = socket.create_connection((HOST, port), timeout=1.0)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    tid = 0
    while not stop.is_set():
        tid += 1
        t0 = time.perf_counter()
        try:
            s.sendall(request(tid, 1, struct.pack(">BHH", 3, 0, 125)))
            head, body = recv_frame(s)
            ok = body[0] == 3 and body[1] == 250 and struct.unpack(">H", head[0:2])[0] == tid & 0xFFFF
        except Exception:
            ok = False
            s.close(); s = socket.create_connection((HOST, port), timeout=1.0)
        dt = time.perf_counter() - t0
        with lock:
            latencies.append(dt)
            if not ok: failures[0] += 1
        time.sleep(max(0, 0.02 - dt))
    s.close()

def dribbler():
    frame = request(1, 1, struct.pack(">BHH", 3, 0, 10))
    while not stop.is_set():
        try:
            s = socket.create_connection((HOST, port), timeout=1.0)
            for b in frame:
                if stop.is_set(): break
                s.send(bytes([b])); time.sleep(1.0)
            s.close()
        except OSError:
            time.sleep(0.2)

def garbage():
    rnd = os.urandom
    while not stop.is_set():
        try:
            s = socket.create_connection((HOST, port), timeout=1.0)
            for _ in range(50):
                s.send(rnd(64)); time.sleep(0.01)
            s.close()
        except OSError:
            time.sleep(0.05)

def non_reader():
    while not stop.is_set():
        try:
            s = socket.create_connection((HOST, port), timeout=1.0)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.setblocking(False)
            frame = request(7, 1, struct.pack(">BHH", 3, 0, 125))
            while not stop.is_set():
                try: s.send(frame)
                except BlockingIOError: time.sleep(0.01)
                except OSError: break
        except OSError:
            time.sleep(0.05)

threads = [threading.Thread(target=poller, args=(i,), daemon=True) for i in range(16)]
threads += [threading.Thread(target=f, daemon=True) for f in (dribbler, garbage, non_reader)]
for t in threads: t.start()
time.sleep(duration)
stop.set()
for t in threads: t.join(timeout=3)

lat = sorted(latencies)
p50 = lat[len(lat) // 2] * 1000; p99 = lat[int(len(lat) * 0.99)] * 1000
print(f"pollers: {len(lat)} requests, {failures[0]} failed, p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {lat[-1]*1000:.2f} ms")

# 1,000 invalid requests (quantity 0, exception 03) on one connection, back to back
s = socket.create_connection((HOST, port), timeout=1.0)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
answered = 0
t0 = time.perf_counter()
for k in range(1000):
    s.sendall(request(k, 1, struct.pack(">BHH", 3, 0, 0)))
    head, body = recv_frame(s)
    answered += body[0] == 0x83 and body[1] == 3
rate = 1000 / (time.perf_counter() - t0)
s.close()
print(f"invalid requests: {answered}/1000 answered with exception 03 at {rate:.0f} requests/s")
ok = failures[0] == 0 and p99 < 50 and answered == 1000 and rate > 1000
print("hostile: " + ("1 passed, 0 failed" if ok else "0 passed, 1 failed"))
sys.exit(0 if ok else 1)
