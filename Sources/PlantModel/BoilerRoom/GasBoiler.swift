import Foundation

/// A modulating gas boiler for top-up and backup, staged after the wood-chip boilers.
///
/// Efficiency on LHV falls with the return temperature: 0.97 at 30 °C (part condensing) to
/// 0.92 above 60 °C (no condensation), linear between (typical of EN 15502 test points).
/// Gas is metered on HHV: HHV = LHV / 0.9.
public struct GasBoiler: Sendable {
    public let nominalKW: Double
    public let minModulation: Double
    public let waterVolumeM3: Double
    public let pumpKgPerS: Double
    /// Ratio LHV/HHV of natural gas.
    public static let lhvToHhv = 0.9
    public private(set) var firing: Double = 0
    public private(set) var waterC: Double
    public private(set) var fuelKW: Double = 0          // LHV
    public private(set) var toLoopKW: Double = 0
    public private(set) var efficiency: Double = 0
    public private(set) var runHours: Double = 0
    public private(set) var starts: Int = 0
    public private(set) var fuelKWhLHV: Double = 0
    /// Heat passed to the loop since the start, kWh.
    public private(set) var toLoopKWh: Double = 0
    public var available: Bool = true

    public init(nominalKW: Double, minModulation: Double = 0.2, waterVolumeM3: Double, initialC: Double) {
        self.nominalKW = nominalKW; self.minModulation = minModulation; self.waterVolumeM3 = waterVolumeM3
        pumpKgPerS = nominalKW / (Water.cpKJPerKgK * 15)
        waterC = initialC
    }

    var capacityKJPerK: Double { waterVolumeM3 * Water.densityKgPerM3 * Water.cpKJPerKgK }
    public var storedKJ: Double { capacityKJPerK * waterC }
    public var fuelKWhHHV: Double { fuelKWhLHV / Self.lhvToHhv }

    public static func efficiencyLHV(returnC: Double) -> Double {
        let r = min(60, max(30, returnC))
        return 0.97 - 0.05 * (r - 30) / 30
    }

    /// Advances by `dtS`: fires at `modulation` when `demand`, exchanges `loopKgPerS` with the buffer.
    public mutating func step(dtS: Double, demand: Bool, modulation: Double, loopKgPerS: Double, loopReturnC: Double) {
        let on = demand && available && waterC < 95
        if on && firing == 0 { starts += 1 }
        firing = on ? min(1, max(minModulation, modulation)) : 0
        efficiency = on ? Self.efficiencyLHV(returnC: loopReturnC) : 0
        let heat = firing * nominalKW
        fuelKW = on ? heat / efficiency : 0
        let c = capacityKJPerK
        let loopCap = max(0, loopKgPerS) * Water.cpKJPerKgK
        let t = (c / dtS * waterC + heat + loopCap * loopReturnC) / (c / dtS + loopCap)
        toLoopKW = loopCap * (t - loopReturnC)
        waterC = t
        if on { runHours += dtS / 3600 }
        fuelKWhLHV += fuelKW * dtS / 3600
        toLoopKWh += toLoopKW * dtS / 3600
    }

    /// Puts back the counters kept in the retentive memory after a restart.
    public mutating func restoreCounters(runHours: Double, starts: Int, fuelKWhLHV: Double, toLoopKWh: Double) {
        self.runHours = runHours; self.starts = starts; self.fuelKWhLHV = fuelKWhLHV; self.toLoopKWh = toLoopKWh
    }

    /// Heat released into the water in the last step, kW.
    public var heatKW: Double { fuelKW * efficiency }
}
