import Foundation
import Historian
import Hummingbird
import NIOCore
import ModbusServer
import PlantControl
import Prometheus
import SimulationCore

/// What the web console (`serve --web`) shows, kept up to date by the daemon between two batches
/// of steps and read by the console's HTTP handlers on their own threads:
/// - the live snapshot: every served device's points as its registers show them (the same
///   reads and display resolution as the Modbus publication: what the page shows is what a
///   client reads), the alarms with their ISA-18.2 states, the clock;
/// - the point browser's catalogue (static): each point's unit, register, type and scale;
/// - the Prometheus registry behind `/metrics`: plant gauges and the servers' counters;
/// - where the historian is, for the trends.
public final class ConsoleFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshotJSON = "{}"
    private var version = 0
    private var closed = false
    /// The catalogue of the served points, JSON (see `pointsJSON(devices:)`).
    public let pointsJSON: String
    /// The historian's file and session (nil: the daemon records nothing, no trends).
    public let historian: (path: String, session: Int64)?
    /// When set, the console's instructions (POST) need `Authorization: Bearer <token>`: a
    /// student's screen without it is read-only.
    public let token: String?
    /// The console's snapshot is rebuilt at most this often (wall s); the page is pushed it at
    /// the same rate (≥ 1 Hz asked).
    public let periodS = 0.25
    var lastBuiltS = -Double.infinity

    let registry = PrometheusCollectorRegistry()
    let gauges: [String: Gauge]
    let alarmsActive: Gauge, alarmsUnacknowledged: Gauge, simulatedTime: Gauge, speedGauge: Gauge
    let historianCommitted: Gauge, historianLost: Gauge

    /// The plant controller's points published as gauges (metric, unit, point, help): the
    /// Prometheus name is `chaufferie_<metric>_<unit>`.
    static let plantGauges: [(String, String, String, String)] = {
        typealias P = PlantControllerPoints.Name
        return [
            ("outdoor", "celsius", P.outdoor, "Outdoor temperature as the plant's sensor reads it"),
            ("network_supply", "celsius", P.networkSupply, "Network supply temperature"),
            ("network_return", "celsius", P.networkReturn, "Network return temperature"),
            ("network_flow", "m3_per_hour", P.networkFlow, "Network flow"),
            ("network_heat", "kilowatts", P.networkPower, "Heat sent into the network"),
            ("buffer_top", "celsius", P.bufferTop, "Buffer tank, top"),
            ("buffer_bottom", "celsius", P.bufferBottom, "Buffer tank, bottom"),
            ("silo_level", "percent", P.siloLevelPercent, "Wood-chip silo level"),
            ("cascade_stage", "", P.cascadeStage, "Boilers the cascade asks for"),
        ]
    }()

    public init(devices: [ServedDevice], historian: (path: String, session: Int64)?, token: String?) {
        pointsJSON = Self.pointsJSON(devices: devices)
        self.historian = historian; self.token = token
        let r = registry
        func gauge(_ metric: String, _ unit: String, _ help: String) -> Gauge {
            r.makeGauge(descriptor: MetricNameDescriptor(namespace: "chaufferie", metricName: metric, unitName: unit, helpText: help))
        }
        var g: [String: Gauge] = [:]
        for (metric, unit, point, help) in Self.plantGauges { g[point] = gauge(metric, unit, help) }
        gauges = g
        alarmsActive = gauge("alarms_active", "", "Alarms whose condition is present (unacknowledged or acknowledged)")
        alarmsUnacknowledged = gauge("alarms_unacknowledged", "", "Alarms not acknowledged (active or cleared)")
        simulatedTime = gauge("simulated_time", "seconds", "The plant's clock since the scenario's start")
        speedGauge = gauge("speed", "", "Simulated seconds per wall second (0: paused)")
        historianCommitted = gauge("historian_committed_samples", "", "Samples committed to the historian this session")
        historianLost = gauge("historian_lost_samples", "", "Samples the historian could not keep this session")
    }

    /// The latest snapshot and its version (a new version each rebuild).
    public func latest() -> (version: Int, json: String) { lock.withLock { (version, snapshotJSON) } }

    /// When a page's stream or a metrics scrape last read the feed (monotonic wall s): the
    /// snapshot is built only while someone watches (a minute after the last read, longer than
    /// the usual 15 s between scrapes), so a daemon nobody looks at does not pay for it.
    private var lastWatchedS = -Double.infinity
    public static let watchedForS = 60.0
    static func wallS() -> Double { ProcessInfo.processInfo.systemUptime }
    func touch() { let t = Self.wallS(); lock.withLock { lastWatchedS = t } }
    var isWatched: Bool { let t = Self.wallS(); return lock.withLock { t - lastWatchedS <= Self.watchedForS } }

    /// Whether the console has closed (the daemon stopping): live streams end.
    public var isClosed: Bool { lock.withLock { closed } }
    func close() { lock.withLock { closed = true } }

    func publish(_ json: String, timeS: Double) { lock.withLock { snapshotJSON = json; version += 1; lastTimeS = timeS } }
    private var lastTimeS = 0.0
    /// The simulated time of the latest snapshot, s.
    public var timeS: Double { lock.withLock { lastTimeS } }
    /// The Modbus servers' counters (set by the daemon the console belongs to).
    public var counters: @Sendable () -> [ServerCounters] = { [] }

    /// The Prometheus text exposition: the registry's gauges and the servers' counters.
    public func metricsText(counters: [ServerCounters]) -> String {
        var out = registry.emitToString()
        var total = ServerCounters()
        for c in counters {
            for (k, v) in c.requests { total.requests[k, default: 0] += v }
            for (k, v) in c.exceptions { total.exceptions[k, default: 0] += v }
            total.connectionsAccepted += c.connectionsAccepted; total.connectionsRefused += c.connectionsRefused
            total.writesRefused += c.writesRefused
        }
        // counters: the servers count them (monotonic since the start), written here in the text
        // format's own terms (a `_total` sample under a `counter` TYPE)
        out += "# HELP chaufferie_modbus_requests_total Modbus requests received, by function code\n# TYPE chaufferie_modbus_requests_total counter\n"
        let fcs = total.requests.isEmpty ? [3] : total.requests.keys.sorted()
        for fc in fcs { out += "chaufferie_modbus_requests_total{function=\"\(fc)\"} \(total.requests[fc] ?? 0)\n" }
        out += "# HELP chaufferie_modbus_exceptions_total Modbus exception replies sent, by exception code\n# TYPE chaufferie_modbus_exceptions_total counter\n"
        let codes = total.exceptions.isEmpty ? [2] : total.exceptions.keys.sorted()
        for c in codes { out += "chaufferie_modbus_exceptions_total{code=\"\(c)\"} \(total.exceptions[c] ?? 0)\n" }
        out += "# HELP chaufferie_modbus_connections_total Modbus connections accepted\n# TYPE chaufferie_modbus_connections_total counter\n"
        out += "chaufferie_modbus_connections_total \(total.connectionsAccepted)\n"
        out += "# HELP chaufferie_modbus_connections_refused_total Modbus connections refused at the cap\n# TYPE chaufferie_modbus_connections_refused_total counter\n"
        out += "chaufferie_modbus_connections_refused_total \(total.connectionsRefused)\n"
        out += "# HELP chaufferie_modbus_writes_refused_total Modbus writes refused by the write policy\n# TYPE chaufferie_modbus_writes_refused_total counter\n"
        out += "chaufferie_modbus_writes_refused_total \(total.writesRefused)\n"
        return out
    }

    /// The served points: for each device its unit, port, type and, per point, its unit of
    /// measure, register and encoding, whether it takes writes, and its description.
    static func pointsJSON(devices: [ServedDevice]) -> String {
        let items = devices.map { d -> String in
            let points = zip(d.profile.entries, d.points).map { e, p in
                "{\"name\": \(js(p.name)), \"unit\": \(js(p.unit)), \"table\": \(js(e.table.rawValue)), \"address\": \(e.address), "
                    + "\"reference\": \(e.reference), \"type\": \(js(e.type.rawValue)), \"scale\": \(e.scale), \"writable\": \(p.writable), "
                    + "\"description\": \(js(p.description))}"
            }
            return "{\"device\": \(js(d.device)), \"type\": \(js(d.type.name)), \"unit\": \(d.unit), \"port\": \(d.port), \"index\": \(d.index), \"wordOrder\": \(js(d.profile.wordOrder.rawValue)), "
                + "\"points\": [\(points.joined(separator: ", "))]}"
        }
        return "{\"devices\": [" + items.joined(separator: ",\n") + "],\n\"bindings\": \(bindingsJSON(devices: devices)),\n\"types\": \(typesJSON)}"
    }

    /// What each value the synoptic draws is, by role (the page names roles, the catalogue the
    /// points: a point renamed in its declaration moves the synoptic with it).
    static func bindingsJSON(devices: [ServedDevice]) -> String {
        typealias P = PlantControllerPoints.Name
        typealias W = WoodChipBoilerPoints.Name
        typealias G = GasBoilerPoints.Name
        typealias S = SubstationPoints.Name
        typealias H = HeatPumpPoints.Name
        typealias F = SolarFieldPoints.Name
        typealias R = RecoveredHeatPoints.Name
        let roles: [(String, String)] = [
            ("outdoorC", P.outdoor), ("netSupply", P.networkSupply), ("netSetpoint", P.networkSetpoint), ("netReturn", P.networkReturn),
            ("netFlow", P.networkFlow), ("netDp", P.differentialPressure), ("netPump", P.pumpSpeed), ("netPower", P.networkPower),
            ("netPressure", P.pressure), ("cascadeStage", P.cascadeStage), ("bufferTop", P.bufferTop), ("bufferBottom", P.bufferBottom),
            ("siloPercent", P.siloLevelPercent), ("siloDays", P.siloAutonomy),
            ("bState", W.state), ("bFault", W.faultCode), ("bModulation", W.modulation), ("bOutput", W.output), ("bSupply", W.supply),
            ("bReturn", W.returnTemperature),
            ("gState", G.state), ("gFiring", G.firing), ("gOutput", G.output), ("gWater", G.water),
            ("hState", H.state), ("hOutput", H.output), ("hCop", H.cop), ("hSourceFlow", H.sourceFlow), ("hEvaporating", H.evaporating),
            ("fPump", F.pump), ("fCollector", F.collector), ("fIrradiance", F.irradiance), ("fOutput", F.output),
            ("rRunning", R.running), ("rOutput", R.output),
            ("sValve", S.valvePosition), ("sPrimarySupply", S.primarySupply), ("sPrimaryReturn", S.primaryReturn),
            ("sSecondarySupply", S.secondarySupply), ("sSetpoint", S.secondarySetpoint), ("sSecondaryReturn", S.secondaryReturn),
            ("sRoom", S.room), ("sRoomSetpoint", S.roomSetpoint), ("sDhw", S.dhw), ("sPump", S.pump),
            ("mPower", HeatMeterPoints.power), ("mEnergy", HeatMeterPoints.energy),
        ]
        // the buffer's layers the plant controller serves, top first
        let plantPoints = Set(devices.first { $0.kind == .plantController }?.points.map(\.name) ?? [])
        let layers = (1...64).map(P.bufferLayer).prefix { plantPoints.contains($0) }
        return "{" + roles.map { "\(js($0.0)): \(js($0.1))" }.joined(separator: ", ")
            + ", \"bufferLayers\": [" + layers.map(js).joined(separator: ", ") + "]}"
    }

    /// The device types the synoptic draws, by kind.
    static var typesJSON: String {
        let kinds: [(String, DeviceKind)] = [("plant", .plantController), ("boiler", .woodChipBoiler), ("gas", .gasBoiler),
                                             ("heatPump", .heatPump), ("solar", .solarField), ("recovered", .recoveredHeat),
                                             ("substation", .substationController), ("meter", .heatMeter)]
        return "{" + kinds.map { "\(js($0.0)): \(js($0.1.type.name))" }.joined(separator: ", ") + "}"
    }

    /// A JSON string literal.
    static func js(_ s: String) -> String { Daemon.jsonString(s) }

    /// A JSON number, or null for no value.
    static func num(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "null" }
        return Point.fmt(v)
    }

    /// The trend of `tags` over the last `hours` simulated hours before `endS` from the
    /// historian: `{"tags": {tag: [[t, v], …]}}` (t in simulated s).
    public func trendJSON(tags: [String], hours: Double, endS: Double) throws -> String {
        guard let h = historian else { throw APIError(message: "nothing is recorded (serve with --db): no trends") }
        let reader = try HistorianReader(path: h.path)
        let known = Set(try reader.tags().map(\.definition.name))
        let to = Int64(endS.rounded(.up)), from = to - Int64(hours * 3600)
        var parts: [String] = []
        for t in tags {
            guard known.contains(t) else { throw APIError(message: "the historian has no tag '\(t)'") }
            // the value held at the window's start, then every stored sample in it
            var pts: [(Int64, Double)] = []
            if let v0 = try reader.value(session: h.session, tag: t, at: from) { pts.append((from, v0)) }
            pts += try reader.series(session: h.session, tag: t, from: from + 1, to: to).map { ($0.t, $0.v) }
            parts.append("\(Self.js(t)): [" + pts.map { "[\($0.0), \(Self.num($0.1))]" }.joined(separator: ",") + "]")
        }
        return "{\"from\": \(from), \"to\": \(to), \"tags\": {" + parts.joined(separator: ", ") + "}}"
    }

    /// The alarm transitions the historian recorded over the last `hours` simulated hours before
    /// `endS`, newest first, at most `limit`: each transition's time, alarm id, new state and text.
    public func alarmHistoryJSON(hours: Double, endS: Double, limit: Int = 500) throws -> String {
        guard let h = historian else { throw APIError(message: "nothing is recorded (serve with --db): no alarm history") }
        let reader = try HistorianReader(path: h.path)
        let from = endS - hours * 3600
        let items = try reader.events(session: h.session, kind: "alarm").filter { $0.t >= from && $0.t <= endS }.suffix(limit).reversed()
        return "[" + items.map { e in
            "{\"t\": \(Self.num(e.t)), \"id\": \(Self.js(e.source)), \"state\": \(Self.js(e.value.flatMap { AlarmState(rawValue: Int($0)) }.map { "\($0)" } ?? "?")), "
                + "\"text\": \(Self.js(e.text))}"
        }.joined(separator: ", ") + "]"
    }

    /// The historian's tags: `[{"name", "unit", "description"}]`.
    public func trendTagsJSON() throws -> String {
        guard let h = historian else { return "[]" }
        let reader = try HistorianReader(path: h.path)
        return "[" + (try reader.tags()).map { "{\"name\": \(Self.js($0.definition.name)), \"unit\": \(Self.js($0.definition.unit)), \"description\": \(Self.js($0.definition.description))}" }
            .joined(separator: ", ") + "]"
    }
}

extension Daemon {
    /// Rebuilds the console's snapshot and gauges (at most every `ConsoleFeed.periodS` of the
    /// daemon's clock, and after every instruction carried out).
    func feedConsole(force: Bool) {
        guard let feed = web?.console, feed.isWatched else { return }
        guard force || clockS - feed.lastBuiltS >= feed.periodS else { return }
        feed.lastBuiltS = clockS
        let sim = simulation
        let moment = sim.calendar.moment(sim.timeS)
        let date = moment.date
        let hh = Int(moment.hourOfDay), mm = Int((moment.hourOfDay - Double(hh)) * 60), ss = Int(sim.timeS.truncatingRemainder(dividingBy: 60))
        var out = "{\"t\": \(ConsoleFeed.num(sim.timeS)), \"speed\": \(ConsoleFeed.num(speed)), \"scenario\": \(ConsoleFeed.js(sim.spec.name)), "
        out += "\"clock\": \"\(date) \(String(format: "%02d:%02d:%02d", hh, mm, ss))\", \"devices\": {"
        var plantValues: [String: Double?] = [:]
        for (k, d) in devices.enumerated() {
            if k > 0 { out += ", " }
            out += "\(ConsoleFeed.js(d.device)): {"
            let values = shownValues(k, sim)
            for i in values.indices {
                if i > 0 { out += ", " }
                let v = values[i]
                out += "\(ConsoleFeed.js(d.points[i].name)): \(ConsoleFeed.num(v))"
                if d.kind == .plantController { plantValues[d.points[i].name] = v }
            }
            out += "}"
        }
        out += "}, \"alarms\": ["
        let a = sim.controller.alarms
        var active = 0, unacked = 0
        for i in a.definitions.indices {
            if i > 0 { out += ", " }
            let st = a.states[i]
            if st == .unacknowledged || st == .acknowledged { active += 1 }
            if st == .unacknowledged || st == .clearedUnacknowledged { unacked += 1 }
            out += "{\"id\": \(ConsoleFeed.js(a.definitions[i].id)), \"state\": \"\(st)\", \"priority\": \"\(a.definitions[i].priority)\", \"message\": \(ConsoleFeed.js(a.definitions[i].message))}"
        }
        out += "]"
        if let s = score { out += ", \"exercise\": \(ConsoleFeed.js(s.text))" }
        out += "}"
        feed.publish(out, timeS: sim.timeS)
        for (point, gauge) in feed.gauges { if let v = plantValues[point] ?? nil { gauge.set(v) } }
        feed.alarmsActive.set(Double(active)); feed.alarmsUnacknowledged.set(Double(unacked))
        feed.simulatedTime.set(sim.timeS); feed.speedGauge.set(speed)
        if let st = recording?.recorder.statistics {
            feed.historianCommitted.set(Double(st.committedSamples)); feed.historianLost.set(Double(st.lostSamples))
        }
    }
}

extension ControlAPI {
    /// Answers the console's own routes: the page, the live stream, the point catalogue, the
    /// trends and the metrics.
    static func serveConsole(_ feed: ConsoleFeed, _ request: Request, path: String) async throws -> Response {
        func answer(_ status: Int, _ type: String, _ text: String) -> Response {
            var h = HTTPFields()
            h[.contentType] = type
            h[.cacheControl] = "no-store"
            return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        switch path {
        case "/": return answer(200, "text/html; charset=utf-8", ConsolePage.html)
        case "/points": return answer(200, "application/json", feed.pointsJSON)
        case "/metrics":
            feed.touch()
            return answer(200, "text/plain; version=0.0.4; charset=utf-8", feed.metricsText(counters: feed.counters()))
        case "/alarms/history":
            guard let hours = Double(request.uri.queryParameters.get("hours") ?? "24"), hours > 0, hours <= 24 * 366 else {
                return answer(400, "application/json", #"{"error": "hours: above 0 and at most 8784"}"#)
            }
            do { return answer(200, "application/json", try feed.alarmHistoryJSON(hours: hours, endS: feed.timeS)) } catch {
                return answer(400, "application/json", "{\"error\": \(ConsoleFeed.js("\(error)"))}")
            }
        case "/trend/tags":
            do { return answer(200, "application/json", try feed.trendTagsJSON()) } catch { return answer(500, "application/json", "{\"error\": \(ConsoleFeed.js("\(error)"))}") }
        case "/trend":
            let q = request.uri.queryParameters
            let tags = (q.get("tags") ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
            guard !tags.isEmpty, tags.count <= 8 else { return answer(400, "application/json", #"{"error": "tags: one to eight historian tags, comma-separated"}"#) }
            guard let hours = Double(q.get("hours") ?? "2"), hours > 0, hours <= 24 * 31 else {
                return answer(400, "application/json", #"{"error": "hours: above 0 and at most 744"}"#)
            }
            do { return answer(200, "application/json", try feed.trendJSON(tags: tags, hours: hours, endS: feed.timeS)) } catch {
                return answer(400, "application/json", "{\"error\": \(ConsoleFeed.js("\(error)"))}")
            }
        default:
            // the live snapshot as server-sent events, each new one as it is built
            var h = HTTPFields()
            h[.contentType] = "text/event-stream"
            h[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                var sent = -1
                var idle = 0
                // a feed nobody watched holds no snapshot, or an old one: the first is the next built
                let wasWatched = feed.isWatched, v0 = feed.latest().version
                feed.touch()
                if !wasWatched { for _ in 0..<20 where feed.latest().version == v0 { try await Task.sleep(for: .milliseconds(50)) } }
                while !feed.isClosed && !Task.isCancelled {
                    feed.touch()
                    let (v, json) = feed.latest()
                    if v != sent {
                        try await writer.write(ByteBuffer(string: "data: \(json)\n\n"))
                        sent = v; idle = 0
                    } else {
                        idle += 1
                        // a comment every 10 s keeps proxies and the browser from timing out
                        if idle % 100 == 0 { try await writer.write(ByteBuffer(string: ": idle\n\n")) }
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: h, body: body)
        }
    }
}
