import Foundation
import PlantModel
import PlantControl

/// The range of a building parameter that published references give for a use of building.
public struct PlausibleRange: Sendable {
    public let low: Double, high: Double
    public let source: String
    public func contains(_ v: Double) -> Bool { v >= low - 1e-9 && v <= high + 1e-9 }
}

/// Published ranges of the parameters calibration works with, by the building's use.
///
/// Internal gains (people, appliances, lighting) while occupied and while not, W per m² of
/// floor: EN ISO 13790:2008 Annex G (Table G.8 dwellings: 2–20 W/m² by room and hour, about 5 on
/// average; Table G.9 offices: 20 W/m² in working hours, 2 otherwise) and SIA 2024:2015's
/// room-use profiles for schools, restaurants, hotels, care homes and assembly rooms. Sizing
/// margin of a feasibility study's design load over the building's real loss at design: 0–60 %
/// (recovery allowance and safety of EN 12831 practice; the oversizing surveys, e.g. Energies
/// 14 (2021) 7181, find heating systems generally oversized, more in older buildings).
public enum PublishedRanges {
    public static func occupiedGainsWPerM2(_ use: String) -> PlausibleRange {
        switch use {
        case "offices": .init(low: 10, high: 20, source: "EN ISO 13790 G.9")
        case "dwelling": .init(low: 3, high: 8, source: "EN ISO 13790 G.8")
        case "school": .init(low: 8, high: 20, source: "SIA 2024 classroom")
        case "restaurant": .init(low: 8, high: 25, source: "SIA 2024 restaurant")
        case "care": .init(low: 4, high: 10, source: "SIA 2024 care room")
        case "hotel": .init(low: 4, high: 10, source: "SIA 2024 hotel room")
        case "culture": .init(low: 6, high: 20, source: "SIA 2024 library/assembly")
        default: .init(low: 2, high: 20, source: "EN ISO 13790 G")
        }
    }
    public static func unoccupiedGainsWPerM2(_ use: String) -> PlausibleRange {
        switch use {
        case "dwelling", "care", "hotel": .init(low: 1, high: 3, source: "EN ISO 13790 G.8 (night)")
        default: .init(low: 0.5, high: 3, source: "EN ISO 13790 G.9 (out of hours)")
        }
    }
    public static let designMarginPercent = PlausibleRange(low: 0, high: 60, source: "EN 12831 practice")
}

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
    /// Space heat the calibration year gives with that coefficient, MWh.
    public let calibratedSpaceHeatMWh: Double
    /// Sizing margin the design load holds over the calibrated building's loss at design, %.
    public var designMarginPercent: Double { (designImpliedKWPerK / heatLossKWPerK - 1) * 100 }
    /// Whether the margin lies in the published range (else the study's design load and its
    /// annual heat disagree: a finding about the study).
    public var marginPlausible: Bool { PublishedRanges.designMarginPercent.contains(designMarginPercent) }

    /// The same calibration for another building alike.
    func renamed(_ id: String) -> BuildingCalibration {
        BuildingCalibration(id: id, annualTargetMWh: annualTargetMWh, dhwEstimateMWh: dhwEstimateMWh, heatLossKWPerK: heatLossKWPerK,
                            designImpliedKWPerK: designImpliedKWPerK, calibratedSpaceHeatMWh: calibratedSpaceHeatMWh)
    }
}

/// Calibrates each building's heat-loss coefficient so that, on the site's normal year (monthly
/// normals and diurnal swing at the site's degree days, no random anomalies), its programme,
/// set-points, free gains (internal by occupancy, solar by month and daylight) and heating limits
/// give the study's annual space heat. No other heat is invented: where the design load implies
/// a larger loss than the annual heat allows, the margin shows it (see `PublishedRanges`), and
/// the emitters and exchanger stay sized on the design load, as installed.
public enum Calibration {
    /// Mean temperature of a DHW tank's water, °C: charged to 60 °C at its lower sensor, to 62 °C
    /// by the daily disinfection, its top cooling by standing loss in between.
    public static let dhwTankMeanC = 60.5

    /// Estimated annual DHW heat of a building, MWh: the draws heated from cold water to the
    /// tank's mean temperature on the days the building is open, plus the tank's standing loss.
    public static func dhwEstimateMWh(_ b: BuildingSpec, calendar: SimCalendar, days: Int = 365) -> Double {
        guard b.dhw != nil else { return 0 }
        var openDays = 0
        for i in 0..<days {
            let m = calendar.moment(Double(i) * 86400 + 43200)
            if b.schedule.season?.contains(m.date) ?? true { openDays += 1 }
        }
        let drawKWh = dhwDrawKWhPerOpenDay(b) * Double(openDays)
        let lossKWh = dhwStandingKW(b) * Double(days) * 24
        return (drawKWh + lossKWh) / 1000
    }

    /// The DHW drawn on a day the building is open, heated from cold water (10 °C) to the tank's
    /// mean temperature, kWh (0 without DHW).
    public static func dhwDrawKWhPerOpenDay(_ b: BuildingSpec) -> Double {
        guard let d = b.dhw else { return 0 }
        return d.litresPerDay / 1000 * Water.densityKgPerM3 * Water.cpKJPerKgK * (dhwTankMeanC - 10) / 3600
    }

    /// The DHW tank's standing loss at its mean temperature in a 20 °C room, kW (0 without DHW).
    public static func dhwStandingKW(_ b: BuildingSpec) -> Double {
        guard let d = b.dhw else { return 0 }
        return dhwTankLossKWPerK(d.tankM3) * (dhwTankMeanC - 20)
    }

    /// Standing loss of a DHW tank, kW/K: the limit of energy class B for hot-water storage tanks,
    /// S = 8.5 + 4.25 · V^0.4 W at 45 K with V in litres (Commission Delegated Regulation (EU)
    /// No 812/2013, Annex II, table 3; measured to EN 12897): 0.98 W/K for 200 L, 1.5 W/K for
    /// 500 L, 2.5 W/K for 3,000 L. Since 2017 the ecodesign rules (Regulation (EU) No 814/2013)
    /// allow no tank of up to 2,000 L worse than class C; a substation's tank with 100 mm of
    /// foam is class B.
    public static func dhwTankLossKWPerK(_ volumeM3: Double) -> Double {
        (8.5 + 4.25 * pow(volumeM3 * 1000, 0.4)) / 45 / 1000
    }

    static func parameters(_ b: BuildingSpec, heatLossKWPerK ua: Double) -> BuildingParameters {
        // monthly mean solar gains through the glazing, W per m² of floor (mid-European site:
        // 15 % glazing to floor, g 0.6, shading 0.5, on the vertical irradiance of 48.5° N)
        let solar: [Double] = [1.0, 1.6, 2.4, 3.0, 3.4, 3.5, 3.6, 3.3, 2.7, 1.9, 1.1, 0.8]
        return BuildingParameters.make(heatLossKWPerK: ua, floorAreaM2: b.floorAreaM2, construction: b.construction,
                                       occupiedGainsWPerM2: b.occupiedGainsWPerM2, unoccupiedGainsWPerM2: b.unoccupiedGainsWPerM2,
                                       solarGainsWPerM2: solar)
    }

    /// Annual space heat with ideal control, MWh, for a coefficient `ua`.
    static func annualSpaceHeatMWh(_ b: BuildingSpec, ua: Double, weather: WeatherSeries, calendar: SimCalendar, days: Int) -> Double {
        let dt = 1800.0
        var bld = Building(parameters: parameters(b, heatLossKWPerK: ua), initialC: b.heating.comfortRoomC)
        var attenuated = weather.temperatureC(at: 0)
        var heatingOn = true
        var total = 0.0
        let steps = Int(Double(days) * 86400 / dt)
        let cutOff = b.heating.summerCutOffC, hysteresis = b.heating.summerHysteresisK
        let floor = b.emitter == .floor
        var preheating = false
        // warm-up: a first pass over January so the mass starts where the year leaves it
        for pass in 0..<2 {
            total = 0
            for k in 0..<(pass == 0 ? 31 * 48 : steps) {
                let t = Double(k) * dt
                let out = weather.temperatureC(at: t + dt / 2)
                attenuated += (out - attenuated) * min(1, dt / (b.heating.summerFilterH * 3600))
                if heatingOn && attenuated > cutOff { heatingOn = false }
                else if !heatingOn && attenuated < cutOff - hysteresis { heatingOn = true }
                let m = calendar.moment(t + dt / 2)
                let occ = b.schedule.occupancy(at: m)
                var set: Double = occ == .comfort ? b.heating.comfortRoomC : occ == .reduced ? b.heating.reducedRoomC : b.heating.frostRoomC
                if occ == .reduced {
                    // optimum start brings the comfort setpoint forward by the time the
                    // controller's heat-up rate needs (its first estimate: 1.5 K/h radiators,
                    // 0.5 K/h floor); a floor's screed keeps giving through the setback, which
                    // saves about half
                    let rate = floor ? 0.5 : 1.5
                    if let until = b.schedule.hoursUntilComfort(from: m, horizonH: floor ? 10 : 6), until > 0,
                       until <= (b.heating.comfortRoomC - bld.airTemperatureC) / rate + 0.25 || preheating {
                        set = b.heating.comfortRoomC; preheating = true
                    } else {
                        preheating = false
                        if floor { set = (b.heating.comfortRoomC + b.heating.reducedRoomC) / 2 }
                    }
                } else { preheating = false }
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
        // The annual heat fixes the heat-loss coefficient (bisection: the year's heat grows with it).
        var lo = 0.02 * implied, hi = 3 * implied
        let fHi = annualSpaceHeatMWh(b, ua: hi, weather: normals, calendar: calendar, days: 365)
        guard fHi >= target else {
            throw CalibrationError(building: b.id, message: "even a heat-loss coefficient of \(String(format: "%.2f", hi)) kW/K gives only \(String(format: "%.1f", fHi)) MWh of space heat against \(String(format: "%.1f", target)) MWh: check its design load, programme and gains")
        }
        let fLo = annualSpaceHeatMWh(b, ua: lo, weather: normals, calendar: calendar, days: 365)
        guard fLo <= target else {
            throw CalibrationError(building: b.id, message: "even a heat-loss coefficient of \(String(format: "%.3f", lo)) kW/K gives \(String(format: "%.1f", fLo)) MWh of space heat against \(String(format: "%.1f", target)) MWh: its gains or set-points are too high for its annual heat")
        }
        var got = fHi
        for _ in 0..<40 {
            let mid = (lo + hi) / 2
            got = annualSpaceHeatMWh(b, ua: mid, weather: normals, calendar: calendar, days: 365)
            if got < target { lo = mid } else { hi = mid }
            if abs(got - target) < 0.001 * target { break }
        }
        return BuildingCalibration(id: b.id, annualTargetMWh: b.annualHeatMWh, dhwEstimateMWh: dhw, heatLossKWPerK: (lo + hi) / 2,
                                   designImpliedKWPerK: implied, calibratedSpaceHeatMWh: got)
    }
}

public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let building: String, message: String
    public var description: String { "building '\(building)' cannot be calibrated: \(message)" }
}
