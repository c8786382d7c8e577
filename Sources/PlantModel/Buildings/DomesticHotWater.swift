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

/// A DHW storage tank heated from the network through a coil (one well-mixed node).
public struct DHWTank: Sendable {
    /// Volume, m³.
    public let volumeM3: Double
    /// Standing-loss coefficient, kW/K.
    public let lossKWPerK: Double
    /// Conductance of the charging coil at nominal primary flow, kW/K.
    public let coilUAKWPerK: Double
    /// Tank temperature, °C.
    public private(set) var temperatureC: Double
    /// Heat drawn with the hot water in the last step, kW; standing loss, kW.
    public private(set) var drawKW: Double = 0
    public private(set) var lossKW: Double = 0

    public init(volumeM3: Double, lossKWPerK: Double, coilUAKWPerK: Double, initialC: Double) {
        self.volumeM3 = volumeM3; self.lossKWPerK = lossKWPerK; self.coilUAKWPerK = coilUAKWPerK
        temperatureC = initialC
    }

    var capacityKJPerK: Double { volumeM3 * Water.densityKgPerM3 * Water.cpKJPerKgK }
    /// Heat stored relative to 0 °C, kJ.
    public var storedKJ: Double { capacityKJPerK * temperatureC }

    /// Heat the coil passes from primary water at `primaryInC` and `primaryKgPerS`, kW,
    /// by ε-NTU with the tank as the infinite-capacity side (ε = 1 − e^(−UA/C)).
    @inline(__always) public func coilHeatKW(primaryInC: Double, primaryKgPerS: Double) -> Double {
        guard primaryKgPerS > 1e-9, primaryInC > temperatureC else { return 0 }
        let c = primaryKgPerS * Water.cpKJPerKgK
        return (1 - exp(-coilUAKWPerK / c)) * c * (primaryInC - temperatureC)
    }

    /// Advances by `dtS` with coil heat `heatKW`, cold water replacing `drawM3PerS` of hot water.
    public mutating func step(dtS: Double, heatKW: Double, drawM3PerS: Double, coldC: Double, ambientC: Double) {
        let c = capacityKJPerK
        let drawCap = drawM3PerS * Water.densityKgPerM3 * Water.cpKJPerKgK     // kW/K
        // implicit in the tank temperature: stable whatever the draw
        let t = (c / dtS * temperatureC + heatKW + drawCap * coldC + lossKWPerK * ambientC) / (c / dtS + drawCap + lossKWPerK)
        drawKW = drawCap * (t - coldC)
        lossKW = lossKWPerK * (t - ambientC)
        temperatureC = t
    }
}
