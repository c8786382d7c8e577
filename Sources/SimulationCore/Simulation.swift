import Foundation
import PlantModel
import PlantControl
import Scenario

/// A plant, its control core, its weather and its scenario's events, stepped together:
/// physics every `stepS`, the control core every `scanS`, events at their times.
public struct Simulation: Sendable {
    public internal(set) var plant: Plant
    public internal(set) var controller: PlantController
    public let weather: WeatherSeries
    public let calendar: SimCalendar
    public let spec: ScenarioSpec
    public let calibrations: [BuildingCalibration]
    public let stepS: Double
    public let scanEvery: Int
    public private(set) var stepIndex = 0
    public private(set) var statistics: RunStatistics
    private var sensors = PlantSensors()
    /// Whether `t` is a whole multiple of 10 s (when exercises are scored).
    @inline(__always) public static func isWatchTime(_ t: Double) -> Bool {
        let r = t.rounded()
        return r == t && Int64(r) % 10 == 0
    }

    /// One-shot events already applied (deliveries, faults), by index.
    private var deliveriesDone: Set<Int> = []
    /// Events held over a duration that are in force (their fault struck, not yet repaired).
    public internal(set) var eventsInForce: Set<Int> = []
    /// Every activation of an alarm (it became active-unacknowledged), in order.
    public private(set) var alarmActivations: [(id: String, atS: Double)] = []
    /// Every acknowledgement of an alarm (an operator's, over Modbus or the control API), in order.
    public private(set) var alarmAcknowledgements: [(id: String, atS: Double)] = []
    /// The outdoor sensor's reading at the last scan (nil: the sensor has failed), °C.
    public private(set) var outdoorReadingC: Double? = 0
    /// Outdoor temperature applied in the last step (weather or an event), °C.
    public private(set) var outdoorC: Double = 0

    public init(_ built: BuiltScenario) {
        plant = built.plant; controller = built.controller; weather = built.weather; calendar = built.calendar
        spec = built.spec; calibrations = built.calibrations
        stepS = built.spec.stepS
        scanEvery = max(1, Int((built.spec.scanS / built.spec.stepS).rounded()))
        statistics = RunStatistics(plant: built.plant, calendar: built.calendar)
    }

    public var timeS: Double { plant.timeS }

    /// Changes the control core's settings: for the write bindings of a point catalogue's device
    /// types declared outside this module (the built-in ones write the fields directly).
    public mutating func updateController(_ body: (inout PlantController) throws -> Void) rethrows { try body(&controller) }

    /// Outdoor temperature at `t`: the weather, unless an event holds it.
    func outdoor(at t: Double) -> Double {
        if let c = heldOutdoorC { return c }
        for e in spec.events {
            if case let .holdOutdoor(c) = e.instruction, e.inForce(at: t) { return c }
        }
        return weather.temperatureC(at: t)
    }

    /// Gives the scenario's instructions due at `t` to `apply`: a one-shot event once, when its
    /// time comes; an event held over a duration when it comes into force (its fault struck) and
    /// when it ends (repaired). Between the two an operator's action stands (a boiler put back in
    /// service, a fault repaired by the instructor). Events the plant cannot carry out here (a
    /// communication fault: the daemon's) are skipped.
    mutating func applyEvents(at t: Double) {
        // ends before starts: a fault whose event ends as another of the same kind starts stays struck
        for (k, e) in spec.events.enumerated() where eventsInForce.contains(k) && !e.inForce(at: t) {
            eventsInForce.remove(k)
            if case let .fault(f) = e.instruction { try? apply(.repair(f)) }
        }
        for (k, e) in spec.events.enumerated() {
            if e.isOneShot {
                guard t >= e.atS, !deliveriesDone.contains(k) else { continue }
                deliveriesDone.insert(k)
                // a delivery arrives at the event's time, not at the scan that gives it
                try? apply(e.instruction, arrivalS: e.atS)
                continue
            }
            guard case let .fault(f) = e.instruction, !e.instruction.isDaemons, !eventsInForce.contains(k), e.inForce(at: t) else { continue }
            eventsInForce.insert(k)
            try? apply(.fault(f))
        }
    }

    /// The outdoor temperature the instructor holds (`POST /outdoor`), over any event's; nil: none.
    public internal(set) var heldOutdoorC: Double?

    /// An outdoor sensor fault set by an instructor or a scenario's event (failed, or drifting by K); nil: none.
    public internal(set) var liveOutdoorFault: (failed: Bool, driftK: Double)?

    // Instructor's actions (the control API), carried out between two batches of steps.
    public mutating func setOutdoorSensorFault(_ f: (failed: Bool, driftK: Double)?) { liveOutdoorFault = f }
    public mutating func acknowledgeAlarm(_ i: Int) { controller.alarms.acknowledge(i, atS: timeS) }
    public mutating func acknowledgeAllAlarms() { controller.alarms.acknowledgeAll(atS: timeS) }
    public mutating func orderDelivery(trucks: Int, arrivalS: Double) { plant.silo.order(arrivalS: arrivalS, trucks: trucks) }
    public mutating func injectBoilerFault(_ i: Int, _ f: BoilerFault) { plant.boilers[i].strike(f) }
    public mutating func setMeterFailed(_ i: Int, _ on: Bool) { plant.substations[i].meter.failed = on }
    public mutating func setSecondaryPumpFailed(_ i: Int, _ on: Bool) { plant.substations[i].secondaryPumpFailed = on }
    public mutating func setValveStuck(_ i: Int, _ on: Bool) { plant.substations[i].heatingValve.stuck = on }
    public mutating func setNetworkPumpFailed(_ on: Bool) { plant.networkPumpFailed = on }
    public mutating func setLeak(m3PerH: Double) { plant.pressurisation.leakM3PerH = m3PerH }

    /// The buffer layer the cascade's upper sensor sits in (the sensor a buffer sensor fault strikes).
    public var bufferSensorLayer: Int {
        CascadeSequencer.layer(height: controller.cascade.settings.upperSensorHeight, layers: plant.buffer.layerCount)
    }

    /// The buffer's upper sensor gives no reading now (a fault from the scenario or the instructor).
    public var bufferSensorFailed: Bool {
        let l = bufferSensorLayer
        return l < sensors.bufferLayersC.count && sensors.bufferLayersC[l].isNaN
    }

    /// A buffer sensor fault set by an instructor or a scenario's event.
    public internal(set) var liveBufferSensorFault = false
    public mutating func setBufferSensorFailed(_ on: Bool) { liveBufferSensorFault = on }

    /// Drains the control core's alarm transitions, keeping the activations.
    mutating func noteAlarmTransitions() {
        for tr in controller.alarms.takeTransitions() {
            if tr.to == .unacknowledged && tr.from != .acknowledged { alarmActivations.append((tr.id, tr.atS)) }
            if tr.cause == "acknowledge" { alarmAcknowledgements.append((tr.id, tr.atS)) }
        }
    }

    /// Advances one physics step (scanning the control core when its period comes).
    @inline(__always) public mutating func step() {
        let t = plant.timeS
        let out = outdoor(at: t)
        outdoorC = out
        if stepIndex % scanEvery == 0 {
            if !spec.events.isEmpty { applyEvents(at: t) }
            plant.readSensors(into: &sensors, outdoorC: out)
            if let f = liveOutdoorFault { sensors.outdoorC = f.failed ? .nan : sensors.outdoorC + f.driftK }
            if liveBufferSensorFault { sensors.bufferLayersC[bufferSensorLayer] = .nan }
            outdoorReadingC = sensors.outdoorC.isFinite ? sensors.outdoorC : nil
            controller.scan(dtS: stepS * Double(scanEvery), moment: calendar.moment(t), sensors: sensors)
            noteAlarmTransitions()
        }
        plant.step(dtS: stepS, outdoorC: out, calendar: calendar, act: controller.actuators,
                   ghiWPerM2: plant.solarFields.isEmpty ? nil : weather.globalHorizontalWPerM2(at: t))
        statistics.record(plant: plant, outdoorC: out, dtS: stepS)
        stepIndex += 1
    }

    /// One-shot events already applied (so a restored daemon does not apply them twice).
    public var oneShotEventsDone: Set<Int> { deliveriesDone }

    /// After a restart: the step counter and the one-shot events applied before it.
    mutating func restoreRuntime(stepIndex n: Int, oneShotEventsDone done: Set<Int>, eventsInForce inForce: Set<Int>) {
        stepIndex = n
        deliveriesDone = done
        eventsInForce = inForce
    }

    /// Starts the measurement afresh: what `RunReport` sums begins now (after a warm-up).
    public mutating func resetStatistics() {
        statistics = RunStatistics(plant: plant, calendar: calendar)
    }

    /// Runs for `durationS`, calling `progress` with the share done about every 1 %, and
    /// `recording` (the historian) after the steps it wants.
    /// `watch`, when given, is called every 10 simulated seconds (an exercise's scoring).
    public mutating func run(durationS: Double, recording: (any StepObserver)? = nil, progress: ((Double) -> Void)? = nil,
                             watch: ((Simulation) -> Void)? = nil) {
        let steps = Int((durationS / stepS).rounded())
        let every = max(1, steps / 200)
        for k in 0..<steps {
            step()
            if let r = recording, r.wants(plant.timeS) { r.observe(self) }
            if let w = watch, Self.isWatchTime(plant.timeS) { w(self) }
            if let p = progress, k % every == 0 { p(Double(k) / Double(steps)) }
        }
        progress?(1)
    }
}

/// What watches a simulation step by step (the historian's recording): asked cheaply after each
/// step whether it wants to look, then handed the simulation.
public protocol StepObserver: AnyObject {
    func wants(_ timeS: Double) -> Bool
    func observe(_ sim: Simulation)
}
