import Foundation
import PlantModel
import PlantControl

/// How a building was calibrated to the study's annual heat.
public struct BuildingCalibration: Sendable {
    public let id: String
    /// Annual heat of the study, MWh; of it, the DHW estimate, MWh.
    public let annualTargetMWh: Double
    public let dhwEstimateMWh: Double
    /// Calibrated heat-loss coefficient, kW/K, and what the design load implies (design load /
    /// design temperature difference), kW/K.
    public let heatLossKWPerK: Double
    public let designImpliedKWPerK: Double
    /// Constant free heat the calibration added, kW.
    public let freeHeatKW: Double
    /// Space heat the calibration year gives with that coefficient, MWh.
    public let calibratedSpaceHeatMWh: Double
    /// Sizing margin the design load holds over the calibrated building's loss at design, %.
    public var designMarginPercent: Double { (designImpliedKWPerK / heatLossKWPerK - 1) * 100 }
}

/// Calibrates each building's heat-loss coefficient so that, on the site's normal year (monthly
/// normals and diurnal swing at the site's degree days, no random anomalies), its programme,
/// set-points, free gains and heating limits give the study's annual space heat.
///
/// The design load is not the building's loss at design conditions: it holds the sizing margin
/// (recovery after setback, safety), so the annual figure, not the design load, fixes the
/// coefficient; the emitters and exchanger stay sized on the design load, as installed.
public enum Calibration {
    /// Estimated annual DHW heat of a building, MWh: the draws heated from cold water to the
    /// tank's mean temperature on the days the building is open, plus the tank's standing loss.
    public static func dhwEstimateMWh(_ b: BuildingSpec, calendar: SimCalendar, days: Int = 365) -> Double {
        guard let d = b.dhw else { return 0 }
        var openDays = 0
        for i in 0..<days {
            let m = calendar.moment(Double(i) * 86400 + 43200)
            if b.schedule.season?.contains(m.date) ?? true { openDays += 1 }
        }
        let drawKWh = d.litresPerDay / 1000 * Water.densityKgPerM3 * Water.cpKJPerKgK * (55 - 10) / 3600 * Double(openDays)
        let lossKWh = dhwTankLossKWPerK(d.tankM3) * (55 - 20) * Double(days) * 24
        return (drawKWh + lossKWh) / 1000
    }

    /// Standing loss of a DHW tank, kW/K (about 2.5 kWh a day at 45 K for 500 L, EN 12897 class).
    public static func dhwTankLossKWPerK(_ volumeM3: Double) -> Double { 0.0012 + 0.0046 * volumeM3 }

    /// Sizing margin assumed in a design load over the building's loss at design conditions.
    public static let designMargin = 0.25

    static func parameters(_ b: BuildingSpec, heatLossKWPerK ua: Double, freeHeatKW: Double = 0) -> BuildingParameters {
        // monthly mean solar gains through the glazing, W per m² of floor (mid-European site)
        let solar: [Double] = [1.0, 1.6, 2.4, 3.0, 3.4, 3.5, 3.6, 3.3, 2.7, 1.9, 1.1, 0.8]
        var p = BuildingParameters.make(heatLossKWPerK: ua, floorAreaM2: b.floorAreaM2, construction: b.construction,
                                        occupiedGainsWPerM2: b.occupiedGainsWPerM2, unoccupiedGainsWPerM2: b.unoccupiedGainsWPerM2,
                                        solarGainsWPerM2: solar)
        p.calibratedFreeHeatKW = freeHeatKW
        return p
    }

    /// Annual space heat with ideal control, MWh, for a coefficient `ua`.
    static func annualSpaceHeatMWh(_ b: BuildingSpec, ua: Double, freeHeatKW: Double = 0, weather: WeatherSeries, calendar: SimCalendar, days: Int) -> Double {
        let dt = 1800.0
        var bld = Building(parameters: parameters(b, heatLossKWPerK: ua, freeHeatKW: freeHeatKW), initialC: b.heating.comfortRoomC)
        var attenuated = weather.temperatureC(at: 0)
        var heatingOn = true
        var total = 0.0
        let steps = Int(Double(days) * 86400 / dt)
        // warm-up: a first pass over January so the mass starts where the year leaves it
        for pass in 0..<2 {
            total = 0
            for k in 0..<(pass == 0 ? 31 * 48 : steps) {
                let t = Double(k) * dt
                let out = weather.temperatureC(at: t + dt / 2)
                attenuated += (out - attenuated) * min(1, dt / (12 * 3600))
                if heatingOn && attenuated > b.heating.summerCutOffC + 0.5 { heatingOn = false }
                else if !heatingOn && attenuated < b.heating.summerCutOffC - 0.5 { heatingOn = true }
                let m = calendar.moment(t + dt / 2)
                let occ = b.schedule.occupancy(at: m)
                let set: Double = occ == .comfort ? b.heating.comfortRoomC : occ == .reduced ? b.heating.reducedRoomC : b.heating.frostRoomC
                let gains = bld.gainsKW(occupied: occ == .comfort, month: m.date.month, hourOfDay: m.hourOfDay)
                var q = 0.0
                if heatingOn || occ == .closed {
                    let qmax = b.designLoadKW * min(1.2, max(0.25, (22 - out) / (b.heating.comfortRoomC + 2 - (-15))))
                    q = min(qmax, max(0, bld.heatingToReach(targetC: set, dtS: dt, outdoorC: out, gainsKW: gains)))
                }
                bld.step(dtS: dt, outdoorC: out, heatingKW: q, gainsKW: gains)
                total += q * dt / 3600
            }
        }
        return total / 1000
    }

    public static func calibrate(_ b: BuildingSpec, normals: WeatherSeries, calendar: SimCalendar, designOutdoorC: Double) throws -> BuildingCalibration {
        let dhw = dhwEstimateMWh(b, calendar: calendar)
        let target = b.annualHeatMWh - dhw
        let implied = b.designLoadKW / (b.heating.comfortRoomC - designOutdoorC)
        guard target > 0.05 * b.annualHeatMWh else {
            throw CalibrationError(building: b.id, message: "its DHW alone (\(String(format: "%.1f", dhw)) MWh) takes up its annual heat \(b.annualHeatMWh) MWh")
        }
        // The design load fixes the heat-loss coefficient (less the usual sizing margin). If the
        // annual figure is less than that building would use, a constant free heat makes up the
        // difference; if it is more, the coefficient is raised instead.
        let uaDesign = implied / (1 + designMargin)
        let atDesign = annualSpaceHeatMWh(b, ua: uaDesign, weather: normals, calendar: calendar, days: 365)
        var ua = uaDesign, free = 0.0, got = atDesign
        if atDesign >= target {
            var lo = 0.0, hi = uaDesign * 30
            for _ in 0..<40 {
                let mid = (lo + hi) / 2
                got = annualSpaceHeatMWh(b, ua: uaDesign, freeHeatKW: mid, weather: normals, calendar: calendar, days: 365)
                if got > target { lo = mid } else { hi = mid }
                if abs(got - target) < 0.001 * target { break }
            }
            free = (lo + hi) / 2
        } else {
            var lo = uaDesign, hi = 3 * implied
            let fHi = annualSpaceHeatMWh(b, ua: hi, weather: normals, calendar: calendar, days: 365)
            guard fHi >= target else {
                throw CalibrationError(building: b.id, message: "even a heat-loss coefficient of \(String(format: "%.2f", hi)) kW/K gives only \(String(format: "%.1f", fHi)) MWh of space heat against \(String(format: "%.1f", target)) MWh: check its design load, programme and gains")
            }
            for _ in 0..<40 {
                let mid = (lo + hi) / 2
                got = annualSpaceHeatMWh(b, ua: mid, weather: normals, calendar: calendar, days: 365)
                if got < target { lo = mid } else { hi = mid }
                if abs(got - target) < 0.001 * target { break }
            }
            ua = (lo + hi) / 2
        }
        return BuildingCalibration(id: b.id, annualTargetMWh: b.annualHeatMWh, dhwEstimateMWh: dhw, heatLossKWPerK: ua,
                                   designImpliedKWPerK: implied, freeHeatKW: free, calibratedSpaceHeatMWh: got)
    }
}

public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let building: String, message: String
    public var description: String { "building '\(building)' cannot be calibrated: \(message)" }
}
