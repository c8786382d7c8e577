import Foundation

/// A synthetic typical year: monthly normals, day-to-day autocorrelated anomalies and a diurnal
/// swing, calibrated to the site's heating degree days and holding a cold spell that reaches the
/// design temperature.
public struct SyntheticWeather: Sendable {
    /// Mean outdoor temperature of each calendar month, January first, °C.
    public var monthlyMeanC: [Double]
    /// Half the day's swing (max − min)/2 per month, K.
    public var diurnalHalfSwingK: [Double]
    /// Standard deviation of the daily-mean anomaly, K, and its day-to-day autocorrelation (AR(1)).
    public var anomalySigmaK: Double
    public var anomalyAutocorrelation: Double
    /// The year's heating degree days (base 18 °C) the series is calibrated to, K·day.
    public var heatingDegreeDays: Double
    /// Design outdoor temperature reached at the bottom of the cold spell, °C.
    public var designTemperatureC: Double
    /// Day of the year (1-based) of the cold spell's centre, and its length in days.
    public var coldSpellCentreDayOfYear: Int
    public var coldSpellDays: Double

    public init(monthlyMeanC: [Double], diurnalHalfSwingK: [Double], anomalySigmaK: Double = 2.8,
                anomalyAutocorrelation: Double = 0.75, heatingDegreeDays: Double, designTemperatureC: Double,
                coldSpellCentreDayOfYear: Int = 20, coldSpellDays: Double = 6) {
        self.monthlyMeanC = monthlyMeanC
        self.diurnalHalfSwingK = diurnalHalfSwingK
        self.anomalySigmaK = anomalySigmaK
        self.anomalyAutocorrelation = anomalyAutocorrelation
        self.heatingDegreeDays = heatingDegreeDays
        self.designTemperatureC = designTemperatureC
        self.coldSpellCentreDayOfYear = coldSpellCentreDayOfYear
        self.coldSpellDays = coldSpellDays
    }

    /// Daily normal temperatures of one calendar year: linear between mid-month points, then
    /// each month shifted so that its mean equals the monthly normal exactly.
    func dailyNormalsC(year: Int) -> [Double] {
        var mids: [Double] = []        // day index (0-based) of each month's middle
        var firsts: [Int] = []
        var d = 0
        for m in 1...12 {
            let n = CivilDate.daysInMonth(year: year, month: m)
            firsts.append(d)
            mids.append(Double(d) + Double(n) / 2 - 0.5)
            d += n
        }
        let days = d
        var out = [Double](repeating: 0, count: days)
        for i in 0..<days {
            let x = Double(i)
            // find surrounding mid-month points, wrapping around the year
            var k = 11
            for m in 0..<12 where mids[m] <= x { k = m }
            let (x0, v0): (Double, Double)
            let (x1, v1): (Double, Double)
            if x < mids[0] {
                x0 = mids[11] - Double(days); v0 = monthlyMeanC[11]; x1 = mids[0]; v1 = monthlyMeanC[0]
            } else if k == 11 {
                x0 = mids[11]; v0 = monthlyMeanC[11]; x1 = mids[0] + Double(days); v1 = monthlyMeanC[0]
            } else {
                x0 = mids[k]; v0 = monthlyMeanC[k]; x1 = mids[k + 1]; v1 = monthlyMeanC[k + 1]
            }
            out[i] = v0 + (v1 - v0) * (x - x0) / (x1 - x0)
        }
        for m in 0..<12 {
            let lo = firsts[m], hi = m == 11 ? days : firsts[m + 1]
            let mean = out[lo..<hi].reduce(0, +) / Double(hi - lo)
            for i in lo..<hi { out[i] += monthlyMeanC[m] - mean }
        }
        return out
    }

    /// Generates `days` days of hourly temperatures from `start`, seeded by `seed`.
    ///
    /// Calibration: a uniform offset δ is found by bisection so that the first 365 days hold
    /// `heatingDegreeDays`; for each δ the cold spell's depth is set so that its coldest hour is
    /// exactly `designTemperatureC`.
    public func generate(start: CivilDate, days: Int, seed: UInt64) -> WeatherSeries {
        let yearDays = 365
        // Generated to the end of the last calendar month touched, each day's draws taken in
        // day order and each month's anomalies centred on that month alone: a day's weather
        // does not depend on how long the run is (a 29-day January is the 365-day run's
        // January; before, the draws and the January mean moved with the length and the two
        // Januaries differed).
        var total = max(days, yearDays)
        while CivilDate(daysSinceEpoch: start.daysSinceEpoch + total).day != 1 { total += 1 }
        var rng = SeededRandom(seed: seed)
        // Calendar-aligned normals and diurnal amplitude for each simulated day.
        var normals = [Double](repeating: 0, count: total)
        var swing = [Double](repeating: 0, count: total)
        var normalCache: [Int: [Double]] = [:]
        for i in 0..<total {
            let date = CivilDate(daysSinceEpoch: start.daysSinceEpoch + i)
            if normalCache[date.year] == nil { normalCache[date.year] = dailyNormalsC(year: date.year) }
            normals[i] = normalCache[date.year]![min(date.dayOfYear - 1, normalCache[date.year]!.count - 1)]
        }
        // AR(1) anomalies of the daily mean, stationary standard deviation anomalySigmaK; each
        // day draws its diurnal swing, then its anomaly's innovation.
        var anomaly = [Double](repeating: 0, count: total)
        let phi = anomalyAutocorrelation
        let innovation = anomalySigmaK * (1 - phi * phi).squareRoot()
        var a = anomalySigmaK * rng.nextGaussian()
        for i in 0..<total {
            let month = CivilDate(daysSinceEpoch: start.daysSinceEpoch + i).month
            swing[i] = diurnalHalfSwingK[month - 1] * (0.6 + 0.8 * rng.nextUnit())
            anomaly[i] = a
            a = phi * a + innovation * rng.nextGaussian()
        }
        // Remove the sample mean of each month (of each year: a run longer than a year has its
        // own Januaries) so the anomalies do not move the normals.
        var sums: [Int: Double] = [:], counts: [Int: Double] = [:]
        func key(_ i: Int) -> Int { let d = CivilDate(daysSinceEpoch: start.daysSinceEpoch + i); return d.year * 12 + d.month }
        for i in 0..<total { sums[key(i), default: 0] += anomaly[i]; counts[key(i), default: 0] += 1 }
        for i in 0..<total { anomaly[i] -= sums[key(i)]! / counts[key(i)]! }

        // Cold spell: a sin² dip centred on the given day of the first year.
        let startDoy = start.dayOfYear
        var centreIndex = coldSpellCentreDayOfYear - startDoy
        if centreIndex < 0 { centreIndex += yearDays }
        let centreHour = Double(centreIndex) * 24 + 6    // coldest at dawn
        let halfWidthH = coldSpellDays * 12

        func base(_ h: Int, _ delta: Double) -> Double {
            let d = h / 24
            let hourOfDay = Double(h % 24)
            // diurnal: coldest about 05:00, warmest about 15:00 (a sine through those points)
            let diurnal = swing[d] * Foundation.cos(2 * Double.pi * (hourOfDay - 15) / 24)
            return normals[d] + anomaly[d] + diurnal + delta
        }
        func dip(_ h: Int) -> Double {
            let x = (Double(h) - centreHour) / halfWidthH
            if abs(x) >= 1 { return 0 }
            let c = Foundation.cos(x * Double.pi / 2)
            return c * c
        }
        let hours = total * 24
        func series(delta: Double) -> [Double] {
            var out = [Double](repeating: 0, count: hours)
            for h in 0..<hours { out[h] = base(h, delta) }
            // depth so that the coldest hour of the spell is the design temperature
            var lo = 0.0, hi = 60.0
            for _ in 0..<60 {
                let depth = (lo + hi) / 2
                var mn = Double.infinity
                let from = max(0, Int(centreHour - halfWidthH)), to = min(hours - 1, Int(centreHour + halfWidthH))
                for h in from...to { mn = min(mn, out[h] - depth * dip(h)) }
                if mn > designTemperatureC { lo = depth } else { hi = depth }
            }
            let depth = (lo + hi) / 2
            let from = max(0, Int(centreHour - halfWidthH)), to = min(hours - 1, Int(centreHour + halfWidthH))
            for h in from...to { out[h] -= depth * dip(h) }
            return out
        }
        func hdd(_ s: [Double]) -> Double {
            WeatherSeries(hourlyC: s, source: "").heatingDegreeDays(days: yearDays)
        }
        var lo = -10.0, hi = 10.0
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if hdd(series(delta: mid)) > heatingDegreeDays { lo = mid } else { hi = mid }
        }
        let out = series(delta: (lo + hi) / 2)
        return WeatherSeries(hourlyC: Array(out.prefix(days * 24 + 1)), source: "synthetic (seed \(seed))")
    }
}
