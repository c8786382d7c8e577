import Foundation

/// The sun on a tilted plane: the solar geometry and the irradiance models a solar field needs.
public enum SolarRadiation {
    /// Solar declination on day `n` of the year, degrees (Cooper 1969: 23.45° sin(360 (284 + n) / 365)).
    public static func declinationDeg(dayOfYear n: Int) -> Double {
        23.45 * sin(2 * Double.pi * Double(284 + n) / 365)
    }

    /// Cosine of the solar zenith angle at latitude `lat` (degrees) on day `n` at solar time
    /// `solarHour` (12 = solar noon); negative at night.
    public static func cosZenith(latitudeDeg lat: Double, dayOfYear n: Int, solarHour: Double) -> Double {
        let d = declinationDeg(dayOfYear: n) * Double.pi / 180, phi = lat * Double.pi / 180
        let w = (solarHour - 12) * 15 * Double.pi / 180
        return sin(phi) * sin(d) + cos(phi) * cos(d) * cos(w)
    }

    /// Cosine of the angle of incidence on a plane tilted `tiltDeg` facing due south (Duffie &
    /// Beckman, eq. 1.6.7 with γ = 0: the plane is a horizontal one at latitude φ − β).
    public static func cosIncidenceSouth(latitudeDeg lat: Double, tiltDeg: Double, dayOfYear n: Int, solarHour: Double) -> Double {
        cosZenith(latitudeDeg: lat - tiltDeg, dayOfYear: n, solarHour: solarHour)
    }

    /// Extraterrestrial irradiance on a horizontal plane, W/m² (solar constant 1,367 W/m² with
    /// the orbit's eccentricity, Duffie & Beckman eq. 1.4.1).
    public static func extraterrestrialHorizontalWPerM2(dayOfYear n: Int, cosZenith cz: Double) -> Double {
        max(0, 1367 * (1 + 0.033 * cos(2 * Double.pi * Double(n) / 365)) * cz)
    }

    /// Diffuse fraction of the global horizontal irradiance from the clearness index kt (Erbs,
    /// Klein and Duffie 1982).
    public static func erbsDiffuseFraction(kt: Double) -> Double {
        if kt <= 0.22 { return 1 - 0.09 * kt }
        if kt <= 0.80 { return 0.9511 - 0.1604 * kt + 4.388 * kt * kt - 16.638 * kt * kt * kt + 12.336 * kt * kt * kt * kt }
        return 0.165
    }

    /// Irradiance on a south-facing plane tilted `tiltDeg`, W/m², from the global horizontal
    /// `ghi`: beam and diffuse split by Erbs, the isotropic sky of Liu and Jordan, ground
    /// reflectance `albedo` (Duffie & Beckman eq. 2.15.1).
    public static func tiltedSouthWPerM2(ghi: Double, latitudeDeg lat: Double, tiltDeg: Double, dayOfYear n: Int, solarHour: Double,
                                   albedo: Double = 0.2) -> Double {
        let cz = cosZenith(latitudeDeg: lat, dayOfYear: n, solarHour: solarHour)
        guard ghi > 0, cz > 0.02 else { return 0 }
        let g0 = extraterrestrialHorizontalWPerM2(dayOfYear: n, cosZenith: cz)
        let kt = g0 > 0 ? min(1, ghi / g0) : 0
        let diffuse = ghi * erbsDiffuseFraction(kt: kt), beam = ghi - diffuse
        let ci = max(0, cosIncidenceSouth(latitudeDeg: lat, tiltDeg: tiltDeg, dayOfYear: n, solarHour: solarHour))
        let b = tiltDeg * Double.pi / 180
        return beam * ci / cz + diffuse * (1 + cos(b)) / 2 + ghi * albedo * (1 - cos(b)) / 2
    }

    /// A synthetic global horizontal irradiance, W/m²: the clear sky of Haurwitz (1945),
    /// 1098 cos z · exp(−0.057 / cos z), scaled by `clearSkyShare` (the month's mean ratio of
    /// measured to clear-sky irradiation).
    public static func syntheticGHIWPerM2(latitudeDeg lat: Double, dayOfYear n: Int, solarHour: Double, clearSkyShare: Double) -> Double {
        let cz = cosZenith(latitudeDeg: lat, dayOfYear: n, solarHour: solarHour)
        guard cz > 0.02 else { return 0 }
        return clearSkyShare * 1098 * cz * exp(-0.057 / cz)
    }
}

/// A field of solar thermal collectors charging the bottom of the plant's buffer through an
/// exchanger at its bottom, under a differential-temperature controller.
///
/// Collector efficiency as EN ISO 9806 states it on the aperture: η = η0 − a1 (Tm − Ta)/G −
/// a2 (Tm − Ta)²/G, with Tm the fluid's mean temperature (here the field's one temperature).
/// The collectors, their fluid and the field's pipes hold `capacityKJPerM2K` per m²: the field
/// warms in the morning before it gives any heat, and cools at night. The loop's pump runs when
/// the collectors are `onDeltaK` over the buffer's bottom and stops under `offDeltaK` (the
/// hysteresis of differential controllers such as RESOL DeltaSol or Sorel LTDC: 6 K on, 2 K
/// off), and stops when the bottom reaches `maxStoreC` (the store's protection). The field then
/// stagnates: over 120 °C its glycol mix boils out into the expansion vessel and the pump is
/// locked until the collectors are back under 100 °C (the collector emergency shutdown of those
/// controllers); dry, the collectors rise to their stagnation temperature, where absorption and
/// losses balance. The glycol mix (40 % propylene glycol, −21 °C) needs no frost-protection run.
public struct SolarField: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case flatPlate, evacuatedTube }
    public let kind: Kind
    public let areaM2: Double
    public let eta0: Double, a1: Double, a2: Double
    public let tiltDeg: Double, latitudeDeg: Double
    /// Heat capacity of collectors, fluid and field pipes per m² of aperture, kJ/(m²·K).
    public let capacityKJPerM2K: Double
    /// Loop flow per m², kg/s (low flow: 15 kg/(m²·h)).
    public let flowKgPerSM2 = 15.0 / 3600
    public let onDeltaK = 6.0, offDeltaK = 2.0
    public let maxStoreC: Double
    /// The bottom exchanger: the glycol comes back this far over the store's bottom at 800 W/m², K.
    public static let exchangerApproachK = 5.0
    /// The glycol mix's heat capacity, kJ/(kg·K) (40 % propylene glycol).
    public static let fluidCpKJPerKgK = 3.8

    public private(set) var collectorC: Double
    public private(set) var pumpOn = false
    public private(set) var stagnating = false
    /// Fault: the loop's pump has failed (it does not run whatever the controller asks); and
    /// whether the controller asks for it now.
    public var pumpFailed = false
    public private(set) var pumpWanted = false
    /// Irradiance on the collectors' plane, W/m²; heat the collectors gained (absorbed − lost)
    /// and passed to the buffer, kW; collector efficiency of the last step.
    public private(set) var irradianceWPerM2 = 0.0, collectorKW = 0.0, toLoopKW = 0.0, efficiency = 0.0
    /// Counters since the start: heat to the buffer, irradiation on the aperture, pump electricity,
    /// kWh; pump and stagnation hours.
    public private(set) var toLoopKWh = 0.0, irradiationKWh = 0.0, electricityKWh = 0.0, pumpHours = 0.0, stagnationHours = 0.0
    /// Electric power of the loop's pump, kW (about 2 W per m² of a large field's aperture).
    public var pumpKW: Double { pumpOn ? 0.002 * areaM2 : 0 }

    public init(kind: Kind, areaM2: Double, tiltDeg: Double, latitudeDeg: Double, maxStoreC: Double = 95, initialC: Double) {
        self.kind = kind; self.areaM2 = areaM2; self.tiltDeg = tiltDeg; self.latitudeDeg = latitudeDeg; self.maxStoreC = maxStoreC
        switch kind {
        // typical Solar Keymark results on the aperture: large flat plates; heat-pipe evacuated tubes
        case .flatPlate: eta0 = 0.80; a1 = 3.5; a2 = 0.015; capacityKJPerM2K = 7
        case .evacuatedTube: eta0 = 0.65; a1 = 1.2; a2 = 0.008; capacityKJPerM2K = 9
        }
        collectorC = initialC
    }

    /// EN ISO 9806's efficiency at irradiance `g` (W/m²) and `dT` = Tm − Ta (K); 0 without sun.
    public func efficiency(irradianceWPerM2 g: Double, deltaK dT: Double) -> Double {
        guard g > 1 else { return 0 }
        return eta0 - a1 * dT / g - a2 * dT * dT / g
    }

    /// Advances by `dtS` under the plane's irradiance `g` (W/m²), outdoor `ambientC`, with the
    /// buffer's bottom at `storeC`; `toLoopKW` is then the heat the bottom exchanger gives it.
    public mutating func step(dtS: Double, irradianceWPerM2 g: Double, ambientC: Double, storeC: Double) {
        irradianceWPerM2 = g
        if collectorC > 120 { stagnating = true } else if stagnating && collectorC < 100 { stagnating = false }
        let d = collectorC - storeC
        if pumpWanted { if d < offDeltaK || storeC >= maxStoreC || stagnating { pumpWanted = false } }
        else if d > onDeltaK && storeC < maxStoreC - 2 && !stagnating { pumpWanted = true }
        pumpOn = pumpWanted && !pumpFailed
        let cap = capacityKJPerM2K * areaM2
        let dT = collectorC - ambientC
        // absorbed less lost at the field's temperature, kW (the losses also at night)
        let gain = areaM2 * (eta0 * max(0, g) - a1 * dT - a2 * dT * abs(dT)) / 1000
        efficiency = g > 1 ? max(0, gain * 1000 / (areaM2 * g)) : 0
        var q = 0.0
        if pumpOn {
            // the glycol comes back from the exchanger over the store's bottom; implicit in the
            // field's temperature (stable at any step)
            let m = flowKgPerSM2 * areaM2 * Self.fluidCpKJPerKgK
            let inletC = storeC + Self.exchangerApproachK * min(1, max(0, g) / 800)
            let t = (cap / dtS * collectorC + gain + m * inletC) / (cap / dtS + m)
            q = m * (t - inletC)
            collectorC = t
        } else {
            collectorC += gain * dtS / cap
        }
        collectorKW = gain
        toLoopKW = q
        let h = dtS / 3600
        toLoopKWh += q * h; irradiationKWh += max(0, g) * areaM2 / 1000 * h; electricityKWh += pumpKW * h
        if pumpOn { pumpHours += h }
        if stagnating { stagnationHours += h }
    }

    public mutating func restoreCounters(toLoopKWh: Double, irradiationKWh: Double, electricityKWh: Double, pumpHours: Double, stagnationHours: Double) {
        self.toLoopKWh = toLoopKWh; self.irradiationKWh = irradiationKWh; self.electricityKWh = electricityKWh
        self.pumpHours = pumpHours; self.stagnationHours = stagnationHours
    }
}
