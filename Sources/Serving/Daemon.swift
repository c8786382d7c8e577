import Foundation
import PlantRecording
import SimulationCore
import Training
import Logging
import Historian
import ModbusServer
import RegisterMap
import Scenario

/// The daemon: the simulation run against a clock at a speed factor, its devices served over
/// Modbus TCP, run as a `ServiceGroup` (`serviceGroup(clock:)`, DaemonServices.swift). The
/// simulation never waits on the network: the server thread answers from the register image,
/// which the simulation publishes after each batch of steps; client writes are queued and handed
/// to the control core before the next batch.
public final class Daemon: @unchecked Sendable {
    public internal(set) var simulation: Simulation
    public let devices: [ServedDevice]
    /// Each device's points as the publication reads them (the whole `Point`, with its names,
    /// description and rules, copied for every register entry was a third of a publication).
    let readers: [[PointReader]]
    /// The device types the served devices are of.
    public let catalogue: Catalogue
    /// One Modbus server per port (gateway), by port offset: each carries unit ids 1–247.
    public let servers: [ModbusTCPServer]
    /// The first port's server (the only one of a plant that fits in 247 units).
    public var server: ModbusTCPServer { servers[0] }
    /// Simulated seconds per wall second.
    public var speed: Double
    /// The historian session this daemon records into, if any (set before `run`).
    public var recording: Recording?
    /// The instructor's control API, if started (its commands are carried out between batches).
    public var api: ControlAPI?
    /// The web console (`serve --web`): a second HTTP server with the same instructions and the
    /// console's pages (`ControlAPI.console`); set before the services start.
    public var web: ControlAPI? {
        didSet {
            let servers = self.servers
            web?.console?.counters = { servers.map(\.counters) }
        }
    }
    /// Where the retentive memory is saved, and how often (wall seconds); nil: not saved.
    public var statePath: String?
    public var snapshotEveryS = 10.0
    /// The exercise being scored, if any (looked at every 10 simulated seconds).
    public var score: ExerciseScore?
    /// Where the meters' indexes are kept in non-volatile memory (see `MeterStore`); nil: not kept.
    public var meterStorePath: String?
    private var persistedMeters: [MeterStore.Shown] = []
    private var meterStoreHealthy = true
    /// When the meter store was last written, in seconds of the loop's clock (`clockS`).
    private var lastMeterStoreWriteS: Double?
    /// Seconds of the loop's clock since it started (set by the loop before each batch): the
    /// daemon reads no clock of its own.
    var clockS = 0.0
    /// Shortest wall time between two writes of the meter store, s.
    public var meterStoreEveryS = 0.1
    private var lastMeterStoreError: String?
    private let logger: Logger
    /// The state clients' writes are checked against, on the server's thread: the simulation as
    /// last published plus every write accepted since, in the order accepted (a copy: value
    /// types, so the live simulation is never touched from there). A write is checked against
    /// every write accepted before it, from any connection, and one that passes here is applied
    /// by the control core in the same order: a normal reply means it took effect.
    private let shadowLock = NSLock()
    private var shadow: Simulation
    /// Writes refused by the write policy, waiting to be logged and recorded on the daemon's thread.
    private let refusedLock = NSLock()
    private var refusedWrites: [(client: String, unit: UInt8, function: UInt8)] = []
    private var refusedLogged: [String: (count: Int, lastLogS: Double)] = [:]
    private let publishedLock = NSLock()
    private var lastPublishedTimeS = 0.0
    /// The simulated time the register image shows (read from any thread).
    public var publishedTimeS: Double { publishedLock.withLock { lastPublishedTimeS } }
    /// Whether the simulation loop has read its clock's origin (read from any thread): from then
    /// on, time the clock advances is simulated time (a test clock advanced before would be lost).
    public var loopHasStarted: Bool { publishedLock.withLock { loopStarted } }
    private var loopStarted = false
    func markLoopStarted() { publishedLock.withLock { loopStarted = true } }
    /// The historian session's statistics once the group's writer has closed it.
    var finishedRecording: Recorder.Statistics?

    public init(simulation: Simulation, devices: [ServedDevice], speed: Double, maxConnections: Int = 64, catalogue: Catalogue = .standard,
                logger: Logger = Logger(label: "chaufferie.daemon")) throws {
        self.simulation = simulation
        self.catalogue = catalogue
        self.devices = devices
        self.speed = speed
        self.logger = logger
        let ports = (devices.map(\.port).max() ?? 0) + 1
        servers = try (0..<ports).map { k in
            try ModbusTCPServer(units: devices.filter { $0.port == k }.map { UnitMap(unit: UInt8($0.unit), profile: $0.profile) },
                                maxConnections: maxConnections)
        }
        readers = devices.map { d in d.points.map { PointReader(read: $0.read, shown: $0.shown) } }
        byPortUnit = Dictionary(devices.enumerated().map { ($0.element.port * 256 + $0.element.unit, $0.offset) }, uniquingKeysWith: { a, _ in a })
        shadow = simulation
        for (k, server) in servers.enumerated() {
            server.validator = { [unowned self] writes in self.accept(writes, port: k) }
            server.onRefusedWrite = { [unowned self] client, unit, fc in
                // bounded: the daemon drains them every batch; a flood beyond is counted short, not kept
                self.refusedLock.lock()
                if self.refusedWrites.count < 10_000 { self.refusedWrites.append((client, unit, fc)) }
                self.refusedLock.unlock()
            }
        }
        publish()
    }

    /// Index in `devices` of the device on a port offset and unit.
    private let byPortUnit: [Int: Int]
    func device(port: Int, unit: UInt8) -> ServedDevice? { byPortUnit[port * 256 + Int(unit)].map { devices[$0] } }

    /// Who may write over Modbus (`--read-only`, `--write-allow`); set before `listen`.
    public func setWritePolicy(_ p: WritePolicy) { for s in servers { s.writePolicy = p } }

    /// Starts the Modbus servers: the first on `host:port` (0 = any free port; see `server.port`),
    /// each further one on the next port (or any free one).
    public func listen(host: String, port: UInt16) throws {
        for (k, s) in servers.enumerated() {
            guard port == 0 || Int(port) + k <= 65535 else { throw ServerError(message: "--listen: port \(Int(port) + k) for the gateway +\(k) is beyond 65535") }
            try s.start(host: host, port: port == 0 ? 0 : port + UInt16(k))
        }
    }

    /// Whether the control core takes these writes (all or none), checked against every write
    /// accepted before them; if so they join the state later writes are checked against.
    /// Called by the server, in the order requests arrive.
    func accept(_ writes: [PointWrite], port: Int) -> Bool {
        shadowLock.lock(); defer { shadowLock.unlock() }
        var trial = shadow
        for w in writes {
            guard let d = device(port: port, unit: w.unit) else { return false }
            do { try trial.apply(.write(device: d.device, point: w.tag, value: w.value), catalogue: catalogue) } catch { return false }
        }
        shadow = trial
        return true
    }

    /// Publishes every unit's register image from the simulation's current state, after the
    /// meters' indexes it shows are in non-volatile memory.
    func publish() {
        persistMeters()
        republish()
    }

    /// Builds the register image and the write checker's copy from the simulation as it stands.
    func republish() {
        // every server's writes not yet taken, each server held still (in port order) while the
        // shadow is rebuilt with them
        func withAllNotTaken(from k: Int, _ acc: [(Int, PointWrite)]) {
            guard k < servers.count else {
                var s = simulation
                for (port, w) in acc {
                    guard let d = device(port: port, unit: w.unit) else { continue }
                    try? s.apply(.write(device: d.device, point: w.tag, value: w.value), catalogue: catalogue)
                }
                shadowLock.lock(); shadow = s; shadowLock.unlock()
                return
            }
            servers[k].withWritesNotTaken { notTaken in withAllNotTaken(from: k + 1, acc + notTaken.map { (k, $0) }) }
        }
        withAllNotTaken(from: 0, [])
        // one local copy read by every point (handing the stored property to each point's read
        // copied the whole simulation, its arrays retained and released, per register entry)
        let sim = simulation
        for (k, d) in devices.enumerated() { servers[d.port].publish(unit: UInt8(d.unit), values: shownValues(k, sim)) }
        let t = simulation.timeS
        publishedLock.withLock { lastPublishedTimeS = t }
    }

    /// What device `k`'s registers show of `sim`, entry by entry (nil: invalid): each point as
    /// the device shows it, a meter's indexes as last written to its non-volatile memory. The
    /// register image and the web console are both built from it.
    func shownValues(_ k: Int, _ sim: Simulation) -> [Double?] {
        let d = devices[k]
        let meterShown = d.kind == .heatMeter && meterStorePath != nil && meterStoreHealthy && d.index < persistedMeters.count
            ? persistedMeters[d.index] : nil
        var values = [Double?](repeating: nil, count: readers[k].count)
        readers[k].withUnsafeBufferPointer { rs in
            for i in rs.indices {
                if let m = meterShown, let v = m.value(of: d.points[i].name) { values[i] = v; continue }
                values[i] = rs[i].value(sim, d.index)
            }
        }
        return values
    }

    /// Writes the meters' indexes to `meterStorePath` when what the meters show has changed
    /// (a real meter writes its index to non-volatile memory before it shows it): after a
    /// `kill -9`, no index a client has read is ever lower than the one restored.
    /// At most every `meterStoreEveryS` of wall time, like a meter's EEPROM (which also bounds its
    /// cost: at speed 3600 the indexes change at every batch); between two writes the registers
    /// keep showing the indexes last written. If the file cannot be written (logged), the
    /// registers show the live indexes rather than freeze.
    /// Returns true when what the meters show may have changed (indexes written, or the store's
    /// health changed).
    @discardableResult
    func persistMeters() -> Bool {
        guard let path = meterStorePath else { return false }
        if let last = lastMeterStoreWriteS, clockS - last < meterStoreEveryS { return false }
        let shown = simulation.plant.substations.map { MeterStore.Shown($0.meter) }
        guard shown != persistedMeters else { return false }
        do {
            try MeterStore(simulation).write(to: path)
            persistedMeters = shown
            lastMeterStoreWriteS = clockS
            meterStoreHealthy = true
            lastMeterStoreError = nil
            return true
        } catch {
            defer { meterStoreHealthy = false }
            let wasHealthy = meterStoreHealthy
            let msg = "\(error)"
            if msg != lastMeterStoreError {
                logger.error("cannot save the meters' indexes to \(path): \(msg) (the meters show their live indexes: after a kill -9 they may read lower)")
                lastMeterStoreError = msg
            }
            return wasHealthy
        }
    }

    /// Logs and records the writes the write policy refused: the first from each client, then a
    /// count at most every 10 s (a client hammering writes does not flood the log).
    func noteRefusedWrites() {
        refusedLock.lock(); let batch = refusedWrites; refusedWrites.removeAll(); refusedLock.unlock()
        let now = simulation.timeS
        for r in batch {
            let host = String(r.client.split(separator: ":").first ?? "")
            var e = refusedLogged[host] ?? (0, -.infinity)
            e.count += 1
            if e.lastLogS == -.infinity || now - e.lastLogS >= 10 * max(1, speed) {
                let text = e.count == 1 ? "Modbus write refused (function \(r.function), unit \(r.unit)): \(r.client) may not write"
                    : "\(e.count) Modbus writes refused from \(host) since the last report (last: function \(r.function), unit \(r.unit))"
                logger.warning("\(text)")
                recording?.note(HistorianEvent(t: now, kind: "write_refused", source: r.client, tag: "unit \(r.unit)", value: Double(r.function), text: text))
                e = (0, now)
            }
            refusedLogged[host] = e
        }
    }

    /// Hands the clients' writes to the control core; a write it refuses is logged and the
    /// register shows the value in force again at the next publish.
    /// Returns true when a write reached the control core (taken or refused by it).
    @discardableResult
    func applyWrites() -> Bool {
        noteRefusedWrites()
        let writes = servers.enumerated().flatMap { k, s in s.takeWrites().map { (k, $0) } }
        for (port, w) in writes {
            guard let d = device(port: port, unit: w.unit) else { continue }
            do {
                let step = simulation.stepIndex
                let instruction = Instruction.write(device: d.device, point: w.tag, value: w.value)
                try simulation.apply(instruction, catalogue: catalogue)
                let replay = ReplayRecord(step: step, instruction: instruction)
                recording?.note(HistorianEvent(t: simulation.timeS, kind: "write", source: w.client, tag: "\(d.device).\(w.tag)",
                                               value: w.value, text: "Modbus write, unit \(w.unit)", replay: replay.json))
            } catch {
                logger.notice("unit \(w.unit) \(w.tag) = \(w.value) refused by the control core: \(error)")
                recording?.note(HistorianEvent(t: simulation.timeS, kind: "write_refused", source: w.client, tag: "\(d.device).\(w.tag)",
                                               value: w.value, text: "\(error)"))
            }
        }
        return !writes.isEmpty
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Applies the scenario's communication faults in force now to the server (a fault set by
    /// hand, live, stays until cleared by hand).
    private var commFaultsApplied: Set<Int> = []
    func applyCommFaults() {
        let t = simulation.timeS
        for (k, e) in simulation.spec.events.enumerated() {
            guard case let .fault(.comm(unit, mode)) = e.instruction else { continue }
            let active = e.inForce(at: t)
            if active && !commFaultsApplied.contains(k) {
                commFaultsApplied.insert(k)
                let f = Self.commFault(mode)
                server.setCommFault(unit: UInt8(unit), f)
                recording?.note(HistorianEvent(t: t, kind: "comm_fault", source: "unit \(unit)", text: "\(f)"))
            } else if !active && commFaultsApplied.contains(k) {
                commFaultsApplied.remove(k)
                server.setCommFault(unit: UInt8(unit), nil)
                recording?.note(HistorianEvent(t: t, kind: "comm_fault", source: "unit \(unit)", text: "cleared"))
            }
        }
    }

    /// Saves a retentive memory the loop handed over (logs a failure, once per distinct error).
    private var lastSnapshotError: String?
    func save(_ state: RetainedState) {
        guard let path = statePath else { return }
        do {
            try state.write(to: path)
            lastSnapshotError = nil
        } catch {
            let msg = "\(error)"
            if msg != lastSnapshotError { logger.error("cannot save the retentive memory to \(path): \(msg)"); lastSnapshotError = msg }
        }
    }

    /// Closes the historian session with the plant's final values (once the loop has ended).
    func finishRecording() {
        guard let r = recording, finishedRecording == nil else { return }
        finishedRecording = r.finish(simulation)
    }
}
