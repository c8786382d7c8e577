import Foundation

/// Domestic hot water drawn in a building: a daily volume and the hourly profile of the draws.
public struct DHWDemand: Sendable {
    /// Hot water drawn per day at the tank's temperature, L.
    public var litresPerDay: Double
    /// Share of the day's volume drawn in each hour 0–23 (sums to 1).
    public var hourlyShare: [Double]
    /// Cold water temperature, °C.
    public var coldWaterC: Double

    public init(litresPerDay: Double, hourlyShare: [Double], coldWaterC: Double = 10) {
        precondition(hourlyShare.count == 24)
        let s = hourlyShare.reduce(0, +)
        self.litresPerDay = litresPerDay
        self.hourlyShare = hourlyShare.map { $0 / s }
        self.coldWaterC = coldWaterC
    }

    /// The residential profile of EN 15316-3 style tapping cycles, lumped by hour: peaks in the
    /// morning and evening.
    public static let residentialProfile: [Double] = [
        0.5, 0.3, 0.2, 0.2, 0.5, 2.0, 7.0, 9.0, 7.0, 5.0, 4.0, 4.5,
        5.5, 4.5, 3.5, 3.0, 3.5, 5.0, 7.5, 8.5, 7.5, 5.5, 3.5, 1.8,
    ]
    /// Hotel and restaurant: morning showers, kitchen at noon and in the evening.
    public static let hotelProfile: [Double] = [
        0.5, 0.3, 0.2, 0.2, 0.5, 2.5, 9.0, 11.0, 9.0, 5.0, 4.0, 5.5,
        6.5, 4.5, 3.0, 2.5, 2.5, 3.5, 5.5, 6.5, 6.0, 4.5, 2.5, 1.0,
    ]

    /// Draw at an hour of day while the building is in use, m³/s.
    @inline(__always) public func drawM3PerS(hourOfDay: Double) -> Double {
        litresPerDay / 1000 * hourlyShare[min(23, Int(hourOfDay))] / 3600
    }
}

/// A DHW storage tank heated from the network through a coil in its lower part, stratified.
///
/// The water is a column of segments of variable volume (top first), moved as a plug: a draw
/// takes its volume from the top and cold water enters as a new segment at the bottom, so the
/// thermocline between hot and cold water stays sharp instead of being smeared by a fixed-layer
/// upwind scheme (each fixed layer acts as a mixed tank in series: the thermostat's sensor
/// then feels the cold long before the hot water above it is used, and the tank recharges
/// several times as often as a real one). This is the
/// variable-segment plug-flow model of storage tanks (TRNSYS Type 38, Kuhn, Duffie & Beckman;
/// see Kleinbach, Beckman & Klein, "Performance study of one-dimensional models for stratified
/// thermal storage tanks", Solar Energy 50 (1993) 155–166). When the column holds
/// `maxSegments`, the two neighbours closest in temperature are merged.
///
/// The coil fills the lower `coilShare` of the height; the primary water passes it top to bottom
/// (ε-NTU per segment on the conductance of the coil's length beside it, the tank water as the
/// infinite-capacity side), so its outlet sees the coldest water and the network gets it back
/// cold while the tank charges. Water heated by the coil rises: segments warmer than the water
/// above them mix with it (inverted segments are pooled into their volume-weighted mean, energy
/// kept: the "mixing of inverted nodes" of the same models). The standing loss is shared by volume.
public struct DHWTank: Sendable {
    public static let maxSegments = 8
    /// Share of the height the coil occupies, from the bottom.
    public static let coilShare = 0.25
    /// Relative heights (0 bottom … 1 top) of the tank's two sensor pockets. The lower one sits
    /// just above the coil: a charge ends when it reads the setpoint, so the whole volume has been
    /// heated. The upper one sits in the upper quarter: a charge starts when the thermocline
    /// (cold water entering at the bottom as hot water is drawn at the top) has risen to it, that
    /// is once three quarters of the volume are drawn, while the outlet above it is still hot.
    /// This is the two-sensor tank control of district-heating substation controllers (Danfoss
    /// ECL Comfort, DHW circuit: "cut-in" on the upper sensor, "cut-out" on the lower one): a
    /// charge is a long one that heats the whole tank, not a short top-up each time the water just
    /// above the coil cools.
    public static let lowerSensorHeight = 0.28
    public static let upperSensorHeight = 0.75
    /// Volume, m³.
    public let volumeM3: Double
    /// Standing-loss coefficient, kW/K.
    public let lossKWPerK: Double
    /// Conductance of the charging coil at nominal primary flow, kW/K.
    public let coilUAKWPerK: Double
    /// Segment temperatures, °C, and volumes, m³, top first; `segments` of them in use.
    public private(set) var segmentC: SIMD8<Double>
    public private(set) var segmentM3: SIMD8<Double>
    public private(set) var segments: Int
    /// Heat drawn with the hot water in the last step, kW; standing loss, kW.
    public private(set) var drawKW: Double = 0
    public private(set) var lossKW: Double = 0

    public init(volumeM3: Double, lossKWPerK: Double, coilUAKWPerK: Double, initialC: Double) {
        self.volumeM3 = volumeM3; self.lossKWPerK = lossKWPerK; self.coilUAKWPerK = coilUAKWPerK
        segmentC = SIMD8(repeating: initialC)
        segmentM3 = SIMD8(repeating: 0)
        segmentM3[0] = volumeM3
        segments = 1
    }

    /// The water leaving at the top to the taps, °C.
    public var outletC: Double { segmentC[0] }
    /// The lower sensor (charge stop), °C.
    public var lowerSensorC: Double { temperatureC(atRelativeHeight: Self.lowerSensorHeight) }
    /// The upper sensor (charge start), °C.
    public var upperSensorC: Double { temperatureC(atRelativeHeight: Self.upperSensorHeight) }
    /// Mean temperature of the stored water, °C.
    public var meanC: Double { (segmentC * segmentM3).sum() / volumeM3 }
    /// Heat stored relative to 0 °C, kJ.
    public var storedKJ: Double { (segmentC * segmentM3).sum() * Water.densityKgPerM3 * Water.cpKJPerKgK }

    /// Temperature of the water at relative height `z` (0 bottom … 1 top), °C.
    public func temperatureC(atRelativeHeight z: Double) -> Double {
        var above = 0.0
        let depth = (1 - z) * volumeM3
        for i in 0..<segments {
            above += segmentM3[i]
            if above >= depth { return segmentC[i] }
        }
        return segmentC[segments - 1]
    }

    /// Heat the coil passes to each segment from primary water at `primaryInC` and
    /// `primaryKgPerS` (the coil's top first), kW, and the primary water's outlet, °C.
    @inline(__always) public func coil(primaryInC: Double, primaryKgPerS: Double) -> (segmentKW: SIMD8<Double>, outletC: Double) {
        var q = SIMD8<Double>(repeating: 0)
        guard primaryKgPerS > 1e-9 else { return (q, primaryInC) }
        let c = primaryKgPerS * Water.cpKJPerKgK
        let coilM3 = Self.coilShare * volumeM3
        var t = primaryInC
        var top = volumeM3                        // height (as volume from the bottom) of the segment's top
        for i in 0..<segments {
            let bottom = top - segmentM3[i]
            let overlap = min(top, coilM3) - max(bottom, 0)
            if overlap > 0 && t > segmentC[i] {
                q[i] = (1 - exp(-coilUAKWPerK * overlap / coilM3 / c)) * c * (t - segmentC[i])
                t -= q[i] / c
            }
            top = bottom
        }
        return (q, t)
    }

    /// Advances by `dtS` with the coil's heat `coilKW` per segment, cold water replacing
    /// `drawM3PerS` of hot water drawn at the top.
    public mutating func step(dtS: Double, coilKW: SIMD8<Double>, drawM3PerS: Double, coldC: Double, ambientC: Double) {
        let rc = Water.densityKgPerM3 * Water.cpKJPerKgK          // kJ/(m³·K)
        // coil heat, and the standing loss implicit in each segment's temperature
        var loss = 0.0
        for i in 0..<segments {
            let c = segmentM3[i] * rc / dtS
            let u = lossKWPerK * segmentM3[i] / volumeM3
            segmentC[i] = (c * segmentC[i] + coilKW[i] + u * ambientC) / (c + u)
            loss += u * (segmentC[i] - ambientC)
        }
        lossKW = loss
        // the draw leaves at the top; the same volume of cold water enters at the bottom
        let d = drawM3PerS * dtS
        var drawnKJ = 0.0
        if d > 0 {
            var v = d
            while v > 0 {
                let take = min(v, segmentM3[0])
                drawnKJ += take * rc * (segmentC[0] - coldC)
                v -= take
                if take < segmentM3[0] { segmentM3[0] -= take }
                else if segments > 1 { remove(0) }
                else { segmentM3[0] = 0; break }      // drawn empty: the rest passes through cold
            }
            append(coldC, min(d, volumeM3))
        }
        drawKW = drawnKJ / dtS
        pool()
    }

    private mutating func remove(_ k: Int) {
        for i in k..<(segments - 1) { segmentC[i] = segmentC[i + 1]; segmentM3[i] = segmentM3[i + 1] }
        segments -= 1
        segmentC[segments] = 0; segmentM3[segments] = 0
    }

    private mutating func merge(_ k: Int) {
        let v = segmentM3[k] + segmentM3[k + 1]
        segmentC[k] = v > 0 ? (segmentC[k] * segmentM3[k] + segmentC[k + 1] * segmentM3[k + 1]) / v : segmentC[k]
        segmentM3[k] = v
        remove(k + 1)
    }

    private mutating func append(_ c: Double, _ v: Double) {
        if segmentM3[segments - 1] <= 0 { segmentC[segments - 1] = c; segmentM3[segments - 1] = v; return }
        if abs(segmentC[segments - 1] - c) < 1e-9 { segmentM3[segments - 1] += v; return }
        if segments == Self.maxSegments {
            // the two neighbours closest in temperature become one
            var k = 0, best = Double.infinity
            for i in 0..<(segments - 1) where abs(segmentC[i] - segmentC[i + 1]) < best { best = abs(segmentC[i] - segmentC[i + 1]); k = i }
            merge(k)
        }
        segmentC[segments] = c; segmentM3[segments] = v
        segments += 1
    }

    /// Buoyancy: a segment warmer than the one above mixes with it until the column is stable.
    private mutating func pool() {
        var i = 0
        while i < segments - 1 {
            if segmentC[i] < segmentC[i + 1] {
                merge(i)
                if i > 0 { i -= 1 }
            } else { i += 1 }
        }
    }
}
