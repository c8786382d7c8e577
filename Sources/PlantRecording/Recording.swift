import SimulationCore
import Foundation
import Logging
import Historian
import PlantControl
import PlantModel
import Scenario

/// A tag the historian records, with the way to read it from the simulation.
struct RecordedTag {
    let definition: TagDefinition
    let read: @Sendable (Simulation) -> Double?
    /// For counters: how often they are stored when they changed, s.
    var everyS: Int64 = 0
}

/// The historian's tags for a scenario, from the point catalogue: every point a device type
/// marks as recorded, for every device of the scenario, named `<the device's record prefix><point>`
/// (`plant.…`, `boiler.<id>.…`, `substation.<building>.…`, `substation.<building>.meter.…`).
/// The plant controller's summary block (which repeats boiler and substation values) is not
/// recorded twice.
enum HistorianCatalogue {
    /// Analog units: resolution stored and default deadband.
    static let units: [String: (resolution: Double, deadband: Double)] = [
        "°C": (0.01, 0.5), "K": (0.01, 0.5), "%": (0.1, 5), "kW": (0.1, 5), "m³/h": (0.001, 0.2), "kPa": (0.1, 2),
        "m³": (0.01, 0.5), "d": (0.1, 0.5), "": (0.001, 0),
    ]

    static func tags(for spec: ScenarioSpec, catalogue: Catalogue = .standard) -> [RecordedTag] {
        var out: [RecordedTag] = []
        for type in catalogue.types {
            let points = type.points(for: spec, in: catalogue)
            for d in type.instances(spec) {
                let i = d.index
                for p in points {
                    let name = d.recordPrefix + p.name, read = p.read
                    switch p.recorded {
                    case .no: continue
                    case let .analog(deadband):
                        let u = units[p.unit] ?? (0.001, 0)
                        out.append(RecordedTag(definition: TagDefinition(name: name, unit: p.unit, kind: .analog, resolution: u.resolution,
                                                                         deadband: deadband ?? u.deadband, description: p.description),
                                               read: { read($0, i) }))
                    case .state:
                        out.append(RecordedTag(definition: TagDefinition(name: name, unit: p.unit, kind: .state, resolution: 1, description: p.description),
                                               read: { read($0, i) }))
                    case let .counter(resolution, hourly):
                        // counters are stored daily (at midnight) unless hourly (billing and load-curve totalisers)
                        let desc = p.description + "; " + (hourly ? "stored every hour" : "stored every day")
                        out.append(RecordedTag(definition: TagDefinition(name: name, unit: p.unit, kind: .counter, resolution: resolution, description: desc),
                                               read: { read($0, i) }, everyS: hourly ? 3600 : 86400))
                    }
                }
            }
        }
        return out
    }

    /// What the report needs of the scenario, as dotted keys: its economic inputs, the study's
    /// figures, and the plant's fixed facts.
    static func facts(for sim: Simulation) -> (facts: [String: Double], labels: [String: String]) {
        let spec = sim.spec
        var f: [String: Double] = [:], l: [String: String] = [:]
        for (k, v) in spec.economics?.values ?? [:] { f["economics.\(k)"] = v }
        for (k, v) in spec.reference.values { f["reference.\(k)"] = v }
        for (i, x) in (spec.reference.weekdaySlotsKW ?? []).enumerated() { f["reference.weekdaySlotsKW.\(i + 1)"] = x }
        for (i, x) in (spec.reference.weekendSlotsKW ?? []).enumerated() { f["reference.weekendSlotsKW.\(i + 1)"] = x }
        for b in spec.buildings {
            f["building.\(b.id).design_load_kw"] = b.designLoadKW
            f["building.\(b.id).study_annual_mwh"] = b.annualHeatMWh
            if b.connectYear != 1 { f["economics.connectYear.\(b.id)"] = Double(b.connectYear) }
            // what splits its meter into DHW (carried to a year by days) and heating (by degree
            // days) when the report annualises a short period
            f["building.\(b.id).dhw_draw_kwh_per_open_day"] = Calibration.dhwDrawKWhPerOpenDay(b)
            f["building.\(b.id).dhw_standing_kw"] = Calibration.dhwStandingKW(b)
            if let s = b.schedule.season {
                f["building.\(b.id).season_open_mmdd"] = Double(s.openMonth * 100 + s.openDay)
                f["building.\(b.id).season_close_mmdd"] = Double(s.closeMonth * 100 + s.closeDay)
            }
            l["building.\(b.id).name"] = b.name
        }
        for b in spec.boilerRoom.boilers { f["boiler.\(b.id).nominal_kw"] = b.nominalKW }
        f["plant.gas_installed_kw"] = spec.boilerRoom.gasBoilers.reduce(0) { $0 + $1.nominalKW }
        for r in spec.boilerRoom.recoveredHeat {
            f["recovered.\(r.id).price_eur_per_mwh"] = r.priceEURPerMWh
            // French "énergie de récupération" (tax code art. 278-0 bis): waste heat counts, a fossil CHP's heat does not
            f["recovered.\(r.id).counts_as_recovered"] = r.kind == .industrial ? 1 : 0
        }
        if !spec.boilerRoom.solarFields.isEmpty { f["plant.solar_area_m2"] = spec.boilerRoom.solarFields.reduce(0) { $0 + $1.areaM2 } }
        if !spec.boilerRoom.heatPumps.isEmpty { f["plant.heat_pump_installed_kw"] = spec.boilerRoom.heatPumps.reduce(0) { $0 + $1.nominalKW } }
        f["network.trench_m"] = sim.plant.network.trenchLengthM
        f["silo.gross_m3"] = spec.boilerRoom.siloGrossM3
        f["silo.fill_to_m3"] = spec.boilerRoom.policy.fillToM3
        f["silo.truck_m3"] = spec.boilerRoom.policy.truckVolumeM3
        f["fuel.kwh_per_m3"] = spec.boilerRoom.fuel.kWhPerM3
        f["fuel.bulk_density_t_per_m3"] = spec.boilerRoom.fuel.bulkDensityTPerM3
        f["site.heating_degree_days"] = spec.site.heatingDegreeDays
        l["fuel.name"] = spec.boilerRoom.fuelName
        return (f, l)
    }
}

public struct RecordingError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Watches a simulation step by step and hands the historian what changed: analog tags at the
/// period (through swinging-door compression), states every 10 s, counters every hour or day,
/// and events (deliveries, boiler faults, circuit mode changes, clients' writes).
public final class Recording: StepObserver, @unchecked Sendable {
    public let recorder: Recorder
    let tags: [RecordedTag]
    let periodS: Int64
    private var doors: [SwingingDoor?]
    private var lastStored: [Int64?]
    private var buffer: [Sample] = []
    private var events: [HistorianEvent] = []
    private var lastTrucks: Int
    private var lastFaults: [Int]
    private var lastModes: [Int]
    private var lastAlarms: [AlarmState]
    /// The tag each alarm watches, from its device type's declaration.
    private let alarmTags: [String]
    private let analogIdx: [Int], stateIdx: [Int], counterIdx: [Int]
    private var lastT: Int64 = 0
    /// States and events are looked at every 10 simulated seconds (boiler phases, pumps and
    /// charging cycles last minutes): their times are exact to 10 s.
    static let stateEveryS: Int64 = 10

    /// Starts a session in the file at `path` for `sim` (recording its current state at once).
    /// `start` says how the simulation came to its present state, for `chaufferie replay` (nil:
    /// the session cannot be replayed).
    public init(path: String, sim: Simulation, periodS: Double, command: String, commitLog: String? = nil,
                start: ReplayRecord.Start? = nil, catalogue: Catalogue = .standard, logger: Logger = Logger(label: "chaufferie.historian")) throws {
        guard periodS >= Double(Self.stateEveryS), periodS.truncatingRemainder(dividingBy: Double(Self.stateEveryS)) == 0,
              periodS.truncatingRemainder(dividingBy: sim.stepS) == 0 else {
            throw RecordingError(message: "--record-period \(periodS) s: must be a multiple of \(Self.stateEveryS) s and of the step (\(sim.stepS) s)")
        }
        tags = HistorianCatalogue.tags(for: sim.spec, catalogue: catalogue)
        let (facts, labels) = HistorianCatalogue.facts(for: sim)
        let info = SessionInfo(scenarioFile: sim.spec.file, scenarioName: sim.spec.name, startDate: "\(sim.spec.start)",
                               periodS: periodS, command: command, seed: sim.spec.seed, facts: facts, labels: labels)
        recorder = try Recorder(path: path, session: info, tags: tags.map(\.definition), commitLog: commitLog, logger: logger)
        self.periodS = Int64(periodS)
        doors = tags.map { $0.definition.kind == .analog ? SwingingDoor(deviation: max($0.definition.deadband, $0.definition.resolution)) : nil }
        lastStored = Array(repeating: nil, count: tags.count)
        let recorded = tags
        analogIdx = recorded.indices.filter { recorded[$0].definition.kind == .analog }
        stateIdx = recorded.indices.filter { recorded[$0].definition.kind == .state }
        counterIdx = recorded.indices.filter { recorded[$0].definition.kind == .counter }
        lastTrucks = sim.plant.silo.trucksDelivered
        lastFaults = sim.plant.boilers.map { $0.fault.rawValue }
        lastModes = sim.controller.substations.map { $0.settings.mode.rawValue }
        lastAlarms = sim.controller.alarms.states
        let types = catalogue
        alarmTags = sim.controller.alarms.definitions.map { types.alarmTag($0, in: sim) }
        let t = Int64(sim.timeS.rounded())
        events.append(HistorianEvent(t: sim.timeS, kind: "session_start", source: command, text: sim.spec.name,
                                     replay: start.map { ReplayRecord(step: sim.stepIndex, start: $0).json }))
        for i in tags.indices { store(i, sim, t, force: true) }
        flush()
    }

    /// Stores tag `i` when it changed: an analog tag through its swinging door (`deadband` is
    /// the compression deviation), a state or counter when its value differs from the last stored.
    /// `force` stores the current value whatever it is (the first and last moments of a session).
    @inline(__always) private func store(_ i: Int, _ sim: Simulation, _ t: Int64, force: Bool = false) {
        guard let v = tags[i].read(sim), v.isFinite else { return }
        let def = tags[i].definition
        if def.kind == .analog, doors[i] != nil {
            if force {
                if let held = doors[i]!.flush(), held.t < t { append(i, held.t, held.v) }
                doors[i] = SwingingDoor(deviation: max(def.deadband, def.resolution))
                _ = doors[i]!.offer(t: t, v: v)
                append(i, t, v)
            } else if let p = doors[i]!.offer(t: t, v: v) {
                append(i, p.t, p.v)
            }
            return
        }
        let q = Int64((v / def.resolution).rounded())
        if !force, lastStored[i] == q { return }
        lastStored[i] = q
        buffer.append(Sample(t: t, tag: recorder.tagIDs[i], value: q))
    }

    @inline(__always) private func append(_ i: Int, _ t: Int64, _ v: Double) {
        let q = Int64((v / tags[i].definition.resolution).rounded())
        lastStored[i] = q
        buffer.append(Sample(t: t, tag: recorder.tagIDs[i], value: q))
    }

    /// Whether `observe` has anything to look at after a step ending at `timeS` (a cheap test,
    /// so the simulation is handed over only every 10 s of simulated time).
    @inline(__always) public func wants(_ timeS: Double) -> Bool {
        let t = timeS.rounded()
        return t == timeS && Int64(t) % Self.stateEveryS == 0
    }

    /// Called after a step of the simulation when `wants` says so.
    public func observe(_ sim: Simulation) {
        let tS = sim.timeS
        let t = Int64(tS.rounded())
        guard abs(tS - Double(t)) < 1e-6 else { return }   // whole seconds only
        if t % Self.stateEveryS == 0 {
            for i in stateIdx { store(i, sim, t) }
            detectEvents(sim, t)
        }
        if t % periodS == 0 { for i in analogIdx { store(i, sim, t) } }
        if t % 3600 == 0 { for i in counterIdx where t % tags[i].everyS == 0 { store(i, sim, t) } }
        lastT = t
        if buffer.count >= 20_000 { flush() }
    }

    private func detectEvents(_ sim: Simulation, _ t: Int64) {
        let p = sim.plant
        let alarms = sim.controller.alarms
        for (i, st) in alarms.states.enumerated() where st != lastAlarms[i] {
            let d = alarms.definitions[i]
            events.append(HistorianEvent(t: sim.timeS, kind: "alarm", source: d.id, tag: alarmTags[i], value: Double(st.rawValue),
                                         text: "\(lastAlarms[i]) → \(st) (priority \(d.priority)): \(d.message)"))
            lastAlarms[i] = st
        }
        if p.silo.trucksDelivered != lastTrucks {
            let n = p.silo.trucksDelivered - lastTrucks
            events.append(HistorianEvent(t: sim.timeS, kind: "delivery", source: "silo", tag: PlantControllerPoints.Name.recordPrefix + PlantControllerPoints.Name.siloLevel, value: p.silo.levelM3,
                                         text: "\(n) truck\(n == 1 ? "" : "s") tipped; \(String(format: "%.1f", p.silo.deliveredM3)) m³ delivered since the start"))
            lastTrucks = p.silo.trucksDelivered
        }
        for (i, b) in p.boilers.enumerated() where b.fault.rawValue != lastFaults[i] {
            events.append(HistorianEvent(t: sim.timeS, kind: "fault", source: sim.spec.boilerRoom.boilers[i].id,
                                         tag: WoodChipBoilerPoints.Name.recordPrefix(sim.spec.boilerRoom.boilers[i].id) + WoodChipBoilerPoints.Name.faultCode, value: Double(b.fault.rawValue),
                                         text: b.fault == .none ? "fault cleared" : "fault \(b.fault)"))
            lastFaults[i] = b.fault.rawValue
        }
        for i in lastModes.indices {
            let m = sim.controller.substations[i].settings.mode.rawValue
            if m != lastModes[i] {
                events.append(HistorianEvent(t: sim.timeS, kind: "mode", source: sim.spec.buildings[i].id,
                                             tag: SubstationPoints.Name.recordPrefix(sim.spec.buildings[i].id) + SubstationPoints.Name.mode, value: Double(m), text: "circuit mode changed to \(sim.controller.substations[i].settings.mode)"))
                lastModes[i] = m
            }
        }
    }

    /// Records an event from outside the simulation (a client's write, an operator's action).
    public func note(_ e: HistorianEvent) { events.append(e) }

    /// Hands what accumulated to the writer.
    public func flush() {
        recorder.enqueue(samples: buffer, events: events, lastT: lastT)
        buffer.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }

    /// Records every tag's final value (so counters close on the last moment), then commits
    /// and ends the session.
    public func finish(_ sim: Simulation) -> Recorder.Statistics {
        let t = Int64(sim.timeS.rounded())
        for i in tags.indices { store(i, sim, t, force: tags[i].definition.kind == .analog) }
        let end = ReplayRecord(step: sim.stepIndex, end: .init(state: sim.stateFingerprint.description, timeS: sim.timeS))
        events.append(HistorianEvent(t: sim.timeS, kind: "session_end", source: "", text: "recording ended", replay: end.json))
        lastT = t
        flush()
        return recorder.close()
    }
}
