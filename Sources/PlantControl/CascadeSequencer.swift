import PlantModel

/// Settings of the cascade sequencer.
public struct CascadeSettings: Sendable, Equatable {
    /// Delays before staging up or down, s; minimum on and off times of a boiler, s.
    public var stageUpDelayS: Double = 600
    public var stageDownDelayS: Double = 900
    public var minOnS: Double = 1800
    public var minOffS: Double = 600
    /// Lead modulation above which the running boilers count as saturated (stage up), and the
    /// share of the running capacity below which one boiler fewer would do (stage down).
    public var stageUpModulation: Double = 0.95
    public var stageDownShare: Double = 0.8
    /// Buffer: the charge setpoint is the network setpoint plus this, K; the cascade starts when
    /// the upper sensor falls `startBelowK` under it and stops when the lower sensor is within
    /// `stopWithinK` of it.
    public var chargeAboveNetworkK: Double = 5
    public var startBelowK: Double = 3
    public var stopWithinK: Double = 6
    /// Relative heights of the buffer's upper and lower sensors (0 bottom … 1 top). The start
    /// sensor sits below mid-height so that most of the buffer is used before a boiler is called:
    /// in summer one charge then lasts most of a day (a cold start a day, not five).
    public var upperSensorHeight: Double = 0.4
    public var lowerSensorHeight: Double = 0.1
    /// The lead boiler changes at this interval of the controller's clock, s (a fixed sequence
    /// rotated weekly, as cascade managers of wood-chip plants do it: Viessmann Vitocontrol,
    /// Hargassner/Fröling cascade modules "Folgeumschaltung nach Zeit").
    public var rotationIntervalS: Double = 7 * 86400
    /// Ember-end restart, s (0: off). When no boiler is asked for heat and the lead has held its
    /// embers this long, it is restarted from them if the buffer has room at its bottom (its
    /// bottom sensor under the charged criterion) instead of burning out and igniting cold a few
    /// hours later; the buffer takes the minimum run's surplus a few kelvin warmer.
    /// In low load (summer: 15–40 kW against a 100 kW minimum fire) the buffer's discharge
    /// outlasts any ember keeping, and every call would otherwise be a cold start; wood-chip
    /// planning guides count each cold ignition as smoke, igniter wear and unburnt fuel and ask
    /// that low-load operation avoid them (QM Holzheizwerke, Planungshandbuch, low-load
    /// operation with storage). Set below the boilers' longest ember keeping (4 h by default).
    public var emberRestartS: Double = 3.5 * 3600
    public init() {}
}

/// Conditions for staging, as pure predicates of the readings.
public enum StagingConditions {
    /// The buffer has been drawn down: its upper sensor is under the charge setpoint less `k`.
    public static func bufferDischarged(upperC: Double, chargeC: Double, k: Double) -> Bool { upperC < chargeC - k }
    /// The buffer is charged down to its lower sensor.
    public static func bufferCharged(lowerC: Double, chargeC: Double, k: Double) -> Bool { lowerC >= chargeC - k }
    /// Every running boiler fires at or above `threshold`.
    public static func saturated(firing: [Double], running: [Int], threshold: Double) -> Bool {
        !running.isEmpty && running.allSatisfy { firing[$0] >= threshold }
    }
    /// The running boilers' total could be carried by one boiler fewer at `share` of their capacity.
    public static func oneFewerWouldDo(firing: [Double], running: [Int], share: Double) -> Bool {
        running.count >= 2 && running.reduce(0) { $0 + firing[$1] } <= Double(running.count - 1) * share
    }
}

/// Lead/lag sequencer of a wood-chip cascade with gas top-up: decides which boilers are asked
/// for heat and sets the firing rate of the running ones from a master PI on the buffer.
///
/// The sequence is fixed and its lead rotates at a fixed interval (not at every staging): a
/// stage-up starts first a boiler still holding embers (a warm restart costs no ignition, no
/// smoke and no igniter wear), else the next in the sequence; a stage-down stops the last in the
/// sequence, so that the lead keeps its fire. Unavailable boilers are skipped.
public struct CascadeSequencer: Sendable {
    public var settings: CascadeSettings
    /// Boilers taken out by the operator (maintenance): skipped like a boiler in fault.
    public var disabled: [Bool]
    public private(set) var demand: [Bool]
    public private(set) var gasDemand: [Bool]
    /// Gas boilers the operator took out of the sequence (their `enable` point at 0).
    public var gasDisabled: [Bool]
    /// Heat pumps: asked to run, taken out by the operator; their nominal heat, kW, and highest
    /// condenser outlet, °C.
    public private(set) var heatPumpDemand: [Bool]
    public var heatPumpDisabled: [Bool]
    public let heatPumpNominalKW: [Double], heatPumpMaxLeavingC: [Double]
    /// The gas boilers' nominal outputs, kW (to share a top-up's modulation).
    public var gasNominalKW: [Double] = []
    /// The gas top-up's trim behind heat pumps (see `gasTopUp`), and its stage-down timer.
    public private(set) var gasTrim: PIController? = nil
    private var gasDownTimerS = 0.0
    private var onSinceS: [Double]
    private var offSinceS: [Double]
    private var upTimerS = 0.0, downTimerS = 0.0
    /// Boilers lost while asked for heat and not yet replaced (a standby still in its minimum off time).
    private var substitutions = 0
    private var gasTimerS = 0.0
    /// Buffer trim of the master: kW added to (or taken from) the network's measured load so
    /// that the buffer's upper sensor holds the charge setpoint.
    public private(set) var master = PIController(gain: 6, integralTimeS: 3600, outputMin: -60, outputMax: 60)
    /// Heat the master asks of the running boilers, kW.
    public private(set) var firingDemandKW: Double = 0
    /// Nominal output of each wood boiler, kW.
    public let nominalKW: [Double]
    public private(set) var lastStageChangeS = -1e9
    /// The boiler leading the sequence, and when it last changed, s.
    public private(set) var leadIndex = 0
    /// Restarts from embers the ember-end rule made (see `CascadeSettings.emberRestartS`).
    public private(set) var emberRestarts = 0
    private var lastRotationS: Double? = nil

    public init(nominalKW: [Double], gasBoilers: Int, heatPumpNominalKW: [Double] = [], heatPumpMaxLeavingC: [Double] = [],
                settings: CascadeSettings = .init()) {
        let boilers = nominalKW.count
        self.heatPumpNominalKW = heatPumpNominalKW; self.heatPumpMaxLeavingC = heatPumpMaxLeavingC
        heatPumpDemand = [Bool](repeating: false, count: heatPumpNominalKW.count)
        heatPumpDisabled = [Bool](repeating: false, count: heatPumpNominalKW.count)
        self.nominalKW = nominalKW
        self.settings = settings
        disabled = [Bool](repeating: false, count: boilers)
        demand = [Bool](repeating: false, count: boilers)
        gasDemand = [Bool](repeating: false, count: gasBoilers)
        gasDisabled = [Bool](repeating: false, count: gasBoilers)
        onSinceS = [Double](repeating: -1e9, count: boilers)
        offSinceS = [Double](repeating: -1e9, count: boilers)
    }

    /// The lead boiler: the one asked for heat the longest, nil when none is.
    public var lead: Int? {
        (0..<demand.count).filter { demand[$0] }.min { onSinceS[$0] < onSinceS[$1] }
    }

    func available(_ i: Int, _ s: PlantSensors) -> Bool { !disabled[i] && s.boilerState[i] != .fault }

    /// The buffer layer (0 = top) a sensor at relative height `z` (0 bottom … 1 top) sits in.
    public static func layer(height z: Double, layers n: Int) -> Int {
        min(n - 1, max(0, Int(((1 - z) * Double(n)).rounded(.down))))
    }

    /// One scan. `networkSetpointC`: the plant's supply setpoint. Writes demand and firing of
    /// each boiler into `act`.
    public mutating func scan(dtS: Double, sensors s: PlantSensors, networkSetpointC: Double, act: inout PlantActuators) {
        let t = s.timeS
        let n = demand.count
        let charge = networkSetpointC + settings.chargeAboveNetworkK
        let layers = s.bufferLayersC
        // a failed sensor (no reading) gives way to the nearest one that reads, as a controller
        // with several buffer sensors substitutes one for another
        func at(_ z: Double) -> Double {
            let k = Self.layer(height: z, layers: layers.count)
            for d in 0..<layers.count {
                if k - d >= 0, layers[k - d].isFinite { return layers[k - d] }
                if k + d < layers.count, layers[k + d].isFinite { return layers[k + d] }
            }
            return charge   // no sensor reads at all: hold the charge setpoint (the trim rests)
        }
        let upper = at(settings.upperSensorHeight), lower = at(settings.lowerSensorHeight)
        let bottom = at(0)

        // a boiler that failed or was disabled drops out at once, and a standby takes its place
        // at once (fault changeover: no stage-up delay for a boiler lost while asked for heat)
        for i in 0..<n where demand[i] && !available(i, s) { demand[i] = false; offSinceS[i] = t; substitutions += 1 }
        var running = (0..<n).filter { demand[$0] }

        // weekly rotation of the sequence's lead
        if let last = lastRotationS {
            if t - last >= settings.rotationIntervalS { leadIndex = n > 0 ? (leadIndex + 1) % n : 0; lastRotationS = t }
        } else { lastRotationS = t }
        let lead = leadIndex
        @inline(__always) func rank(_ i: Int) -> Int { (i - lead + n) % n }

        func startOne() -> Bool {
            let idle = (0..<n).filter { !demand[$0] && available($0, s) && (t - offSinceS[$0] >= settings.minOffS || s.boilerState[$0] == .emberKeeping) }
            // a boiler holding embers first, then the sequence's order
            let warm = idle.filter { s.boilerState[$0] == .emberKeeping }
            guard let pick = (warm.isEmpty ? idle : warm).min(by: { rank($0) < rank($1) }) else { return false }
            demand[pick] = true; onSinceS[pick] = t; lastStageChangeS = t
            return true
        }
        func stopOne() {
            // the last in the sequence among those past their minimum on time: the lead keeps its fire
            let candidates = running.filter { t - onSinceS[$0] >= settings.minOnS }
            guard let pick = candidates.max(by: { rank($0) < rank($1) }) else { return }
            demand[pick] = false; offSinceS[pick] = t; lastStageChangeS = t
        }

        while substitutions > 0 && startOne() { substitutions -= 1; running = (0..<n).filter { demand[$0] } }
        if (0..<n).allSatisfy({ demand[$0] || !available($0, s) }) { substitutions = 0 }   // none left to call

        let discharged = StagingConditions.bufferDischarged(upperC: upper, chargeC: charge, k: settings.startBelowK)
        let charged = StagingConditions.bufferCharged(lowerC: lower, chargeC: charge, k: settings.stopWithinK)

        // Merit order: the heat pumps first (their source is renewable and the cheapest heat),
        // the wood-chip cascade next, gas as top-up. A heat pump is asked to run once the buffer
        // is drawn down and until it is charged to what the pump can reach (its highest outlet);
        // the wood and gas stages come in only when every available heat pump gives all it can
        // (running at full capacity, or held back by its source) and the buffer still falls.
        let pumps = heatPumpDemand.count
        var pumpsKW = 0.0, pumpsFull = true
        if pumps > 0 {
            for j in 0..<pumps {
                let avail = s.heatPumpAvailable[j] && !heatPumpDisabled[j]
                let top = min(charge, heatPumpMaxLeavingC[j])
                // staged down last: kept asked while a boiler is (the dearer stage stops first), and
                // until the buffer is charged to within 1 K of what it reaches at its lower sensor
                let boilersAsked = demand.contains(true) || gasDemand.contains(true)
                if !avail { heatPumpDemand[j] = false }
                else if upper < top - settings.startBelowK { heatPumpDemand[j] = true }
                else if !boilersAsked && StagingConditions.bufferCharged(lowerC: lower, chargeC: top, k: 1) { heatPumpDemand[j] = false }
                if s.heatPumpRunning[j] { pumpsKW += s.heatPumpKW[j] }
                if avail && !(s.heatPumpRunning[j] && (s.heatPumpSourceLimited[j] || s.heatPumpKW[j] >= settings.stageUpModulation * heatPumpNominalKW[j])) {
                    pumpsFull = false
                }
            }
        }

        if running.isEmpty {
            if discharged && pumpsFull { _ = startOne() }
            else if pumpsFull && settings.emberRestartS > 0 && !StagingConditions.bufferCharged(lowerC: bottom, chargeC: charge, k: settings.stopWithinK) {
                // the first in the sequence among those that have held their embers long enough
                var pick: Int? = nil
                for i in 0..<n where available(i, s) && s.boilerState[i] == .emberKeeping && i < s.boilerSecondsInState.count
                    && s.boilerSecondsInState[i] >= settings.emberRestartS && pick.map({ rank(i) < rank($0) }) ?? true { pick = i }
                if let i = pick {
                    demand[i] = true; onSinceS[i] = t; lastStageChangeS = t
                    emberRestarts += 1
                }
            }
            upTimerS = 0; downTimerS = 0
        } else {
            // firing is only meaningful for boilers that are running (not igniting)
            let firing = s.boilerFiring
            let modulating = running.filter { s.boilerState[$0] == .running }
            if StagingConditions.saturated(firing: firing, running: modulating, threshold: settings.stageUpModulation) && upper < charge - 1 && modulating.count == running.count {
                upTimerS += dtS
            } else { upTimerS = 0 }
            if StagingConditions.oneFewerWouldDo(firing: firing, running: modulating, share: settings.stageDownShare) {
                downTimerS += dtS
            } else { downTimerS = 0 }
            if upTimerS >= settings.stageUpDelayS {
                if startOne() { upTimerS = 0 }
            } else if downTimerS >= settings.stageDownDelayS {
                stopOne(); downTimerS = 0
            } else if charged && running.count == 1 && firingDemandKW - pumpsKW <= nominalKW[running[0]] * 0.4 {
                stopOne()
            }
        }

        // Master: load following. The network's measured load (flow × supply−return) plus a PI
        // trim on the buffer's upper sensor gives the heat asked of the running boilers, shared
        // in proportion to their nominal outputs.
        let loadKW = max(0, Water.massFlowKgPerS(flowM3PerH: s.networkFlowM3PerH) * Water.cpKJPerKgK * (s.networkSupplyC - s.networkReturnC))
        let trim = master.update(setpoint: charge, measurement: upper, dtS: dtS)
        firingDemandKW = max(0, loadKW + trim)
        // the heat pumps take the first share of it; the wood-chip boilers what they leave
        if pumps > 0 {
            let total = heatPumpNominalKW.reduce(0, +)
            for j in 0..<pumps {
                act.heatPumpDemand[j] = heatPumpDemand[j]
                // at full capacity while asked: the buffer decouples it from the load, so that it
                // charges the store in long runs rather than following the load down to its
                // minimum and leaving the buffer discharged (a store-charging heat pump)
                act.heatPumpModulation[j] = total > 0 ? 1 : 0
                act.heatPumpLeavingC[j] = min(charge, heatPumpMaxLeavingC[j])
            }
        }
        var runningKW = 0.0
        for i in 0..<n where demand[i] { runningKW += nominalKW[i] }
        let u = runningKW > 0 ? min(1, max(0, firingDemandKW - pumpsKW) / runningKW) : 0
        for i in 0..<n {
            act.boilerDemand[i] = demand[i]
            // each boiler's own limit thermostat takes firing away from 92 °C (none left at 98 °C)
            let limit = min(1, max(0, (98 - s.boilerWaterC[i]) / 6))
            act.boilerModulation[i] = demand[i] ? u * limit : 0
        }
        // Gas top-up: after every available wood boiler runs saturated for the stage-up delay; or,
        // whatever the wood boilers do, once the buffer's top has stood twice `startBelowK` under
        // the charge set-point for that delay: the usual release of a back-up boiler on a
        // temperature deficit, for a surge the wood boilers cannot follow (a wood-chip boiler
        // needs 10–20 min to ignite and tens of minutes from low fire to full; the network's
        // supply falls meanwhile).
        let woodAvailable = (0..<n).filter { available($0, s) }
        let woodSaturated = woodAvailable.allSatisfy { demand[$0] && s.boilerState[$0] == .running && s.boilerFiring[$0] >= settings.stageUpModulation }
        if !gasDemand.isEmpty && pumps > 0 {
            // the top-up holds the buffer's upper sensor just over the network's set-point: the rest
            // of the buffer is the heat pumps' to charge, from a bottom cool enough for their lift
            let target = networkSetpointC + 1
            gasTopUp(dtS: dtS, s: s, upper: upper, charge: target, left: max(0, firingDemandKW - pumpsKW - runningKW * u),
                     wanted: (woodAvailable.isEmpty || woodSaturated) && pumpsFull && upper < target,
                     deficit: upper < target - settings.startBelowK, act: &act)
        } else if !gasDemand.isEmpty {
            let deficit = upper < charge - 2 * settings.startBelowK
            if ((woodAvailable.isEmpty || woodSaturated) && pumpsFull && upper < charge - settings.startBelowK) || deficit { gasTimerS += dtS } else { gasTimerS = max(0, gasTimerS - dtS) }
            // with no wood-chip boiler available, a discharged buffer calls gas at once
            let gasWanted = gasTimerS >= settings.stageUpDelayS || (woodAvailable.isEmpty && discharged)
            let gasOff = charged || upper > charge + 1
            for g in gasDemand.indices {
                if gasWanted && !gasDemand[g] && s.gasAvailable[g] && !gasDisabled[g] { gasDemand[g] = true; gasTimerS = 0; break }
            }
            if gasOff { for g in gasDemand.indices { gasDemand[g] = false } }
            for g in gasDemand.indices {
                act.gasDemand[g] = gasDemand[g] && s.gasAvailable[g] && !gasDisabled[g]
                act.gasModulation[g] = 1
            }
        }
    }

    /// Gas behind heat pumps: a modulating top-up. What the heat pumps and the wood leave of the
    /// master's demand plus a PI on the buffer's upper sensor (at `charge`) is asked of
    /// the gas boilers in service, shared by their nominal outputs. The first is called after
    /// `stageUpDelayS` of a discharged buffer with the others at full output (or at once on a
    /// deficit held that long), a second once the first is asked for full output that long; the
    /// last called stops when the gas asked stays under its minimum fire (20 %) for
    /// `stageDownDelayS`, all of them when the upper sensor stands 3 K over the set-point. The gas
    /// boilers thus follow the load instead of charging the buffer in full-fire bursts.
    mutating func gasTopUp(dtS: Double, s: PlantSensors, upper: Double, charge: Double, left: Double, wanted: Bool, deficit: Bool,
                           act: inout PlantActuators) {
        precondition(gasNominalKW.count == gasDemand.count, "the gas top-up needs each gas boiler's nominal output (gasNominalKW)")
        let total = gasNominalKW.reduce(0, +)
        if gasTrim == nil { gasTrim = PIController(gain: 0.05 * total, integralTimeS: 1200, outputMin: -total, outputMax: total) }
        let disabled = gasDisabled
        let inService = { (g: Int) in s.gasAvailable[g] && !disabled[g] }
        for g in gasDemand.indices where gasDemand[g] && !inService(g) { gasDemand[g] = false }
        let running = gasDemand.indices.filter { gasDemand[$0] }
        let runningKW = running.reduce(0) { $0 + gasNominalKW[$1] }
        let trim = gasTrim!.update(setpoint: charge, measurement: upper, dtS: dtS)
        let ask = max(0, left + trim)
        let share = runningKW > 0 ? ask / runningKW : 0
        if running.isEmpty {
            if wanted || deficit { gasTimerS += dtS } else { gasTimerS = max(0, gasTimerS - dtS) }
            gasDownTimerS = 0
            if gasTimerS >= settings.stageUpDelayS, let g = gasDemand.indices.first(where: inService) {
                gasDemand[g] = true; gasTimerS = 0
                gasTrim!.track(0)
            }
        } else {
            if share >= settings.stageUpModulation { gasTimerS += dtS } else { gasTimerS = 0 }
            if share < 0.2 { gasDownTimerS += dtS } else { gasDownTimerS = 0 }
            if upper > charge + 3 {
                for g in gasDemand.indices { gasDemand[g] = false }
                gasTimerS = 0; gasDownTimerS = 0
            } else if gasTimerS >= settings.stageUpDelayS, let g = gasDemand.indices.first(where: { !gasDemand[$0] && inService($0) }) {
                gasDemand[g] = true; gasTimerS = 0
            } else if gasDownTimerS >= settings.stageDownDelayS, let g = running.last {
                gasDemand[g] = false; gasDownTimerS = 0
            }
        }
        let nowKW = gasDemand.indices.filter { gasDemand[$0] }.reduce(0) { $0 + gasNominalKW[$1] }
        for g in gasDemand.indices {
            act.gasDemand[g] = gasDemand[g] && inService(g)
            act.gasModulation[g] = nowKW > 0 ? min(1, ask / nowKW) : 0
        }

}
}
