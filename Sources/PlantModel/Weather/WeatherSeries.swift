import Foundation

/// Hourly outdoor temperatures laid on simulation time, the weather the plant sees.
///
/// Value `i` is the temperature at `i` hours after the scenario's start; between two hours the
/// temperature is interpolated linearly. Past the end the series wraps (a typical year repeats).
public struct WeatherSeries: Sendable {
    /// Hourly outdoor dry-bulb temperatures, °C.
    public let hourlyC: [Double]
    /// Where the series came from, for reports ("synthetic, seed 1", a file name).
    public let source: String

    /// Hourly global horizontal irradiance, W/m² (the hour's mean), where the file gave it (EPW);
    /// nil: none (synthetic or CSV weather; a solar field then uses `SolarRadiation.syntheticGHIWPerM2`).
    public let hourlyGHI: [Double]?

    public init(hourlyC: [Double], source: String, hourlyGHI: [Double]? = nil) {
        precondition(hourlyC.count >= 2, "a weather series needs at least two hours")
        self.hourlyC = hourlyC
        self.source = source
        self.hourlyGHI = hourlyGHI
    }

    /// Global horizontal irradiance at simulation time `t`, W/m²: the file's hourly value (its
    /// mean over the hour ending at the stamp), nil without one.
    public func globalHorizontalWPerM2(at t: Double) -> Double? {
        guard let g = hourlyGHI, !g.isEmpty else { return nil }
        let i = Int((t / 3600).rounded(.down))
        return g[((i % g.count) + g.count) % g.count]
    }

    /// Outdoor temperature at simulation time `t` (seconds since start), °C.
    @inline(__always) public func temperatureC(at t: Double) -> Double {
        let h = t / 3600
        let i = Int(h.rounded(.down))
        let f = h - Double(i)
        let n = hourlyC.count
        let a = hourlyC[((i % n) + n) % n], b = hourlyC[(((i + 1) % n) + n) % n]
        return a + (b - a) * f
    }

    /// Daily mean temperatures of the first `days` days, °C (hourly values averaged).
    public func dailyMeansC(days: Int) -> [Double] {
        (0..<days).map { d in
            var s = 0.0
            for h in 0..<24 { s += hourlyC[(d * 24 + h) % hourlyC.count] }
            return s / 24
        }
    }

    /// Heating degree days over the first `days` days with the French convention (DJU):
    /// Σ max(0, base − daily mean), base 18 °C by default, K·day.
    public func heatingDegreeDays(days: Int, baseC: Double = 18) -> Double {
        dailyMeansC(days: days).reduce(0) { $0 + max(0, baseC - $1) }
    }
}
