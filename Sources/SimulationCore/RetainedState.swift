import Foundation
import PlantControl
import PlantModel

/// What a PLC keeps in retentive memory across a power cut, for the whole plant: the simulated
/// clock, meter indexes, boiler counters and latched faults, the silo, the energy counters,
/// alarm states, and every parameter a client can write. Saved as JSON (atomically: a new file
/// renamed over the old one) by `serve` every `--snapshot-every` seconds of wall time and when it
/// stops; read back when it starts again. Temperatures are not kept: after a restart the plant's
/// water and buildings start from where the physics' initial state puts them, as a real plant
/// restarts after an outage, while its counters carry on.
///
/// Version 2 keeps every parameter a client can write as the point catalogue declares it
/// retentive, in `parameters` (`"<device>.<point>": value`); version 1 files (typed `circuits`,
/// `supplyLaw`, `differentialSetpointKPa`, `boilerMaxSetpointC`, `boilers[].disabled`) are still read.
public struct RetainedState: Codable, Equatable, Sendable {
    public struct Meter: Codable, Equatable, Sendable {
        public var energyKWh, volumeM3, operatingHours: Double
        /// Hours counted in error (EN 1434 error-hours counter); absent in files written before it.
        public var errorHours: Double? = nil
    }
    public struct Boiler: Codable, Equatable, Sendable {
        public var runHours: Double, starts: Int, ashKg: Double, fuelKWh: Double, toLoopKWh: Double, fault: Int
        /// Version 1 only (version 2: the `enable` point in `parameters`).
        public var disabled: Bool? = nil
    }
    public struct Silo: Codable, Equatable, Sendable {
        public var levelM3: Double, trucksDelivered: Int, deliveredM3: Double, withdrawnM3: Double
        public var pendingArrivalS: Double?, pendingTrucks: Int, automatic: Bool
    }
    public struct Circuit: Codable, Equatable, Sendable {
        public var mode: Int, roomShiftK: Double, comfortRoomC: Double, reducedRoomC: Double
        /// Curve form 0 (slope: [slope, displacement]) or 1 (six flow temperatures).
        public var curveForm: Int, curve: [Double]
        /// The other form's parameters, kept while not in use (absent: never set, derived).
        public var keptCurve: [Double]? = nil
        public var minFlowC: Double, maxFlowC: Double, summerCutOffC: Double
        /// The commissioning settings (issue 11); absent in files written before them.
        public var returnLimitColdC: Double? = nil, returnLimitWarmC: Double? = nil
        public var optimumStart: Bool? = nil, boostK: Double? = nil
        public var dhwSetpointC: Double? = nil, dhwDifferentialK: Double? = nil, dhwPriority: Bool? = nil
    }
    public var version = 2
    public var scenarioFile: String
    public var scenarioName: String
    public var timeS: Double
    public var stepIndex: Int
    public var eventsDone: [Int]
    /// The scenario's events held over a duration that were in force (absent from older states).
    public var eventsInForce: [Int]? = nil
    public var energy: EnergyCounters
    public var ashKg: Double
    public var meters: [Meter]
    public var boilers: [Boiler]
    /// The gas boilers' counters (absent from states saved before they were kept, or with none).
    public struct GasBoilerCounters: Codable, Equatable, Sendable {
        public var runHours: Double, starts: Int, fuelKWhLHV: Double
        public var toLoopKWh: Double? = nil
    }
    public var gasBoilers: [GasBoilerCounters]? = nil
    /// The heat pumps' counters (absent with none).
    public struct HeatPumpCounters: Codable, Equatable, Sendable {
        public var runHours: Double, starts: Int, heatKWh: Double, electricityKWh: Double, sourceKWh: Double, toLoopKWh: Double
    }
    public var heatPumps: [HeatPumpCounters]? = nil
    /// The solar fields' counters (absent with none).
    public struct SolarFieldCounters: Codable, Equatable, Sendable {
        public var toLoopKWh: Double, irradiationKWh: Double, electricityKWh: Double, pumpHours: Double, stagnationHours: Double
    }
    public var solarFields: [SolarFieldCounters]? = nil
    /// Recovered heat's counters (absent with none).
    public struct RecoveredCounters: Codable, Equatable, Sendable {
        public var toLoopKWh: Double, electricityKWh: Double, availableHours: Double
    }
    public var recovered: [RecoveredCounters]? = nil
    public var silo: Silo
    /// Version 1's parameters (version 2: `parameters`).
    public var circuits: [Circuit]? = nil
    public var supplyLaw: [Double]? = nil
    public var differentialSetpointKPa: Double? = nil
    public var boilerMaxSetpointC: Double? = nil
    /// Every retentive point of every device, `"<device>.<point>": value` (version 2).
    public var parameters: [String: Double]? = nil
    public var alarmStates: [String: Int]
    public var alarmLatched: [String: Bool]
    /// The make-up water meter, m³ (absent from states saved before it was kept).
    public var makeUpM3: Double?
    /// Faults in the plant's hardware at the snapshot: a power cut repairs none of them (a
    /// broken igniter is still broken after the restart). Absent from older states.
    public struct Hardware: Codable, Equatable, Sendable {
        public var igniterFailed: [Int], boilerPumpFailed: [Int], valveStuck: [Int], secondaryPumpFailed: [Int], meterFailed: [Int]
        public var networkPumpFailed: Bool, leakM3PerH: Double, bufferSensorFailed: Bool
        public var outdoorSensorFailed: Bool, outdoorSensorDriftK: Double?
        /// Gas boilers locked out (absent from older states).
        public var gasLockedOut: [Int]? = nil
        /// Heat pumps locked out (absent with none).
        public var heatPumpLockedOut: [Int]? = nil
        /// Each heat pump's source as its faults left it: the share of the design flow its
        /// pumps give (a tripped well pump 0, a clogged screen 0.5) and the evaporator's fouling,
        /// K (absent with no heat pump, and from older states).
        public var heatPumpSourceFlowFactor: [Double]? = nil
        public var heatPumpFoulingK: [Double]? = nil
        /// Solar fields whose loop pump has failed; recovered-heat sources tripped (absent with
        /// none of them, and from older states).
        public var solarPumpFailed: [Int]? = nil
        public var recoveredTripped: [Int]? = nil
    }
    public var hardware: Hardware?

    /// The retentive memory of `sim` now (its parameters: the retentive points of `catalogue`).
    public init(_ sim: Simulation, catalogue: Catalogue = .standard) {
        let p = sim.plant, c = sim.controller
        scenarioFile = sim.spec.file; scenarioName = sim.spec.name
        timeS = p.timeS; stepIndex = sim.stepIndex; eventsDone = sim.oneShotEventsDone.sorted()
        eventsInForce = sim.eventsInForce.sorted()
        energy = p.energy; ashKg = p.ashKg
        meters = p.substations.map { Meter(energyKWh: $0.meter.energyKWh, volumeM3: $0.meter.volumeM3, operatingHours: $0.meter.operatingHours, errorHours: $0.meter.errorHours) }
        boilers = p.boilers.indices.map { i in
            let b = p.boilers[i]
            return Boiler(runHours: b.runHours, starts: b.starts, ashKg: b.ashKg, fuelKWh: b.fuelKWh, toLoopKWh: b.toLoopKWh,
                          fault: b.fault.rawValue)
        }
        let s = p.silo
        silo = Silo(levelM3: s.levelM3, trucksDelivered: s.trucksDelivered, deliveredM3: s.deliveredM3, withdrawnM3: s.withdrawnM3,
                    pendingArrivalS: s.pendingArrivalS, pendingTrucks: s.pendingTrucks, automatic: s.policy.automatic)
        var params: [String: Double] = [:]
        for t in catalogue.types {
            let points = t.points(for: sim.spec, in: catalogue).filter { $0.retentive && $0.writable }
            for d in t.instances(sim.spec) {
                for p in points { if let v = p.read(sim, d.index) { params["\(d.device).\(p.name)"] = v } }
            }
        }
        parameters = params
        var states: [String: Int] = [:], latched: [String: Bool] = [:]
        for (i, d) in c.alarms.definitions.enumerated() { states[d.id] = c.alarms.states[i].rawValue; latched[d.id] = c.alarms.latchedOn[i] }
        alarmStates = states; alarmLatched = latched
        makeUpM3 = p.pressurisation.makeUpTotalM3
        gasBoilers = p.gasBoilers.isEmpty ? nil : p.gasBoilers.map { GasBoilerCounters(runHours: $0.runHours, starts: $0.starts, fuelKWhLHV: $0.fuelKWhLHV, toLoopKWh: $0.toLoopKWh) }
        recovered = p.recovered.isEmpty ? nil : p.recovered.map {
            RecoveredCounters(toLoopKWh: $0.toLoopKWh, electricityKWh: $0.electricityKWh, availableHours: $0.availableHours)
        }
        solarFields = p.solarFields.isEmpty ? nil : p.solarFields.map {
            SolarFieldCounters(toLoopKWh: $0.toLoopKWh, irradiationKWh: $0.irradiationKWh, electricityKWh: $0.electricityKWh,
                               pumpHours: $0.pumpHours, stagnationHours: $0.stagnationHours)
        }
        heatPumps = p.heatPumps.isEmpty ? nil : p.heatPumps.map {
            HeatPumpCounters(runHours: $0.runHours, starts: $0.starts, heatKWh: $0.heatKWh, electricityKWh: $0.electricityKWh, sourceKWh: $0.sourceKWh, toLoopKWh: $0.toLoopKWh)
        }
        hardware = Hardware(igniterFailed: p.boilers.indices.filter { p.boilers[$0].igniterFailed },
                            boilerPumpFailed: p.boilers.indices.filter { p.boilers[$0].pumpFailed },
                            valveStuck: p.substations.indices.filter { p.substations[$0].heatingValve.stuck },
                            secondaryPumpFailed: p.substations.indices.filter { p.substations[$0].secondaryPumpFailed },
                            meterFailed: p.substations.indices.filter { p.substations[$0].meter.failed },
                            networkPumpFailed: p.networkPumpFailed, leakM3PerH: p.pressurisation.leakM3PerH,
                            bufferSensorFailed: sim.liveBufferSensorFault,
                            outdoorSensorFailed: sim.liveOutdoorFault?.failed ?? false,
                            outdoorSensorDriftK: sim.liveOutdoorFault.flatMap { $0.failed ? nil : $0.driftK },
                            gasLockedOut: p.gasBoilers.isEmpty ? nil : p.gasBoilers.indices.filter { !p.gasBoilers[$0].available },
                            heatPumpLockedOut: p.heatPumps.isEmpty ? nil : p.heatPumps.indices.filter { !p.heatPumps[$0].available },
                            heatPumpSourceFlowFactor: p.heatPumps.isEmpty ? nil : p.heatPumps.map(\.sourceFlowFactor),
                            heatPumpFoulingK: p.heatPumps.isEmpty ? nil : p.heatPumps.map(\.foulingK),
                            solarPumpFailed: p.solarFields.isEmpty ? nil : p.solarFields.indices.filter { p.solarFields[$0].pumpFailed },
                            recoveredTripped: p.recovered.isEmpty ? nil : p.recovered.indices.filter { p.recovered[$0].tripped })
    }

    public func write(to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        try enc.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a saved state; errors name the file and what is wrong with it.
    public static func read(from path: String) throws -> RetainedState {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw RetainedStateError(file: path, field: "(file)", message: "cannot read (\(error.localizedDescription))") }
        return try decode(data, file: path)
    }

    /// Decodes a saved state's text (`file` names where it came from, for the errors).
    public static func decode(_ data: Data, file path: String) throws -> RetainedState {
        do { return try JSONDecoder().decode(RetainedState.self, from: data) } catch let DecodingError.keyNotFound(k, ctx) {
            throw RetainedStateError(file: path, field: RetainedStateError.field(ctx.codingPath + [k]), message: "missing")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            throw RetainedStateError(file: path, field: RetainedStateError.field(ctx.codingPath), message: ctx.debugDescription)
        } catch {
            throw RetainedStateError(file: path, field: "(document)", message: "not a saved state (\(error))")
        }
    }
}

/// A refused retentive memory: `file:line: field: message`, the line found in the JSON text
/// (`located(in:)`) when it is at hand.
public struct RetainedStateError: Error, CustomStringConvertible {
    public let file: String
    public let field: String
    public let message: String
    public var line = 0
    public init(file: String, field: String, message: String) { self.file = file; self.field = field; self.message = message }
    public var description: String { "\(file):\(line): \(field): \(message)" }

    /// A decoder's coding path as a field name: `meters[3].energyKWh`.
    static func field(_ path: [any CodingKey]) -> String {
        var out = ""
        for k in path {
            if let i = k.intValue ?? (k.stringValue.hasPrefix("Index ") ? Int(k.stringValue.dropFirst(6)) : nil) { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + k.stringValue }
        }
        return out.isEmpty ? "(document)" : out
    }

    /// This error with the line of its field in the saved JSON text (1 when the field is not found).
    public func located(in data: Data) -> RetainedStateError {
        var e = self
        e.line = JSONLines.line(of: field, in: [UInt8](data)) ?? 1
        return e
    }
}

/// Where each value of a JSON text starts: a small scanner, enough to name the line of a field
/// of a saved state in an error.
enum JSONLines {
    static func line(of field: String, in text: [UInt8]) -> Int? {
        var lines: [String: Int] = [:]
        var i = 0, line = 1
        func skip() {
            while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { if text[i] == 0x0A { line += 1 }; i += 1 }
        }
        func string() -> String {
            var out: [UInt8] = []
            i += 1
            while i < text.count && text[i] != 0x22 { if text[i] == 0x5C { i += 1 }; if i < text.count { out.append(text[i]) }; i += 1 }
            i += 1
            return String(decoding: out, as: UTF8.self)
        }
        func value(_ path: String, depth: Int) {
            skip()
            guard i < text.count, depth < 64 else { return }
            lines[path] = line
            switch text[i] {
            case 0x7B:   // {
                i += 1
                while true {
                    skip()
                    guard i < text.count, text[i] != 0x7D else { i += 1; return }
                    if text[i] == 0x2C { i += 1; continue }
                    guard text[i] == 0x22 else { i = text.count; return }
                    let k = string()
                    skip(); if i < text.count && text[i] == 0x3A { i += 1 }
                    value(path.isEmpty ? k : "\(path).\(k)", depth: depth + 1)
                }
            case 0x5B:   // [
                i += 1
                var n = 0
                while true {
                    skip()
                    guard i < text.count, text[i] != 0x5D else { i += 1; return }
                    if text[i] == 0x2C { i += 1; continue }
                    value("\(path)[\(n)]", depth: depth + 1); n += 1
                }
            case 0x22: _ = string()
            default:
                while i < text.count, ![0x2C, 0x7D, 0x5D, 0x0A].contains(text[i]) { i += 1 }
            }
        }
        value("", depth: 0)
        var f = field
        while !f.isEmpty {
            if let l = lines[f] { return l }
            // a field the file lacks: the line of its parent
            if let dot = f.lastIndex(where: { $0 == "." || $0 == "[" }) { f = String(f[..<dot]) } else { break }
        }
        return nil
    }
}

extension Simulation {
    /// Reads the retentive memory saved at `path` and restores it (see `restore(_:file:)`);
    /// returns the file's text. A refusal names `file:line: field`.
    @discardableResult
    public mutating func restore(fromFile path: String) throws -> Data {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw RetainedStateError(file: path, field: "(file)", message: "not a regular file") }
        guard st.st_size <= 16 << 20 else { throw RetainedStateError(file: path, field: "(file)", message: "\(st.st_size) bytes: larger than a saved state can be (16 MiB)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw RetainedStateError(file: path, field: "(file)", message: "cannot read") }
        do { try restore(try RetainedState.decode(data, file: path), file: path) } catch let e as RetainedStateError { throw e.located(in: data) }
        return data
    }

    /// Loads the retentive memory `r` into this freshly built simulation of the same scenario
    /// (its parameters: the retentive points of `catalogue`).
    public mutating func restore(_ r: RetainedState, file: String, catalogue: Catalogue = .standard) throws {
        guard r.scenarioName == spec.name else {
            throw RetainedStateError(file: file, field: "scenarioName", message: "saved for '\(r.scenarioName)', this scenario is '\(spec.name)' (start afresh with --fresh)")
        }
        guard r.meters.count == plant.substations.count, r.boilers.count == plant.boilers.count,
              (r.circuits?.count ?? plant.substations.count) == controller.substations.count else {
            throw RetainedStateError(file: file, field: "(file)", message: "saved for a plant of \(r.meters.count) substations and \(r.boilers.count) boilers, this one has \(plant.substations.count) and \(plant.boilers.count)")
        }
        if let g = r.gasBoilers, g.count != plant.gasBoilers.count {
            throw RetainedStateError(file: file, field: "gasBoilers", message: "\(g.count) gas boilers saved, this plant has \(plant.gasBoilers.count)")
        }
        if (r.heatPumps?.count ?? 0) != plant.heatPumps.count {
            throw RetainedStateError(file: file, field: "heatPumps", message: "\(r.heatPumps?.count ?? 0) heat pumps saved, this plant has \(plant.heatPumps.count)")
        }
        if (r.recovered?.count ?? 0) != plant.recovered.count {
            throw RetainedStateError(file: file, field: "recovered", message: "\(r.recovered?.count ?? 0) recovered-heat sources saved, this plant has \(plant.recovered.count)")
        }
        if (r.solarFields?.count ?? 0) != plant.solarFields.count {
            throw RetainedStateError(file: file, field: "solarFields", message: "\(r.solarFields?.count ?? 0) solar fields saved, this plant has \(plant.solarFields.count)")
        }
        try r.validate(file: file, sim: self)
        // everything is checked before anything changes
        if let hw = r.hardware {
            let nb = plant.boilers.count, ns = plant.substations.count
            guard (hw.igniterFailed + hw.boilerPumpFailed).allSatisfy({ (0..<nb).contains($0) }),
                  (hw.valveStuck + hw.secondaryPumpFailed + hw.meterFailed).allSatisfy({ (0..<ns).contains($0) }),
                  (hw.gasLockedOut ?? []).allSatisfy({ plant.gasBoilers.indices.contains($0) }),
                  (hw.heatPumpLockedOut ?? []).allSatisfy({ plant.heatPumps.indices.contains($0) }),
                  (hw.solarPumpFailed ?? []).allSatisfy({ plant.solarFields.indices.contains($0) }),
                  (hw.recoveredTripped ?? []).allSatisfy({ plant.recovered.indices.contains($0) }) else {
                throw RetainedStateError(file: file, field: "hardware", message: "an index beyond this plant's boilers, substations or sources")
            }
            for (name, values) in [("heatPumpSourceFlowFactor", hw.heatPumpSourceFlowFactor), ("heatPumpFoulingK", hw.heatPumpFoulingK)] {
                guard let v = values else { continue }
                guard v.count == plant.heatPumps.count else {
                    throw RetainedStateError(file: file, field: "hardware.\(name)", message: "\(v.count) values saved, this plant has \(plant.heatPumps.count) heat pumps")
                }
                // the values the faults set: a flow share of 0, ½ or 1, a fouling of 0 or 6 K
                let allowed: Set<Double> = name == "heatPumpFoulingK" ? [0, 6] : [0, 0.5, 1]
                if let x = v.first(where: { !allowed.contains($0) }) {
                    throw RetainedStateError(file: file, field: "hardware.\(name)", message: "\(x) is not a value a source fault leaves (\(allowed.sorted().map { "\($0)" }.joined(separator: ", ")))")
                }
            }
        }
        // the parameters first: they are the only part checked as they are applied (the rules
        // between points), and a refusal must leave everything as it was
        if r.version == 1 { try restoreVersion1Settings(r, file: file) } else { try restoreParameters(r.parameters ?? [:], file: file, catalogue: catalogue) }
        for i in plant.substations.indices {
            let m = r.meters[i]
            plant.substations[i].meter.restoreIndexes(energyKWh: m.energyKWh, volumeM3: m.volumeM3, operatingHours: m.operatingHours, errorHours: m.errorHours)
        }
        for i in plant.boilers.indices {
            let b = r.boilers[i]
            plant.boilers[i].restoreCounters(runHours: b.runHours, starts: b.starts, ashKg: b.ashKg, fuelKWh: b.fuelKWh, toLoopKWh: b.toLoopKWh,
                                             fault: BoilerFault(rawValue: b.fault) ?? .none)
        }
        for (i, g) in (r.gasBoilers ?? []).enumerated() {
            plant.gasBoilers[i].restoreCounters(runHours: g.runHours, starts: g.starts, fuelKWhLHV: g.fuelKWhLHV, toLoopKWh: g.toLoopKWh ?? 0)
        }
        for (i, h) in (r.heatPumps ?? []).enumerated() {
            plant.heatPumps[i].restoreCounters(runHours: h.runHours, starts: h.starts, heatKWh: h.heatKWh, electricityKWh: h.electricityKWh,
                                               sourceKWh: h.sourceKWh, toLoopKWh: h.toLoopKWh)
        }
        for (i, x) in (r.recovered ?? []).enumerated() {
            plant.recovered[i].restoreCounters(toLoopKWh: x.toLoopKWh, electricityKWh: x.electricityKWh, availableHours: x.availableHours)
        }
        for (i, f) in (r.solarFields ?? []).enumerated() {
            plant.solarFields[i].restoreCounters(toLoopKWh: f.toLoopKWh, irradiationKWh: f.irradiationKWh, electricityKWh: f.electricityKWh,
                                                 pumpHours: f.pumpHours, stagnationHours: f.stagnationHours)
        }
        let s = r.silo
        plant.silo.restore(levelM3: s.levelM3, trucksDelivered: s.trucksDelivered, deliveredM3: s.deliveredM3, withdrawnM3: s.withdrawnM3,
                           pendingArrivalS: s.pendingArrivalS, pendingTrucks: s.pendingTrucks, automatic: s.automatic)
        if let m = r.makeUpM3 { plant.pressurisation.restoreMeter(makeUpM3: m) }
        if let hw = r.hardware {
            for i in hw.igniterFailed { plant.boilers[i].strike(.ignitionFailure) }
            for i in hw.boilerPumpFailed { plant.boilers[i].strike(.overTemperature) }
            for i in hw.valveStuck { plant.substations[i].heatingValve.stuck = true }
            for i in hw.secondaryPumpFailed { plant.substations[i].secondaryPumpFailed = true }
            for i in hw.meterFailed { plant.substations[i].meter.failed = true }
            for i in hw.gasLockedOut ?? [] { plant.gasBoilers[i].available = false }
            for i in hw.heatPumpLockedOut ?? [] { plant.heatPumps[i].available = false }
            for (i, f) in (hw.heatPumpSourceFlowFactor ?? []).enumerated() { plant.heatPumps[i].sourceFlowFactor = f }
            for (i, k) in (hw.heatPumpFoulingK ?? []).enumerated() { plant.heatPumps[i].foulingK = k }
            for i in hw.solarPumpFailed ?? [] { plant.solarFields[i].pumpFailed = true }
            for i in hw.recoveredTripped ?? [] { plant.recovered[i].tripped = true }
            plant.networkPumpFailed = hw.networkPumpFailed
            plant.pressurisation.leakM3PerH = hw.leakM3PerH
            liveBufferSensorFault = hw.bufferSensorFailed
            if hw.outdoorSensorFailed { liveOutdoorFault = (true, 0) } else if let d = hw.outdoorSensorDriftK { liveOutdoorFault = (false, d) }
        }
        controller.alarms.restore(states: r.alarmStates, latched: r.alarmLatched)
        plant.restoreClock(timeS: r.timeS, energy: r.energy, ashKg: r.ashKg)
        restoreRuntime(stepIndex: r.stepIndex, oneShotEventsDone: Set(r.eventsDone), eventsInForce: Set(r.eventsInForce ?? []))
        resetStatistics()
    }
}

/// The meters' non-volatile memory: their indexes at full precision, written by the daemon
/// before it shows new values (`Daemon.persistMeters`) to a small file beside the retentive
/// memory, and read back at start, where the higher of it and the snapshot wins.
public struct MeterStore: Codable, Equatable, Sendable {
    public var scenarioName: String
    public var meters: [RetainedState.Meter]

    /// What a meter shows (its registers): the store is rewritten when this changes.
    package struct Shown: Equatable {
        package let energy, volume, hours, errorHours: Double
        package init(_ m: HeatMeter) {
            energy = m.energyKWhDisplayed; volume = m.volumeM3Displayed; hours = m.operatingHours.rounded(.down)
            errorHours = m.errorHours.rounded(.down)
        }
        /// The value shown for meter point `name`, if it is one of the indexes kept here.
        package func value(of name: String) -> Double? {
            switch name {
            case HeatMeterPoints.energy: energy
            case HeatMeterPoints.volume: volume
            case HeatMeterPoints.operatingHours: hours
            case HeatMeterPoints.errorHours: errorHours
            default: nil
            }
        }
    }

    public init(_ sim: Simulation) {
        scenarioName = sim.spec.name
        meters = sim.plant.substations.map { .init(energyKWh: $0.meter.energyKWh, volumeM3: $0.meter.volumeM3, operatingHours: $0.meter.operatingHours, errorHours: $0.meter.errorHours) }
    }

    public func write(to path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The file beside a retentive-memory file.
    public static func path(besideState state: String) -> String { state + ".meters" }

    /// Reads the store at `path` and raises `sim`'s meter indexes to it (an index never goes
    /// back). Refuses, changing nothing, a store of another plant or with values no meter holds.
    public static func restore(_ sim: inout Simulation, from path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw RetainedStateError(file: path, field: "(file)", message: "cannot read") }
        let s: MeterStore
        do { s = try JSONDecoder().decode(MeterStore.self, from: data) } catch { throw RetainedStateError(file: path, field: "(file)", message: "not a meter store (\(error))") }
        guard s.scenarioName == sim.spec.name, s.meters.count == sim.plant.substations.count else {
            throw RetainedStateError(file: path, field: "meters", message: "saved for '\(s.scenarioName)' with \(s.meters.count) meters, this plant is '\(sim.spec.name)' with \(sim.plant.substations.count) (start afresh with --fresh)")
        }
        for (i, m) in s.meters.enumerated() {
            for (name, v) in [("energyKWh", m.energyKWh), ("volumeM3", m.volumeM3), ("operatingHours", m.operatingHours), ("errorHours", m.errorHours ?? 0)] {
                guard v.isFinite, v >= 0, v < 1e12 else { throw RetainedStateError(file: path, field: "meters[\(i)].\(name)", message: "\(v) is not a meter index (0 to 1e12)") }
            }
        }
        for (i, m) in s.meters.enumerated() {
            sim.plant.substations[i].meter.restoreIndexes(energyKWh: m.energyKWh, volumeM3: m.volumeM3, operatingHours: m.operatingHours, errorHours: m.errorHours)
        }
    }
}
