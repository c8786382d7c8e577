import Foundation

/// Fixed data of a wood-chip boiler.
public struct WoodChipBoilerSpec: Sendable {
    /// Nominal heat output, kW.
    public var nominalKW: Double
    /// Lowest continuous modulation, share of nominal (0.4 for a moving-grate furnace).
    public var minModulation: Double = 0.4
    /// Water content, m³, and the refractory's time constant, s.
    public var waterVolumeM3: Double
    public var refractoryTimeConstantS: Double = 900
    /// Ramp limit of the firing rate, share of nominal per minute.
    public var rampPerMinute: Double = 0.06
    /// Duration of the ignition sequence, s; of the burn-out, s; longest ember keeping, s (the
    /// grate's bed kept glowing at a trickle of fuel, adjustable on moving-grate boilers; 4 h
    /// bridges a summer buffer cycle so that the next call is a warm restart).
    public var ignitionS: Double = 900
    public var burnOutS: Double = 1200
    public var emberKeepingMaxS: Double = 4 * 3600
    /// Firing rate during ignition and ember keeping, share of nominal fuel power.
    public var ignitionFiring: Double = 0.15
    /// Ignition attempts before the burner management locks out (flame not detected).
    public var ignitionAttempts: Int = 2
    public var emberFiring: Double = 0.025
    /// Boiler pump flow, kg/s (sized for a 15 K rise at nominal output).
    public var pumpKgPerS: Double
    /// Shell loss coefficient to the boiler room, kW/K.
    public var shellLossKWPerK: Double
    /// Safety temperature limiter (STB) trip temperature, °C.
    public var safetyLimitC: Double = 110
    /// Ash content of the fuel burned, mass share.
    public var ashShare: Double = 0.004
    /// Electric power of the auxiliaries (fans, augers, unloader, precipitator), kW: standby,
    /// ignition (igniter), and running at min and at full firing.
    public var auxStandbyKW: Double = 0.08, auxIgnitionKW: Double = 1.9
    public var auxMinKW: Double = 1.6, auxFullKW: Double = 3.4

    public init(nominalKW: Double, waterVolumeM3: Double) {
        self.nominalKW = nominalKW
        self.waterVolumeM3 = waterVolumeM3
        pumpKgPerS = nominalKW / (Water.cpKJPerKgK * 15)
        shellLossKWPerK = 0.003 * nominalKW / 60        // 0.3 % of nominal at 60 K over the room
    }
}

/// State of a wood-chip boiler's burner sequence, as its own controller reports it.
public enum BoilerState: Int, Sendable, CaseIterable {
    case off = 0, ignition = 1, running = 2, emberKeeping = 3, burnOut = 4, fault = 5
    public var name: String {
        switch self {
        case .off: "off"; case .ignition: "ignition"; case .running: "running"
        case .emberKeeping: "ember keeping"; case .burnOut: "burn-out"; case .fault: "fault"
        }
    }
}

/// Fault codes a wood-chip boiler raises (0 = none).
public enum BoilerFault: Int, Sendable {
    case none = 0, fuelShortage = 1, augerJam = 2, ignitionFailure = 3, overTemperature = 4,
         ashBoxFull = 5, flueFanFailure = 6, precipitatorFault = 7

    /// The faults an instructor or a scenario can inject, by the name they are given there.
    public static let byName: [String: BoilerFault] = [
        "augerJam": .augerJam, "ignitionFailure": .ignitionFailure, "overTemperature": .overTemperature,
        "ashBoxFull": .ashBoxFull, "flueFanFailure": .flueFanFailure, "precipitatorFault": .precipitatorFault,
    ]
    /// The name an injectable fault is given (nil: not one that can be injected).
    public var injectionName: String? { Self.byName.first { $0.value == self }?.key }
}

/// A wood-chip boiler with its burner management: ignition, modulation 40–100 %, ember keeping,
/// burn-out and fault, the refractory's inertia and the water's.
///
/// Efficiency: the flue-gas loss by the Siegert formula q = (T_flue − T_air)·(A2/(21 − O2) + B)
/// with coefficients typical of wood (A2 = 0.65, B = 0.008), plus unburnt losses that grow at
/// low load; the flue gas runs 40 K + 80 K × load above the water, the excess air falls from
/// 10 % O2 at minimum to 6.5 % at full load. Heat released goes first into the refractory
/// (time constant `refractoryTimeConstantS`), then into the water.
public struct WoodChipBoiler: Sendable {
    public let spec: WoodChipBoilerSpec
    public private(set) var state: BoilerState = .off
    public private(set) var fault: BoilerFault = .none
    /// Firing rate: share of nominal heat output the fuel feed is set for, 0–1.
    public private(set) var firing: Double = 0
    /// Boiler water (outlet) temperature, °C.
    public private(set) var waterC: Double
    /// Heat held in the refractory above its cold state, kJ.
    public private(set) var refractoryKJ: Double = 0
    /// Last step's fuel power (LHV), heat released by combustion, heat into the water, heat to
    /// the loop, shell loss, kW; combustion efficiency; flue gas °C; O2 %; electricity kW.
    public private(set) var fuelKW: Double = 0
    public private(set) var combustionKW: Double = 0
    public private(set) var toWaterKW: Double = 0
    public private(set) var toLoopKW: Double = 0
    public private(set) var shellLossKW: Double = 0
    public private(set) var efficiency: Double = 0
    public private(set) var flueGasC: Double
    public private(set) var oxygenPercent: Double = 20.9
    public private(set) var electricityKW: Double = 0
    /// Counters: hours with a flame (ignition, running, ember keeping), starts (ignitions),
    /// ash produced, kg; fuel burned, kWh LHV; heat passed to the loop, kWh.
    public private(set) var runHours: Double = 0
    public private(set) var starts: Int = 0
    public private(set) var ashKg: Double = 0
    public private(set) var fuelKWh: Double = 0
    public private(set) var toLoopKWh: Double = 0
    private var stateTimeS: Double = 0
    /// Causes of faults that act through the physics rather than at once: the igniter has
    /// failed (the next ignition finds no flame and, after its attempts, locks out), the boiler
    /// pump has failed (no flow: the water overheats until the safety cut-out trips). Cleared by
    /// the operator's reset (the cause repaired).
    public private(set) var igniterFailed = false
    public private(set) var pumpFailed = false
    private var failedAttempts = 0

    public init(spec: WoodChipBoilerSpec, initialC: Double) {
        self.spec = spec; waterC = initialC; flueGasC = initialC
    }

    public var isFiring: Bool { state == .ignition || state == .running || state == .emberKeeping }
    /// Available for the cascade: not in fault.
    public var isAvailable: Bool { state != .fault }
    /// Seconds spent in the current state.
    public var secondsInState: Double { stateTimeS }
    var waterCapacityKJPerK: Double { spec.waterVolumeM3 * Water.densityKgPerM3 * Water.cpKJPerKgK + 0.5 * spec.nominalKW }
    /// Heat stored in water and metal (relative to 0 °C) and refractory, kJ.
    public var storedKJ: Double { waterCapacityKJPerK * waterC + refractoryKJ }

    /// Combustion efficiency on LHV at a firing rate and water temperature.
    public static func combustionEfficiency(load: Double, waterC: Double, airC: Double = 20) -> (efficiency: Double, flueC: Double, o2: Double) {
        let l = min(1, max(0.05, load))
        let flue = waterC + 40 + 80 * l
        let o2 = 10 - 3.5 * (min(1, max(0.4, l)) - 0.4) / 0.6 + (l < 0.4 ? (0.4 - l) * 15 : 0)
        let qFlue = (flue - airC) * (0.65 / (21 - o2) + 0.008) / 100   // Siegert gives per cent
        let qUnburnt = 0.01 + 0.02 * (1 - l)
        return (1 - qFlue - qUnburnt, flue, o2)
    }

    private mutating func enter(_ s: BoilerState) { state = s; stateTimeS = 0 }

    /// Forces a fault (or clears it with `.none` after a reset, when the cause is gone).
    public mutating func setFault(_ f: BoilerFault) {
        fault = f
        if f != .none { enter(.fault) } else if state == .fault { enter(.off) }
    }

    /// A fault strikes, as it does in a real boiler: an auger jammed by a foreign object, a full
    /// ash box, a failed flue-gas fan or precipitator stop it at once (their switches and
    /// interlocks); a failed igniter shows at the next ignition (no flame after each attempt,
    /// then lock-out); a failed boiler pump lets the water overheat until the safety temperature
    /// limiter (STB) cuts out at `safetyLimitC`.
    public mutating func strike(_ f: BoilerFault) {
        switch f {
        case .ignitionFailure: igniterFailed = true
        case .overTemperature: pumpFailed = true
        case .none: break
        default: setFault(f)
        }
    }

    /// The operator's reset, the cause repaired: the fault clears (an STB stays tripped while the
    /// water is still at its limit: the next step trips it again).
    public mutating func reset() {
        igniterFailed = false; pumpFailed = false; failedAttempts = 0
        setFault(.none)
    }

    /// Advances by `dtS`. `demand`: the cascade asks for heat; `modulation`: the firing rate it
    /// asks for (clamped to minModulation…1); `loopKgPerS` and `loopReturnC`: the share of the
    /// boiler pump's flow exchanged with the buffer and its temperature (the rest recirculates
    /// through the return-protection valve); `fuelAvailable`: the unloader can still feed.
    public mutating func step(dtS: Double, demand: Bool, modulation: Double, loopKgPerS: Double,
                              loopReturnC: Double, fuelAvailable: Bool, roomC: Double) {
        stateTimeS += dtS
        if waterC >= spec.safetyLimitC && state != .fault { setFault(.overTemperature) }
        if !fuelAvailable && isFiring { setFault(.fuelShortage) }
        // a fuel shortage clears itself once the unloader reaches fuel again (its alarm, latched
        // in the controller, still waits for the operator's reset)
        if state == .fault && fault == .fuelShortage && fuelAvailable { setFault(.none) }
        switch state {
        case .off:
            if demand && fuelAvailable { enter(.ignition); starts += 1 }
        case .ignition:
            if !demand { enter(.burnOut) } else if stateTimeS >= spec.ignitionS {
                if igniterFailed {
                    // no flame detected (the flue gas stayed cold): try again, then lock out
                    failedAttempts += 1
                    if failedAttempts >= spec.ignitionAttempts { setFault(.ignitionFailure) } else { enter(.ignition) }
                } else {
                    failedAttempts = 0
                    enter(.running); firing = spec.minModulation
                }
            }
        case .running:
            if !demand { enter(.emberKeeping) }
        case .emberKeeping:
            if demand { enter(.running); firing = spec.emberFiring }
            else if stateTimeS >= spec.emberKeepingMaxS { enter(.burnOut) }
        case .burnOut:
            if stateTimeS >= spec.burnOutS { enter(.off) }
        case .fault:
            break
        }
        // the fuel feed follows the firing rate the state allows, within the ramp limit
        let target: Double
        switch state {
        case .ignition: target = igniterFailed ? 0 : spec.ignitionFiring   // the igniter lights nothing: no fuel burns
        case .running: target = min(1, max(spec.minModulation, modulation))
        case .emberKeeping: target = spec.emberFiring
        case .off, .burnOut, .fault: target = 0
        }
        if state == .running {
            let maxStep = spec.rampPerMinute * dtS / 60
            firing += max(-maxStep, min(maxStep, target - firing))
        } else {
            firing = target
        }
        let (eta, flue, o2) = Self.combustionEfficiency(load: max(firing, 0.05), waterC: waterC)
        efficiency = firing > 0 ? eta : 0
        fuelKW = firing > 0 ? firing * spec.nominalKW / eta : 0
        combustionKW = fuelKW * efficiency
        // refractory store: combustion heat in, heat to the water out
        let tau = spec.refractoryTimeConstantS
        let k = exp(-dtS / tau)
        let r0 = refractoryKJ
        // exact for constant input: r(t+dt) = r·k + P·τ·(1 − k)
        refractoryKJ = r0 * k + combustionKW * tau * (1 - k)
        toWaterKW = (r0 - refractoryKJ) / dtS + combustionKW
        // water node, implicit in its own temperature
        let cw = waterCapacityKJPerK
        let loopCap = max(0, loopKgPerS) * Water.cpKJPerKgK
        let t = (cw / dtS * waterC + toWaterKW + loopCap * loopReturnC + spec.shellLossKWPerK * roomC) / (cw / dtS + loopCap + spec.shellLossKWPerK)
        toLoopKW = loopCap * (t - loopReturnC)
        shellLossKW = spec.shellLossKWPerK * (t - roomC)
        waterC = t
        flueGasC = firing > 0 ? flue : roomC + (flueGasC - roomC) * exp(-dtS / 1800)
        oxygenPercent = firing > 0 ? o2 : 20.9
        switch state {
        case .off, .fault: electricityKW = spec.auxStandbyKW
        case .ignition: electricityKW = spec.auxIgnitionKW
        case .emberKeeping, .burnOut: electricityKW = spec.auxStandbyKW + 0.3
        case .running:
            electricityKW = spec.auxMinKW + (spec.auxFullKW - spec.auxMinKW) * (firing - spec.minModulation) / (1 - spec.minModulation)
        }
        if isFiring { runHours += dtS / 3600 }
        fuelKWh += fuelKW * dtS / 3600
        toLoopKWh += toLoopKW * dtS / 3600
    }

    /// Puts back the counters kept in retentive memory and a fault still latched.
    public mutating func restoreCounters(runHours h: Double, starts n: Int, ashKg a: Double, fuelKWh f: Double, toLoopKWh q: Double, fault: BoilerFault) {
        runHours = h; starts = n; ashKg = a; fuelKWh = f; toLoopKWh = q
        if fault != .none { setFault(fault) }
    }

    /// Records the ash of `fuelKg` burned (called by the plant with what the auger fed).
    mutating func addAsh(fuelKg: Double) { ashKg += fuelKg * spec.ashShare }
}
