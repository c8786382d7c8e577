import Foundation

/// Construction class of a building, which sets the time constant of its thermal mass.
public enum ConstructionClass: String, Sendable, CaseIterable {
    case light, medium, heavy
    /// Time constant of the mass node, h: EN ISO 13790 classes (very light ≈ 20 h … heavy ≈ 100 h
    /// for typical heat-loss levels); renovated buildings lie at the lower end.
    public var massTimeConstantH: Double {
        switch self { case .light: 25; case .medium: 45; case .heavy: 70 }
    }
}

/// Fixed parameters of a building's thermal model.
///
/// A two-node (2R2C) lumped model after the simplified hourly method of EN ISO 13790: an air
/// node (air, furniture, light partitions) and a mass node (the envelope and heavy structure).
/// Windows and ventilation couple the air node straight to outdoors; walls, roof and floor couple
/// the mass node to outdoors; the two nodes exchange heat through a large internal conductance.
public struct BuildingParameters: Sendable {
    /// Overall heat-loss coefficient (transmission + ventilation), kW/K.
    public var heatLossKWPerK: Double
    /// Share of `heatLossKWPerK` that goes straight from the air node to outdoors (windows,
    /// ventilation), 0–1.
    public var directShare: Double = 0.4
    /// Heat capacity of the air node, kJ/K.
    public var airCapacityKJPerK: Double
    /// Heat capacity of the mass node, kJ/K.
    public var massCapacityKJPerK: Double
    /// Air–mass conductance, kW/K.
    public var airMassKWPerK: Double
    /// Internal gains (people, appliances, lighting) while occupied and while not, kW.
    public var occupiedGainsKW: Double
    public var unoccupiedGainsKW: Double
    /// Mean solar gains through the glazing per calendar month, kW (January first).
    public var monthlySolarGainsKW: [Double]

    public init(heatLossKWPerK: Double, directShare: Double = 0.4, airCapacityKJPerK: Double,
                massCapacityKJPerK: Double, airMassKWPerK: Double, occupiedGainsKW: Double,
                unoccupiedGainsKW: Double, monthlySolarGainsKW: [Double]) {
        self.heatLossKWPerK = heatLossKWPerK; self.directShare = directShare
        self.airCapacityKJPerK = airCapacityKJPerK; self.massCapacityKJPerK = massCapacityKJPerK
        self.airMassKWPerK = airMassKWPerK; self.occupiedGainsKW = occupiedGainsKW
        self.unoccupiedGainsKW = unoccupiedGainsKW; self.monthlySolarGainsKW = monthlySolarGainsKW
    }

    /// Builds the parameters from the heat-loss coefficient, floor area and construction.
    ///
    /// Air node: the air volume (2.7 m high) at 0.34 Wh/(m³·K) times 5 for furniture and light
    /// partitions. Mass node: `heatLossKWPerK` × the class's time constant. Air–mass coupling
    /// 3.45 W/(m²·K) on 4.5 × floor area, EN ISO 13790 §12.2.2.
    public static func make(heatLossKWPerK: Double, floorAreaM2: Double, construction: ConstructionClass,
                            occupiedGainsWPerM2: Double, unoccupiedGainsWPerM2: Double,
                            solarGainsWPerM2: [Double]) -> BuildingParameters {
        let air = floorAreaM2 * 2.7 * 0.34 * 3.6 * 5
        let mass = heatLossKWPerK * construction.massTimeConstantH * 3600
        let hAm = 3.45 * 4.5 * floorAreaM2 / 1000
        return BuildingParameters(heatLossKWPerK: heatLossKWPerK, airCapacityKJPerK: air, massCapacityKJPerK: mass,
                                  airMassKWPerK: hAm, occupiedGainsKW: occupiedGainsWPerM2 * floorAreaM2 / 1000,
                                  unoccupiedGainsKW: unoccupiedGainsWPerM2 * floorAreaM2 / 1000,
                                  monthlySolarGainsKW: solarGainsWPerM2.map { $0 * floorAreaM2 / 1000 })
    }

    /// Conductance air → outdoors and mass → outdoors, kW/K, chosen so that the steady-state
    /// loss of the network equals `heatLossKWPerK`.
    var conductances: (airOut: Double, massOut: Double) {
        let ua = heatLossKWPerK
        let airOut = directShare * ua
        let series = ua - airOut          // through the mass: 1/series = 1/airMass + 1/massOut
        let massOut = 1 / (1 / series - 1 / airMassKWPerK)
        return (airOut, massOut)
    }
}

/// State of a building: air and mass temperatures.
public struct Building: Sendable {
    public let parameters: BuildingParameters
    private let hAirOut: Double, hMassOut: Double
    /// Room (air node) temperature, °C.
    public private(set) var airTemperatureC: Double
    /// Mass node temperature, °C.
    public private(set) var massTemperatureC: Double
    /// Heat lost to outdoors during the last step, kW.
    public private(set) var lossKW: Double = 0
    /// Windows opened for summer airing.
    public private(set) var windowsOpen = false
    public static let airingACH = 2.0

    public init(parameters: BuildingParameters, initialC: Double) {
        self.parameters = parameters
        let c = parameters.conductances
        hAirOut = c.airOut; hMassOut = c.massOut
        precondition(hMassOut > 0, "air–mass coupling too weak for the heat-loss coefficient")
        airTemperatureC = initialC; massTemperatureC = initialC
    }

    /// Heat stored relative to 0 °C, kJ.
    public var storedKJ: Double { parameters.airCapacityKJPerK * airTemperatureC + parameters.massCapacityKJPerK * massTemperatureC }

    /// Day length at 48.5° N by month, h (mid-month; NOAA solar calculator).
    public static let dayLengthH: [Double] = [8.7, 10.1, 11.8, 13.6, 15.1, 15.9, 15.5, 14.1, 12.4, 10.7, 9.1, 8.3]

    /// Free gains (internal by occupancy + solar by daylight) at a moment, kW. Nothing is
    /// constant around the clock: the sun shines between sunrise and sunset (a half-sine about
    /// 13:00 over the month's day length, holding the month's mean), the internal gains follow
    /// the occupancy.
    @inline(__always) public func gainsKW(occupied: Bool, month: Int, hourOfDay: Double) -> Double {
        let p = parameters
        let length = Self.dayLengthH[month - 1]
        let rise = 13 - length / 2
        let solar: Double
        if hourOfDay > rise && hourOfDay < rise + length {
            solar = p.monthlySolarGainsKW[month - 1] * (24.0 / length) * (Double.pi / 2) * sin(Double.pi * (hourOfDay - rise) / length)
        } else { solar = 0 }
        return (occupied ? p.occupiedGainsKW : p.unoccupiedGainsKW) + solar
    }

    /// Advances by `dtS` seconds with heat `heatingKW` into the air node and `gainsKW` free gains.
    ///
    /// Semi-implicit (backward Euler on both nodes, solved exactly as a 2×2 system), stable for
    /// any step, so the same model serves the 1 s simulation and the coarse calibration.
    public mutating func step(dtS: Double, outdoorC: Double, heatingKW: Double, gainsKW: Double) {
        let p = parameters
        let ca = p.airCapacityKJPerK / dtS, cm = p.massCapacityKJPerK / dtS
        let hAm = p.airMassKWPerK
        // Summer airing: occupants open windows when the room is warm and outdoors cooler (the
        // additional ventilation for cooling of EN ISO 13790 §9.3 / EN 16798-7), about
        // `airingACH` air changes an hour, until the room is back under 23 °C.
        if windowsOpen { if airTemperatureC < 23 || outdoorC > airTemperatureC - 1 { windowsOpen = false } }
        else if airTemperatureC > 24.5 && outdoorC < airTemperatureC - 2 { windowsOpen = true }
        // air's ρc 1.224 kJ/(m³·K): the air node holds 5 × the air volume's capacity
        let hAirOut = self.hAirOut + (windowsOpen ? p.airCapacityKJPerK / 5 * Self.airingACH / 3600 : 0)
        // (ca + hAo + hAm) Ta − hAm Tm = ca Ta0 + hAo To + Q
        // −hAm Ta + (cm + hAm + hMo) Tm = cm Tm0 + hMo To
        let a11 = ca + hAirOut + hAm, a12 = -hAm
        let a21 = -hAm, a22 = cm + hAm + hMassOut
        let b1 = ca * airTemperatureC + hAirOut * outdoorC + heatingKW + gainsKW
        let b2 = cm * massTemperatureC + hMassOut * outdoorC
        let det = a11 * a22 - a12 * a21
        let ta = (b1 * a22 - a12 * b2) / det
        let tm = (a11 * b2 - a21 * b1) / det
        airTemperatureC = ta; massTemperatureC = tm
        lossKW = hAirOut * (ta - outdoorC) + hMassOut * (tm - outdoorC)
    }

    /// Heating power that brings the air node exactly to `targetC` over the next step, kW
    /// (negative when the building would overshoot without heating).
    public func heatingToReach(targetC: Double, dtS: Double, outdoorC: Double, gainsKW: Double) -> Double {
        let p = parameters
        let ca = p.airCapacityKJPerK / dtS, cm = p.massCapacityKJPerK / dtS
        let hAm = p.airMassKWPerK
        let tm = (cm * massTemperatureC + hMassOut * outdoorC + hAm * targetC) / (cm + hAm + hMassOut)
        return (ca + hAirOut + hAm) * targetC - hAm * tm - ca * airTemperatureC - hAirOut * outdoorC - gainsKW
    }
}
