import Foundation
import Historian
import ModbusServer
import PlantControl
import PlantModel
#if canImport(Glibc)
import Glibc
#endif

/// The instructor's control interface of a running daemon: a small HTTP/1.1 server on loopback
/// (one request per connection, JSON in and out), used by `chaufferie fault|alarms|speed|deliver`.
///
///     GET  /status                      clock, speed
///     GET  /alarms                      every alarm with its state
///     POST /alarms/ack     {"id": "B2.FAULT"}   (no id: all)
///     POST /faults         {"kind": "boilerFault", "boiler": "B2", "fault": "augerJam"}
///                          {"kind": "meterFault" | "secondaryPumpFault" | "valveStuck", "building": "ecole"}
///                          {"kind": "networkPumpFault"}, {"kind": "bufferSensor"}
///                          {"kind": "leak", "m3PerH": 1.0}
///                          {"kind": "outdoorSensor", "mode": "failed" | "drift", "driftK": 3}
///                          {"kind": "commFault", "unit": 12, "mode": "late", "delayMs": 500}
///     POST /faults/clear   the same bodies: the fault ends (a boiler fault: its reset)
///     POST /speed          {"speed": 600}
///     POST /deliver        {"trucks": 2}
///
/// Requests are checked on the API's thread and carried out by the daemon between two batches of
/// steps, like Modbus writes; each is recorded in the historian with the client's address.
public final class ControlAPI: @unchecked Sendable {
    public struct Command: Sendable {
        public let path: String
        public let body: [String: String]
        public let client: String
    }

    private let lock = NSLock()
    private var queue: [(Command, DispatchSemaphore, ResultBox)] = []
    private var listenFD: Int32 = -1
    private var running = false
    private var thread: Thread?
    public private(set) var port: UInt16 = 0

    final class ResultBox: @unchecked Sendable { var status = 200; var json = "{}" }

    public init() {}

    public func start(host: String, port p: UInt16) throws {
        listenFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listenFD >= 0 else { throw APIError(message: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(listenFD, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = p.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { throw APIError(message: "--api: '\(host)' is not an IPv4 address") }
        let b = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listenFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard b == 0, listen(listenFD, 16) == 0 else { throw APIError(message: "--api \(host):\(p): \(String(cString: strerror(errno)))") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listenFD, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        running = true
        let t = Thread { [unowned self] in self.loop() }
        t.name = "control-api"
        thread = t
        t.start()
    }

    public func stop() {
        lock.lock(); running = false; lock.unlock()
        while let t = thread, !t.isFinished { usleep(5_000) }
        // anything still queued is answered: the daemon has stopped
        lock.lock(); let left = queue; queue.removeAll(); lock.unlock()
        for (_, s, r) in left { r.status = 503; r.json = #"{"error": "the daemon is stopping"}"#; s.signal() }
    }

    /// Commands waiting for the daemon, each answered through `answer`.
    func take() -> [(Command, (Int, String) -> Void)] {
        lock.lock(); defer { lock.unlock() }
        let q = queue
        queue.removeAll()
        return q.map { c, s, r in (c, { status, json in r.status = status; r.json = json; s.signal() }) }
    }

    private func loop() {
        while true {
            lock.lock(); let go = running; lock.unlock()
            if !go { break }
            var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 50) <= 0 { continue }
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &len) } }
            if fd < 0 { continue }
            var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &addr.sin_addr, &buf, socklen_t(INET_ADDRSTRLEN))
            let client = "\(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)):\(UInt16(bigEndian: addr.sin_port))"
            // one request per connection, read within 1 s, answered after the daemon carried it out
            var tv = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let (status, json) = handle(readRequest(fd), client: client)
            let reason = [200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"][status] ?? "Error"
            let body = Array(json.utf8)
            let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            let out = Array(head.utf8) + body
            _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(fd)
        }
        close(listenFD)
    }

    private func readRequest(_ fd: Int32) -> (method: String, path: String, body: Data)? {
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < 65_536 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += chunk[0..<n]
            if let end = find(data, [13, 10, 13, 10]) {
                let head = String(decoding: data[0..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let kv = line.split(separator: ":", maxSplits: 1)
                    return kv.count == 2 && kv[0].lowercased() == "content-length" ? Int(kv[1].trimmingCharacters(in: .whitespaces)) : nil
                }.first ?? 0
                while data.count < end + 4 + length {
                    let m = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if m <= 0 { return nil }
                    data += chunk[0..<m]
                }
                let first = head.split(separator: "\r\n").first?.split(separator: " ") ?? []
                guard first.count >= 2 else { return nil }
                return (String(first[0]), String(first[1]), Data(data[(end + 4)..<(end + 4 + length)]))
            }
        }
        return nil
    }

    private func find(_ a: [UInt8], _ pattern: [UInt8]) -> Int? {
        guard a.count >= pattern.count else { return nil }
        for i in 0...(a.count - pattern.count) where Array(a[i..<i + pattern.count]) == pattern { return i }
        return nil
    }

    private func handle(_ req: (method: String, path: String, body: Data)?, client: String) -> (Int, String) {
        guard let r = req else { return (400, #"{"error": "not an HTTP request"}"#) }
        let routes: [String: String] = ["/status": "GET", "/alarms": "GET", "/alarms/ack": "POST", "/faults": "POST",
                                        "/faults/clear": "POST", "/speed": "POST", "/deliver": "POST"]
        guard let m = routes[r.path] else { return (404, #"{"error": "no such resource; see GET /status"}"#) }
        guard m == r.method else { return (400, "{\"error\": \"\(r.path) takes \(m)\"}") }
        var body: [String: String] = [:]
        if !r.body.isEmpty {
            guard let obj = try? JSONSerialization.jsonObject(with: r.body) as? [String: Any] else {
                return (400, #"{"error": "the body must be a JSON object"}"#)
            }
            for (k, v) in obj { body[k] = "\(v)" }
        }
        let sem = DispatchSemaphore(value: 0)
        let box = ResultBox()
        lock.lock()
        guard running else { lock.unlock(); return (503, #"{"error": "the daemon is stopping"}"#) }
        queue.append((Command(path: r.path, body: body, client: client), sem, box))
        lock.unlock()
        if sem.wait(timeout: .now() + 5) == .timedOut { return (503, #"{"error": "the daemon did not answer within 5 s"}"#) }
        return (box.status, box.json)
    }
}

public struct APIError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Daemon {
    /// Carries out the instructor's commands (on the daemon's thread, between two batches).
    /// Those that change the plant are recorded with what `chaufferie replay` needs.
    func applyAPICommands() {
        guard let api else { return }
        for (c, answer) in api.take() {
            do {
                let step = simulation.stepIndex
                let (json, changedPlant) = try carryOut(c)
                if c.path != "/alarms" && c.path != "/status" {
                    let replay = changedPlant ? ReplayRecord(step: step, api: .init(path: c.path, body: c.body)).json : nil
                    recording?.note(HistorianEvent(t: simulation.timeS, kind: "api", source: c.client, tag: c.path,
                                                   text: c.body.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
                                                   replay: replay))
                }
                answer(200, json)
            } catch {
                answer(400, "{\"error\": \(Self.jsonString("\(error)"))}")
            }
        }
    }

    static func jsonString(_ s: String) -> String {
        let d = try? JSONSerialization.data(withJSONObject: [s], options: [])
        return d.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }

    /// The answer to a command, and whether it changed the simulated plant (the rest — the
    /// speed, communication faults, reading — touch only the daemon).
    private func carryOut(_ c: ControlAPI.Command) throws -> (String, Bool) {
        func need(_ k: String) throws -> String {
            guard let v = c.body[k] else { throw APIError(message: "\(c.path): field '\(k)' is missing") }
            return v
        }
        switch c.path {
        case "/status":
            return ("{\"timeS\": \(simulation.timeS), \"speed\": \(speed), \"scenario\": \(Self.jsonString(simulation.spec.name))}", false)
        case "/alarms":
            let a = simulation.controller.alarms
            let items = a.definitions.indices.map { i in
                "{\"id\": \(Self.jsonString(a.definitions[i].id)), \"state\": \(Self.jsonString("\(a.states[i])")), \"priority\": \(Self.jsonString("\(a.definitions[i].priority)")), \"message\": \(Self.jsonString(a.definitions[i].message))}"
            }
            return ("[" + items.joined(separator: ", ") + "]", false)
        case "/speed":
            guard let s = Double(try need("speed")), s > 0, s <= 100_000 else { throw APIError(message: "speed is between 0 (excluded) and 100000") }
            speed = s
            return ("{\"speed\": \(s)}", false)
        case "/faults" where c.body["kind"] == "commFault", "/faults/clear" where c.body["kind"] == "commFault":
            guard let u = Int(try need("unit")), (1...247).contains(u) else { throw APIError(message: "unit is 1–247") }
            if c.path == "/faults/clear" { server.setCommFault(unit: UInt8(u), nil) } else {
                let f: CommFault
                switch try need("mode") {
                case "late":
                    guard let ms = Int(try need("delayMs")), (1...60_000).contains(ms) else { throw APIError(message: "delayMs is 1–60000") }
                    f = .late(ms: ms)
                case "silent": f = .silent
                case "exception04": f = .exception(.deviceFailure)
                case "exception06": f = .exception(.busy)
                case "drop": f = .dropConnection
                case "offline": f = .offline
                case let m: throw APIError(message: "mode is late, silent, exception04, exception06, drop or offline, not '\(m)'")
                }
                server.setCommFault(unit: UInt8(u), f)
            }
            return (#"{"ok": true}"#, false)
        default:
            return (try simulation.carryOut(instruction: c.path, body: c.body), true)
        }
    }
}

extension Simulation {
    /// The instructor's commands that change the plant (from the control API, or read back by
    /// `chaufferie replay`): acknowledge alarms, order a delivery, inject or clear a fault.
    /// Returns the JSON answer; throws, changing nothing, on a bad command.
    public mutating func carryOut(instruction path: String, body: [String: String]) throws -> String {
        func need(_ k: String) throws -> String {
            guard let v = body[k] else { throw APIError(message: "\(path): field '\(k)' is missing") }
            return v
        }
        func boiler() throws -> Int {
            let id = try need("boiler")
            guard let i = spec.boilerRoom.boilers.firstIndex(where: { $0.id == id }) else { throw APIError(message: "no boiler '\(id)'") }
            return i
        }
        func building() throws -> Int {
            let id = try need("building")
            guard let i = spec.buildings.firstIndex(where: { $0.id == id }) else { throw APIError(message: "no building '\(id)'") }
            return i
        }
        switch path {
        case "/alarms/ack":
            if let id = body["id"] {
                guard let i = controller.alarms.index(of: id) else { throw APIError(message: "no alarm '\(id)'") }
                acknowledgeAlarm(i)
            } else {
                acknowledgeAllAlarms()
            }
            return #"{"ok": true}"#
        case "/deliver":
            guard let n = Int(try need("trucks")), (1...50).contains(n) else { throw APIError(message: "trucks is 1–50") }
            orderDelivery(trucks: n)
            return "{\"ordered\": \(n)}"
        case "/faults", "/faults/clear":
            let on = path == "/faults"
            switch try need("kind") {
            case "boilerFault":
                let i = try boiler()
                if on {
                    let f = try need("fault")
                    guard let fault = BoilerFault.byName[f] else {
                        throw APIError(message: "unknown fault '\(f)'; faults are \(BoilerFault.byName.keys.sorted().joined(separator: ", "))")
                    }
                    injectBoilerFault(i, fault)
                } else {
                    try writeTag(.woodChipBoiler, i, "reset", 1)
                }
            case "meterFault": setMeterFailed(try building(), on)
            case "secondaryPumpFault": setSecondaryPumpFailed(try building(), on)
            case "valveStuck": setValveStuck(try building(), on)
            case "networkPumpFault": setNetworkPumpFailed(on)
            case "bufferSensor": setBufferSensorFailed(on)
            case "leak":
                if !on { setLeak(m3PerH: 0) } else {
                    guard let q = Double(try need("m3PerH")), q > 0, q <= 50 else { throw APIError(message: "m3PerH is above 0 and at most 50") }
                    setLeak(m3PerH: q)
                }
            case "outdoorSensor":
                if !on { setOutdoorSensorFault(nil) } else {
                    switch try need("mode") {
                    case "failed": setOutdoorSensorFault((true, 0))
                    case "drift":
                        guard let d = Double(try need("driftK")), (-20...20).contains(d) else { throw APIError(message: "driftK is −20…20 K") }
                        setOutdoorSensorFault((false, d))
                    case let m: throw APIError(message: "mode is failed or drift, not '\(m)'")
                    }
                }
            case let k:
                throw APIError(message: "kind is boilerFault, meterFault, secondaryPumpFault, valveStuck, networkPumpFault, bufferSensor, leak, outdoorSensor or commFault, not '\(k)'")
            }
            return #"{"ok": true}"#
        default:
            throw APIError(message: "no such resource")
        }
    }
}
