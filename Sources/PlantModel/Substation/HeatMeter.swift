import Foundation

/// A heat meter per EN 1434: flow sensor in the primary return, a matched pair of temperature
/// sensors, and a calculator integrating energy = ∫ k(θf, θr)·(θf − θr) dV.
///
/// Internally the meter integrates at full precision; what it shows (and what a register or an
/// invoice reads) is truncated to the resolution of its display, as real meters do.
public struct HeatMeter: Sendable {
    /// Serial number (printed on the meter and served on the bus).
    public let serial: UInt32
    /// Energy index, kWh (full precision; `energyKWhDisplayed` is what the display shows).
    public private(set) var energyKWh: Double = 0

    /// Puts back the indexes kept in retentive memory (after a power cut); an index never goes
    /// backwards, so a lower value than the one held is ignored.
    public mutating func restoreIndexes(energyKWh e: Double, volumeM3 v: Double, operatingHours h: Double, errorHours eh: Double? = nil) {
        energyKWh = max(energyKWh, e); volumeM3 = max(volumeM3, v); operatingHours = max(operatingHours, h)
        if let eh { errorHours = max(errorHours, eh) }
    }
    /// Volume index, m³.
    public private(set) var volumeM3: Double = 0
    /// Operating hours with supply powered, h.
    public private(set) var operatingHours: Double = 0
    /// Last measured flow (m³/h), power (kW), supply and return temperatures (°C).
    public private(set) var flowM3PerH: Double = 0
    public private(set) var powerKW: Double = 0
    public private(set) var supplyC: Double = 0
    public private(set) var returnC: Double = 0
    /// Information code: 0 = no error (bits set by faults; `calculatorError` while failed).
    public private(set) var infoCode: UInt16 = 0
    public static let calculatorError: UInt16 = 0x0008
    /// A failed meter (calculator or sensor fault): it shows its information code, its indexes
    /// stay frozen and it counts error hours instead; the heat still flows, unbilled.
    public var failed = false {
        didSet { infoCode = failed ? infoCode | Self.calculatorError : infoCode & ~Self.calculatorError }
    }
    public private(set) var errorHours: Double = 0
    /// Starting flow below which the flow sensor reads zero, m³/h (about qp/1000 for class 2).
    public let startingFlowM3PerH: Double

    public init(serial: UInt32, nominalFlowM3PerH: Double, energyKWh: Double = 0, volumeM3: Double = 0) {
        self.serial = serial
        self.startingFlowM3PerH = nominalFlowM3PerH / 1000
        self.energyKWh = energyKWh; self.volumeM3 = volumeM3
    }

    /// Temperature resolution of the calculator, K.
    public static let temperatureResolutionK = 0.01

    /// Integration cycle of the calculator, s: flow pulses are counted all the time, the
    /// temperatures are measured and the energy computed once a cycle (EN 1434-1 lets the
    /// calculator sample temperatures at intervals; battery meters do it every 2–64 s, mains
    /// meters every 2–8 s). What the meter shows (temperatures, flow, power) changes once a cycle.
    public var cycleS: Double = 8
    private var cycleElapsedS = 0.0, cycleVolumeM3 = 0.0

    /// Integrates one step: mass flow through the meter `massKgPerS` and the water's real
    /// supply and return temperatures.
    public mutating func integrate(dtS: Double, massKgPerS: Double, supplyC ts: Double, returnC tr: Double) {
        if failed { errorHours += dtS / 3600; flowM3PerH = 0; powerKW = 0; cycleElapsedS = 0; cycleVolumeM3 = 0; return }
        // volume at the flow sensor, in the return, at the water's real density there
        var q = massKgPerS / Water.densityKgPerM3(atC: tr) * 3600
        if q < startingFlowM3PerH { q = 0 }
        let dV = q * dtS / 3600
        volumeM3 += dV
        operatingHours += dtS / 3600
        cycleVolumeM3 += dV; cycleElapsedS += dtS
        guard cycleElapsedS >= cycleS - 1e-9 else { return }
        // the cycle's measurement: temperatures at the calculator's resolution, energy of the
        // volume counted since the last one
        let r = Self.temperatureResolutionK
        let tf = (ts / r).rounded() * r, tb = (tr / r).rounded() * r
        supplyC = tf; returnC = tb
        flowM3PerH = cycleVolumeM3 * 3600 / cycleElapsedS
        let dT = tf - tb
        if dT > 0 && cycleVolumeM3 > 0 {
            let k = Water.heatCoefficientKWhPerM3K(supplyC: tf, returnC: tb, volumeAtC: tr)
            energyKWh += k * cycleVolumeM3 * dT
            powerKW = k * flowM3PerH * dT
        } else {
            powerKW = 0
        }
        cycleElapsedS = 0; cycleVolumeM3 = 0
    }

    /// Energy index as the display shows it: whole kWh.
    public var energyKWhDisplayed: Double { energyKWh.rounded(.down) }
    /// Volume index as the display shows it: 0.01 m³.
    public var volumeM3Displayed: Double { (volumeM3 * 100).rounded(.down) / 100 }
}
