import Foundation
import Logging
import Historian
import PlantControl
import PlantModel
import Scenario

/// A tag the historian records, with the way to read it from the simulation.
struct RecordedTag {
    let definition: TagDefinition
    let read: (Simulation) -> Double?
    /// For counters: how often they are stored when they changed, s.
    var everyS: Int64 = 0
}

/// The historian's tag catalogue for a scenario: every measured and set quantity of the plant,
/// named `plant.…`, `boiler.<id>.…`, `substation.<building>.…` and `substation.<building>.meter.…`,
/// with the plant's energy totalisers under `plant.counter.…`. The plant controller's summary
/// block (which repeats boiler and substation values) is not recorded twice.
enum HistorianCatalogue {
    /// Analog units: resolution stored and default deadband.
    static let units: [String: (resolution: Double, deadband: Double)] = [
        "°C": (0.01, 0.5), "K": (0.01, 0.5), "%": (0.1, 5), "kW": (0.1, 5), "m³/h": (0.001, 0.2), "kPa": (0.1, 2),
        "m³": (0.01, 0.5), "d": (0.1, 0.5), "% O2": (0.1, 0.5), "": (0.001, 0),
    ]

    static func tags(for spec: ScenarioSpec) -> [RecordedTag] {
        var out: [RecordedTag] = []
        func analog(_ name: String, _ unit: String, deadband: Double? = nil, desc: String = "", _ read: @escaping (Simulation) -> Double?) {
            let u = units[unit] ?? (0.001, 0)
            out.append(RecordedTag(definition: TagDefinition(name: name, unit: unit, kind: .analog, resolution: u.resolution,
                                                             deadband: deadband ?? u.deadband, description: desc), read: read))
        }
        func state(_ name: String, desc: String = "", _ read: @escaping (Simulation) -> Double?) {
            out.append(RecordedTag(definition: TagDefinition(name: name, unit: "", kind: .state, resolution: 1, description: desc), read: read))
        }
        /// Counters are stored daily (at midnight) unless `hourly` (billing and load-curve totalisers).
        func counter(_ name: String, _ unit: String, _ resolution: Double, hourly: Bool = false, desc: String = "", _ read: @escaping (Simulation) -> Double?) {
            let d = (desc.isEmpty ? "" : desc + "; ") + (hourly ? "stored every hour" : "stored every day")
            out.append(RecordedTag(definition: TagDefinition(name: name, unit: unit, kind: .counter, resolution: resolution, description: d), read: read,
                                   everyS: hourly ? 3600 : 86400))
        }
        func plantTag(_ t: String) -> (Simulation) -> Double? { { $0.readTag(.plantController, 0, t) } }

        analog("plant.outdoor_temperature", "°C", deadband: 0.5, desc: "outdoor temperature", plantTag("outdoor_temperature"))
        for t in ["network.supply_temperature", "network.return_temperature", "network.supply_setpoint",
                  "buffer.top_temperature", "buffer.bottom_temperature", "law.cold_outdoor", "law.cold_supply",
                  "law.mild_outdoor", "law.mild_supply"] {
            analog("plant.\(t)", "°C", plantTag(t))
        }
        for k in 1...max(1, spec.boilerRoom.bufferLayers) { analog("plant.buffer.t\(k)", "°C", deadband: 1, desc: "buffer layer \(k) from the top", plantTag("buffer.t\(k)")) }
        analog("plant.network.flow", "m³/h", deadband: 0.5, plantTag("network.flow"))
        analog("plant.network.differential_pressure", "kPa", plantTag("network.differential_pressure"))
        analog("plant.network.differential_setpoint", "kPa", plantTag("network.differential_setpoint"))
        analog("plant.network.output", "kW", deadband: 20, desc: "heat sent into the network", plantTag("network.output"))
        analog("plant.network.pump_speed", "%", plantTag("network.pump_speed"))
        analog("plant.network.pressure", "bar", deadband: 0.05, plantTag("network.pressure"))
        analog("plant.silo.level", "m³", plantTag("silo.level"))
        analog("plant.silo.autonomy_days", "d", plantTag("silo.autonomy_days"))
        // states are looked at often: read directly, not through the tag table's name lookup
        state("plant.cascade.stage", desc: "boilers asked to run") { s in Double(s.controller.cascade.demand.reduce(0) { $0 + ($1 ? 1 : 0) }) }
        state("plant.cascade.lead", desc: "lead boiler, 1-based") { s in s.controller.cascade.lead.map { Double($0 + 1) } ?? 0 }
        state("plant.alarms.word", plantTag("alarms.word"))
        counter("plant.counter.wood_fuel", "kWh", 1, hourly: true, desc: "wood burned, LHV") { $0.plant.energy.woodFuelKWh }
        counter("plant.counter.gas_fuel", "kWh", 1, desc: "gas burned, LHV") { $0.plant.energy.gasFuelKWh }
        counter("plant.counter.gas_produced", "kWh", 1, desc: "heat the gas boilers passed to the plant's hydraulics") { s in s.plant.gasBoilers.reduce(0) { $0 + $1.toLoopKWh } }
        counter("plant.counter.combustion", "kWh", 1, desc: "heat released by combustion") { $0.plant.energy.combustionKWh }
        counter("plant.counter.makeup_water", "m³", 0.001, hourly: true, desc: "make-up water meter") { $0.plant.pressurisation.makeUpTotalM3 }
        counter("plant.counter.makeup_heat", "kWh", 1, desc: "heat spent warming make-up water") { $0.plant.energy.makeUpHeatKWh }
        counter("plant.counter.produced", "kWh", 1, desc: "heat the boilers passed to the plant's hydraulics") { $0.plant.energy.producedKWh }
        counter("plant.counter.network_output", "kWh", 1, hourly: true, desc: "heat sent into the network") { $0.plant.energy.networkOutputKWh }
        counter("plant.counter.delivered", "kWh", 1, desc: "heat the substations took from the network") { $0.plant.energy.deliveredKWh }
        counter("plant.counter.network_loss", "kWh", 1, desc: "heat lost by the network's pipes") { $0.plant.energy.networkLossKWh }
        counter("plant.counter.buffer_loss", "kWh", 1, desc: "heat lost by the buffer tank") { $0.plant.energy.bufferLossKWh }
        counter("plant.counter.shell_loss", "kWh", 1, desc: "heat lost by the boilers' shells") { $0.plant.energy.shellLossKWh }
        counter("plant.counter.electricity", "kWh", 1, desc: "auxiliaries and network pump") { $0.plant.energy.auxiliaryElectricityKWh + $0.plant.energy.pumpElectricityKWh }
        counter("plant.stored_heat", "kWh", 1, desc: "heat stored in water and refractory above 0 °C") { $0.plant.storedKJ / 3600 }
        counter("plant.silo.delivered", "m³", 0.01, desc: "chips delivered since the start") { $0.plant.silo.deliveredM3 }
        counter("plant.silo.trucks", "", 1, desc: "trucks delivered since the start") { Double($0.plant.silo.trucksDelivered) }

        for (i, b) in spec.boilerRoom.boilers.enumerated() {
            let p = "boiler.\(b.id)."
            func bt(_ t: String) -> (Simulation) -> Double? { { $0.readTag(.woodChipBoiler, i, t) } }
            state(p + "state") { Double($0.plant.boilers[i].state.rawValue) }
            state(p + "fault_code") { Double($0.plant.boilers[i].fault.rawValue) }
            state(p + "enable") { $0.controller.cascade.disabled[i] ? 0 : 1 }
            state(p + "available") { $0.plant.boilers[i].isAvailable && !$0.controller.cascade.disabled[i] ? 1 : 0 }
            for t in ["supply_temperature", "setpoint", "max_setpoint"] { analog(p + t, "°C", bt(t)) }
            analog(p + "flue_temperature", "°C", deadband: 5, bt("flue_temperature"))
            analog(p + "oxygen", "% O2", bt("oxygen"))
            analog(p + "modulation", "%", bt("modulation"))
            analog(p + "output", "kW", deadband: 10, bt("output"))
            counter(p + "run_hours", "h", 0.001, desc: "burner run hours") { $0.plant.boilers[i].runHours }
            counter(p + "starts", "", 1, bt("starts"))
            counter(p + "ash", "kg", 0.1, bt("ash"))
            counter(p + "fuel_energy", "kWh", 1, desc: "fuel burned, LHV") { $0.plant.boilers[i].fuelKWh }
            counter(p + "heat", "kWh", 1, desc: "heat passed to the loop") { $0.plant.boilers[i].toLoopKWh }
        }

        for (i, g) in spec.boilerRoom.gasBoilers.enumerated() {
            let p = "gas_boiler.\(g.id)."
            func gt(_ t: String) -> (Simulation) -> Double? { { $0.readTag(.gasBoiler, i, t) } }
            state(p + "state", gt("state"))
            state(p + "demand", gt("demand"))
            analog(p + "water_temperature", "°C", gt("water_temperature"))
            analog(p + "firing", "%", gt("firing"))
            analog(p + "output", "kW", deadband: 10, gt("output"))
            counter(p + "run_hours", "h", 0.001, desc: "burner run hours") { $0.plant.gasBoilers[i].runHours }
            counter(p + "starts", "", 1, gt("starts"))
            counter(p + "gas_energy_hhv", "kWh", 1, desc: "gas burned, HHV (the gas meter)") { $0.plant.gasBoilers[i].fuelKWhHHV }
        }

        for (i, b) in spec.buildings.enumerated() {
            let p = "substation.\(b.id)."
            func st(_ t: String) -> (Simulation) -> Double? { { $0.readTag(.substationController, i, t) } }
            func mt(_ t: String) -> (Simulation) -> Double? { { $0.readTag(.heatMeter, i, t) } }
            // read directly (not through the tag table's name lookup): these are read every period.
            // The primary temperatures are the heat meter's (recorded under meter.), not twice.
            analog(p + "dhw_temperature", "°C", deadband: 1) { $0.plant.substations[i].dhwTank?.sensorC }
            analog(p + "secondary_supply_temperature", "°C", deadband: 1) { $0.plant.substations[i].secondarySupplyC }
            analog(p + "secondary_return_temperature", "°C") { $0.plant.substations[i].secondaryReturnC }
            analog(p + "secondary_supply_setpoint", "°C") { $0.controller.substations[i].flowSetpointC }
            analog(p + "room_setpoint", "°C") { $0.controller.substations[i].roomSetpointC }
            analog(p + "room_temperature", "°C", deadband: 0.2) { $0.plant.substations[i].building.airTemperatureC }
            analog(p + "valve_position", "%") { $0.plant.substations[i].heatingValve.position * 100 }
            analog(p + "dhw_valve_position", "%") { $0.plant.substations[i].dhwValve.map { $0.position * 100 } }
            analog(p + "comfort_setpoint", "°C") { $0.controller.substations[i].settings.comfortRoomC }
            analog(p + "reduced_setpoint", "°C") { $0.controller.substations[i].settings.reducedRoomC }
            analog(p + "min_flow", "°C") { $0.controller.substations[i].settings.minFlowC }
            analog(p + "max_flow", "°C") { $0.controller.substations[i].settings.maxFlowC }
            analog(p + "summer_cutoff", "°C") { $0.controller.substations[i].settings.summerCutOffC }
            analog(p + "room_shift", "K") { $0.controller.substations[i].settings.roomShiftK }
            for k in 0..<6 {
                analog(p + "curve_point\(k + 1)", "°C") { $0.controller.substations[i].settings.sixPointForm[k] }
            }
            analog(p + "curve_displacement", "K") { $0.controller.substations[i].settings.slopeForm.displacementK }
            analog(p + "curve_slope", "", deadband: 0.001) { $0.controller.substations[i].settings.slopeForm.slope }
            state(p + "pump") { $0.controller.actuators.substations[i].secondaryPump && !$0.plant.substations[i].secondaryPumpFailed ? 1 : 0 }
            state(p + "heating_on") { $0.controller.substations[i].heatingOn ? 1 : 0 }
            state(p + "dhw_charging") { $0.controller.substations[i].dhwCharging ? 1 : 0 }
            state(p + "dhw_disinfecting") { $0.controller.substations[i].disinfecting ? 1 : 0 }
            counter(p + "dhw_disinfections", "", 1, desc: "thermal disinfection cycles completed (60 °C held 60 min)") { Double($0.controller.substations[i].disinfections) }
            state(p + "economy") { $0.controller.substations[i].economy || $0.controller.substations[i].quickSetback ? 1 : 0 }
            state(p + "heating_up") { $0.controller.substations[i].heatingUp ? 1 : 0 }
            analog(p + "desired_flow", "°C") { $0.controller.substations[i].desiredFlowC }
            state(p + "mode") { Double($0.controller.substations[i].settings.mode.rawValue) }
            state(p + "curve_form", st("curve_form"))
            state(p + "alarms.word", st("alarms.word"))
            counter(p + "meter.energy", "kWh", 1, hourly: true, desc: "heat meter energy index") { $0.plant.substations[i].meter.energyKWhDisplayed }
            counter(p + "meter.volume", "m³", 0.01, desc: "heat meter volume index", mt("volume"))
            counter(p + "meter.operating_hours", "h", 1, mt("operating_hours"))
            counter(p + "meter.error_hours", "h", 1, desc: "hours the meter counted in error", mt("error_hours"))
            // a heat meter's own temperatures at 2 K (1.3 % of its 0–150 °C span; the controller's are
            // recorded finer): a substation's return hunts on DHW charging, minute to minute
            analog(p + "meter.power", "kW", deadband: 3) { $0.plant.substations[i].meter.powerKW }
            analog(p + "meter.flow", "m³/h", deadband: 0.2) { $0.plant.substations[i].meter.flowM3PerH }
            analog(p + "meter.supply_temperature", "°C", deadband: 2) { $0.plant.substations[i].meter.supplyC }
            analog(p + "meter.return_temperature", "°C", deadband: 2) { $0.plant.substations[i].meter.returnC }
            state(p + "meter.info_code") { Double($0.plant.substations[i].meter.infoCode) }
        }
        return out
    }

    /// What the report needs of the scenario, as dotted keys: its economic inputs, the study's
    /// figures, and the plant's fixed facts.
    static func facts(for sim: Simulation) -> (facts: [String: Double], labels: [String: String]) {
        let spec = sim.spec
        var f: [String: Double] = [:], l: [String: String] = [:]
        for (k, v) in spec.economics { f["economics.\(k)"] = v }
        for (k, v) in spec.reference.values { f["reference.\(k)"] = v }
        for (i, x) in (spec.reference.weekdaySlotsKW ?? []).enumerated() { f["reference.weekdaySlotsKW.\(i + 1)"] = x }
        for (i, x) in (spec.reference.weekendSlotsKW ?? []).enumerated() { f["reference.weekendSlotsKW.\(i + 1)"] = x }
        for b in spec.buildings {
            f["building.\(b.id).design_load_kw"] = b.designLoadKW
            f["building.\(b.id).study_annual_mwh"] = b.annualHeatMWh
            l["building.\(b.id).name"] = b.name
        }
        for b in spec.boilerRoom.boilers { f["boiler.\(b.id).nominal_kw"] = b.nominalKW }
        f["plant.gas_installed_kw"] = spec.boilerRoom.gasBoilers.reduce(0) { $0 + $1.nominalKW }
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
public final class Recording: @unchecked Sendable {
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
    private let analogIdx: [Int], stateIdx: [Int], counterIdx: [Int]
    private var lastT: Int64 = 0
    /// States and events are looked at every 10 simulated seconds (boiler phases, pumps and
    /// charging cycles last minutes): their times are exact to 10 s.
    static let stateEveryS: Int64 = 10

    /// Starts a session in the file at `path` for `sim` (recording its current state at once).
    /// `start` says how the simulation came to its present state, for `chaufferie replay` (nil:
    /// the session cannot be replayed).
    public init(path: String, sim: Simulation, periodS: Double, command: String, commitLog: String? = nil,
                start: ReplayRecord.Start? = nil, logger: Logger = Logger(label: "chaufferie.historian")) throws {
        guard periodS >= Double(Self.stateEveryS), periodS.truncatingRemainder(dividingBy: Double(Self.stateEveryS)) == 0,
              periodS.truncatingRemainder(dividingBy: sim.stepS) == 0 else {
            throw RecordingError(message: "--record-period \(periodS) s: must be a multiple of \(Self.stateEveryS) s and of the step (\(sim.stepS) s)")
        }
        tags = HistorianCatalogue.tags(for: sim.spec)
        let (facts, labels) = HistorianCatalogue.facts(for: sim)
        let info = SessionInfo(scenarioFile: sim.spec.file, scenarioName: sim.spec.name, startDate: "\(sim.spec.start)",
                               periodS: periodS, command: command, seed: sim.spec.seed, facts: facts, labels: labels)
        recorder = try Recorder(path: path, session: info, tags: tags.map(\.definition), commitLog: commitLog, logger: logger)
        self.periodS = Int64(periodS)
        doors = tags.map { $0.definition.kind == .analog ? SwingingDoor(deviation: max($0.definition.deadband, $0.definition.resolution)) : nil }
        lastStored = Array(repeating: nil, count: tags.count)
        let catalogue = tags
        analogIdx = catalogue.indices.filter { catalogue[$0].definition.kind == .analog }
        stateIdx = catalogue.indices.filter { catalogue[$0].definition.kind == .state }
        counterIdx = catalogue.indices.filter { catalogue[$0].definition.kind == .counter }
        lastTrucks = sim.plant.silo.trucksDelivered
        lastFaults = sim.plant.boilers.map { $0.fault.rawValue }
        lastModes = sim.controller.substations.map { $0.settings.mode.rawValue }
        lastAlarms = sim.controller.alarms.states
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
            events.append(HistorianEvent(t: sim.timeS, kind: "alarm", source: d.id, tag: d.tag, value: Double(st.rawValue),
                                         text: "\(lastAlarms[i]) → \(st) (priority \(d.priority)): \(d.message)"))
            lastAlarms[i] = st
        }
        if p.silo.trucksDelivered != lastTrucks {
            let n = p.silo.trucksDelivered - lastTrucks
            events.append(HistorianEvent(t: sim.timeS, kind: "delivery", source: "silo", tag: "plant.silo.level", value: p.silo.levelM3,
                                         text: "\(n) truck\(n == 1 ? "" : "s") tipped; \(String(format: "%.1f", p.silo.deliveredM3)) m³ delivered since the start"))
            lastTrucks = p.silo.trucksDelivered
        }
        for (i, b) in p.boilers.enumerated() where b.fault.rawValue != lastFaults[i] {
            events.append(HistorianEvent(t: sim.timeS, kind: "fault", source: sim.spec.boilerRoom.boilers[i].id,
                                         tag: "boiler.\(sim.spec.boilerRoom.boilers[i].id).fault_code", value: Double(b.fault.rawValue),
                                         text: b.fault == .none ? "fault cleared" : "fault \(b.fault)"))
            lastFaults[i] = b.fault.rawValue
        }
        for i in lastModes.indices {
            let m = sim.controller.substations[i].settings.mode.rawValue
            if m != lastModes[i] {
                events.append(HistorianEvent(t: sim.timeS, kind: "mode", source: sim.spec.buildings[i].id,
                                             tag: "substation.\(sim.spec.buildings[i].id).mode", value: Double(m), text: "circuit mode changed to \(sim.controller.substations[i].settings.mode)"))
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
