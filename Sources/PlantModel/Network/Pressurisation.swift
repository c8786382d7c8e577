/// The network's pressure holding: a membrane expansion vessel (its gas cushion compressed
/// isothermally, Boyle–Mariotte p·V = const) and a make-up unit that tops the network up from the
/// mains through a water meter when the pressure falls to its switch-on point, as in EN 12828
/// pressurisation. A leak takes water out; while the make-up keeps up, the pressure cycles
/// between its switch points and the make-up meter counts the loss; beyond its capacity the
/// vessel empties and the pressure falls, fast once the vessel holds no more water (the pipes
/// and boilers are nearly rigid: `rigidBarPerM3`). Under `lowCutOutBarG` the low-pressure
/// switch stops the network pump (dry-running and cavitation protection) until the pressure is
/// back above `cutOutResetBarG`. The thermal expansion of the water is left out (the vessel's
/// everyday work); the make-up water is cold (`makeUpC`) and warming it is what a leak costs.
public struct Pressurisation: Sendable {
    public var vesselM3 = 0.8
    public var prechargeBarG = 1.5
    public var fillBarG = 2.5
    public var makeUpOnBarG = 2.0, makeUpOffBarG = 2.5
    public var makeUpM3PerH = 0.3
    public var makeUpC = 10.0
    public var lowCutOutBarG = 1.0, cutOutResetBarG = 1.3
    public var rigidBarPerM3 = 20.0
    static let atmosphereBar = 1.013

    /// The leak in force, m³/h (0: none).
    public var leakM3PerH = 0.0
    public private(set) var vesselWaterM3: Double
    /// Water missing beyond what the vessel held, m³.
    public private(set) var deficitM3 = 0.0
    public private(set) var pressureBarG: Double
    public private(set) var makeUpOn = false
    /// Make-up water meter, m³ (from the start of the plant's life: a counter).
    public private(set) var makeUpTotalM3 = 0.0
    public private(set) var lowPressureCutOut = false

    public init() {
        // at the fill pressure the gas cushion holds V·p0/pfill (absolute pressures)
        let p0 = prechargeBarG + Self.atmosphereBar, pf = fillBarG + Self.atmosphereBar
        vesselWaterM3 = vesselM3 * (1 - p0 / pf)
        pressureBarG = fillBarG
    }

    /// Make-up flow this step, kg/s.
    public var makeUpKgPerS: Double { makeUpOn ? makeUpM3PerH / 3600 * Water.densityKgPerM3 : 0 }

    public mutating func step(dtS: Double) {
        let inM3 = (makeUpOn ? makeUpM3PerH : 0) * dtS / 3600
        if makeUpOn { makeUpTotalM3 += inM3 }
        var net = inM3 - leakM3PerH * dtS / 3600
        if net > 0 && deficitM3 > 0 { let fill = min(net, deficitM3); deficitM3 -= fill; net -= fill }
        vesselWaterM3 += net
        if vesselWaterM3 < 0 { deficitM3 -= vesselWaterM3; vesselWaterM3 = 0 }
        let p0 = prechargeBarG + Self.atmosphereBar
        pressureBarG = deficitM3 > 0
            ? max(0, prechargeBarG - rigidBarPerM3 * deficitM3)
            : p0 * vesselM3 / max(1e-6, vesselM3 - vesselWaterM3) - Self.atmosphereBar
        if pressureBarG <= makeUpOnBarG { makeUpOn = true } else if pressureBarG >= makeUpOffBarG { makeUpOn = false }
        if pressureBarG < lowCutOutBarG { lowPressureCutOut = true } else if pressureBarG >= cutOutResetBarG { lowPressureCutOut = false }
    }

    /// Puts back the make-up meter kept in retentive memory.
    public mutating func restoreMeter(makeUpM3: Double) { makeUpTotalM3 = makeUpM3 }
}
