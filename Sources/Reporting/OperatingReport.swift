import SimulationCore
import Economics
import Foundation

private typealias P = PlantControllerPoints.Name
private typealias B = WoodChipBoilerPoints.Name
import Historian
import PlantModel

public struct ReportError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// What `chaufferie report` shows, read from a historian session only: energy balance,
/// logistics, the operator's account and business plan, the study-vs-measured table, and the
/// series its charts draw.
public struct OperatingReport {
    public struct Customer { public let id: String, name: String, soldMWh: Double, studyMWh: Double, subscribedKW: Double, monthlyMWh: [Double] }
    public struct Boiler { public let id: String, nominalKW: Double, runHours: Double, starts: Double, heatMWh: Double, fuelMWh: Double, ashKg: Double, runs: [(Int64, Int64)] }
    public struct Comparison { public let key: String, label: String, unit: String, study: Double, measured: Double?, note: String
        public var deviationPercent: Double? { measured.map { study != 0 ? ($0 - study) / abs(study) * 100 : 0 } }
        public var flagged: Bool { deviationPercent.map { abs($0) > 10 } ?? false }
    }

    public let db: String
    public let session: HistorianReader.Session
    public let t0: Int64, t1: Int64
    public let customers: [Customer]
    public let boilers: [Boiler]
    public let measured: MeasuredOperation
    public let account: OperatingAccount
    /// Energy balance over the period, MWh.
    public let combustionMWh: Double, boilerOutputMWh: Double, networkOutputMWh: Double, meteredMWh: Double, deliveredMWh: Double
    public let networkLossMWh: Double, bufferLossMWh: Double, shellLossMWh: Double, storedChangeMWh: Double
    /// Heat spent warming make-up water (leaks), MWh; 0 for a file recorded before it was counted.
    public let makeUpHeatMWh: Double
    public let woodFuelCounterMWh: Double
    /// Hourly heat sent into the network, kW (mean of each hour from the counter), and the months' labels.
    public let hourlyNetworkKW: [Double]
    public let hourlyDeliveredKW: [Double]
    /// Hourly heat the boilers passed to the plant, all of them and the gas boilers' part, kW
    /// (sessions recorded before these counters were hourly: spread evenly over each day).
    public let hourlyProducedKW: [Double], hourlyGasKW: [Double]
    /// Heat the gas boilers passed to the plant over the period, MWh (0 without gas boilers).
    public let gasOutputMWh: Double
    /// Heat pumps (zeros and empty without): hourly heat they passed to the plant, kW; over the
    /// period their heat to the plant, condensers' heat, source heat and electricity, MWh.
    public let hourlyHeatPumpKW: [Double]
    public let heatPumpOutputMWh: Double, heatPumpHeatMWh: Double, heatPumpSourceMWh: Double, heatPumpElectricityMWh: Double
    /// Solar fields (zeros and empty without): hourly heat to the buffer, kW; over the period, MWh.
    public let hourlySolarKW: [Double]
    public let solarMWh: Double
    /// Recovered heat (zeros and empty without): hourly heat taken, kW; over the period, MWh.
    public let hourlyRecoveredKW: [Double]
    public let recoveredMWh: Double
    public let monthLabels: [String]
    public let siloLevel: [(t: Int64, v: Double)]
    public let deliveries: [HistorianEvent]
    public let outdoorDaily: [Double], supplyDaily: [Double]
    /// Heating degree days (base 18 °C) of the period, K·day.
    public let degreeDays: Double
    /// Whether the historian held the buildings' DHW figures (sessions recorded before them did
    /// not: a short period's heat is then carried to a year by degree days as a whole).
    public private(set) var dhwEstimated = false
    public let comparisons: [Comparison]
    public let lostSamples: Int64

    /// Reads session `sessionID` (nil: the last) of the historian at `db`, over its whole span or
    /// over its first `days` whole days.
    public init(db: String, sessionID: Int64?, days firstDays: Int? = nil) throws {
        let h: HistorianReader
        var session: HistorianReader.Session?
        do { h = try HistorianReader(path: db); session = try h.session(sessionID) } catch { throw ReportError(message: "\(error)") }
        self.session = session!
        self.db = db
        let s = session!
        func fact(_ k: String) throws -> Double {
            guard let v = s.facts[k] else {
                throw ReportError(message: "\(db): session \(s.id) lacks '\(k)': give it in the scenario (\(s.scenarioFile)) under \(k.split(separator: ".").first ?? "")")
            }
            return v
        }
        guard let first = try h.firstRecordedTime(session: s.id) else { throw ReportError(message: "\(db): session \(s.id) recorded nothing") }
        let t0 = first
        self.t0 = t0
        // the end: the last hourly counter committed (a session killed mid-way ends there)
        guard let fl = try h.firstAndLast(session: s.id, tag: P.recordPrefix + P.networkOutput) else {
            throw ReportError(message: "\(db): session \(s.id) has no \(P.recordPrefix + P.networkOutput)")
        }
        var t1 = fl.last.t
        guard t1 > t0 else { throw ReportError(message: "\(db): session \(s.id) spans less than an hour of simulated time: nothing to report") }
        if let d = firstDays {
            let span = Double(t1 - t0) / 86400
            guard d >= 1, Int64(d) * 86400 <= t1 - t0 else {
                throw ReportError(message: "--days \(d): session \(s.id) of \(db) spans \(String(format: "%.2f", span)) days (give 1 to \(Int(span)))")
            }
            t1 = t0 + Int64(d) * 86400
        }
        self.t1 = t1
        let days = Double(t1 - t0) / 86400
        lostSamples = s.lostSamples

        func diff(_ tag: String) throws -> Double {
            guard let a = try h.value(session: s.id, tag: tag, at: t0), let b = try h.value(session: s.id, tag: tag, at: t1) else { return 0 }
            return b - a
        }
        func hourly(_ tag: String) throws -> [Double] {
            let n = Int((t1 - t0) / 3600)
            var out = [Double](repeating: 0, count: n)
            var prev = try h.value(session: s.id, tag: tag, at: t0) ?? 0
            var prevT = t0
            for p in try h.series(session: s.id, tag: tag, from: t0 + 1, to: t1) {
                // a counter is stored at the hour when it changed: spread the increase over the hours since
                let hours = max(1, Int((p.t - prevT + 3599) / 3600))
                let per = (p.v - prev) / Double(hours)
                for k in 0..<hours { let i = Int((p.t - t0) / 3600) - 1 - k; if i >= 0 && i < n { out[i] += per } }
                prev = p.v; prevT = p.t
            }
            return out
        }

        // customers
        let ids = s.labels.keys.filter { $0.hasPrefix("building.") && $0.hasSuffix(".name") }
            .map { String($0.dropFirst("building.".count).dropLast(".name".count)) }.sorted()
        func monthIndex(_ t: Int64) -> Int {
            let iso = CivilTime.iso(startDate: s.startDate, seconds: t)
            let y = Int(iso.prefix(4)) ?? 0, m = Int(iso.dropFirst(5).prefix(2)) ?? 1
            let y0 = Int(CivilTime.iso(startDate: s.startDate, seconds: t0).prefix(4)) ?? 0
            let m0 = Int(CivilTime.iso(startDate: s.startDate, seconds: t0).dropFirst(5).prefix(2)) ?? 1
            return (y - y0) * 12 + m - m0
        }
        let months = monthIndex(t1 - 1) + 1
        monthLabels = (0..<months).map { i in
            let iso0 = CivilTime.iso(startDate: s.startDate, seconds: t0)
            let m0 = (Int(iso0.dropFirst(5).prefix(2)) ?? 1) - 1 + i
            return ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m0 % 12]
        }
        var cs: [Customer] = []
        var deliveredHourly = [Double](repeating: 0, count: Int((t1 - t0) / 3600))
        for id in ids {
            let tag = HeatMeterPoints.recordPrefix(id) + HeatMeterPoints.energy
            let sold = try diff(tag) / 1000
            let hr = try hourly(tag)
            var monthly = [Double](repeating: 0, count: months)
            for (i, e) in hr.enumerated() {
                monthly[min(months - 1, monthIndex(t0 + Int64(i) * 3600))] += e / 1000
                deliveredHourly[i] += e
            }
            cs.append(Customer(id: id, name: s.labels["building.\(id).name"] ?? id, soldMWh: sold,
                               studyMWh: s.facts["building.\(id).study_annual_mwh"] ?? 0,
                               subscribedKW: try fact("building.\(id).design_load_kw"), monthlyMWh: monthly))
        }
        customers = cs
        hourlyDeliveredKW = deliveredHourly

        // boilers
        let boilerIDs = s.facts.keys.filter { $0.hasPrefix("boiler.") && $0.hasSuffix(".nominal_kw") }
            .map { String($0.dropFirst("boiler.".count).dropLast(".nominal_kw".count)) }.sorted()
        var bs: [Boiler] = []
        for id in boilerIDs {
            var runs: [(Int64, Int64)] = []
            var on: Int64?
            for p in try h.series(session: s.id, tag: B.recordPrefix(id) + B.state, from: t0, to: t1) {
                // states 1–3: ignition, running, ember keeping (a flame in the furnace)
                let firing = (1...3).contains(Int(p.v))
                if firing && on == nil { on = p.t }
                if !firing, let a = on { runs.append((a, p.t)); on = nil }
            }
            if let a = on { runs.append((a, t1)) }
            bs.append(Boiler(id: id, nominalKW: try fact("boiler.\(id).nominal_kw"), runHours: try diff(B.recordPrefix(id) + B.runHours),
                             starts: try diff(B.recordPrefix(id) + B.starts), heatMWh: try diff(B.recordPrefix(id) + B.heat) / 1000,
                             fuelMWh: try diff(B.recordPrefix(id) + B.fuelEnergy) / 1000, ashKg: try diff(B.recordPrefix(id) + B.ash), runs: runs))
        }
        boilers = bs

        combustionMWh = try diff(P.recordPrefix + P.combustion) / 1000
        boilerOutputMWh = try diff(P.recordPrefix + P.produced) / 1000
        networkOutputMWh = try diff(P.recordPrefix + P.networkOutput) / 1000
        networkLossMWh = try diff(P.recordPrefix + P.networkLoss) / 1000
        bufferLossMWh = try diff(P.recordPrefix + P.bufferLoss) / 1000
        shellLossMWh = try diff(P.recordPrefix + P.shellLoss) / 1000
        makeUpHeatMWh = try diff(P.recordPrefix + P.makeUpHeat) / 1000   // no such samples (an older file): 0
        storedChangeMWh = try diff(P.recordPrefix + P.storedHeat) / 1000
        deliveredMWh = try diff(P.recordPrefix + P.delivered) / 1000
        woodFuelCounterMWh = try diff(P.recordPrefix + P.woodFuel) / 1000
        meteredMWh = cs.reduce(0) { $0 + $1.soldMWh }
        hourlyNetworkKW = try hourly(P.recordPrefix + P.networkOutput)
        hourlyProducedKW = try hourly(P.recordPrefix + P.produced)
        hourlyGasKW = try hourly(P.recordPrefix + P.gasProduced)
        gasOutputMWh = try diff(P.recordPrefix + P.gasProduced) / 1000
        let pumps = s.facts["plant.heat_pump_installed_kw"] != nil
        hourlyHeatPumpKW = pumps ? try hourly(P.recordPrefix + P.heatPumpProduced) : []
        heatPumpOutputMWh = pumps ? try diff(P.recordPrefix + P.heatPumpProduced) / 1000 : 0
        heatPumpHeatMWh = pumps ? try diff(P.recordPrefix + P.heatPumpHeat) / 1000 : 0
        heatPumpSourceMWh = pumps ? try diff(P.recordPrefix + P.heatPumpSource) / 1000 : 0
        heatPumpElectricityMWh = pumps ? try diff(P.recordPrefix + P.heatPumpElectricity) / 1000 : 0
        let solar = s.facts["plant.solar_area_m2"] != nil
        hourlySolarKW = solar ? try hourly(P.recordPrefix + P.solarProduced) : []
        solarMWh = solar ? try diff(P.recordPrefix + P.solarProduced) / 1000 : 0
        let recoveredIDs = s.facts.keys.filter { $0.hasPrefix("recovered.") && $0.hasSuffix(".price_eur_per_mwh") }
            .map { String($0.dropFirst("recovered.".count).dropLast(".price_eur_per_mwh".count)) }.sorted()
        hourlyRecoveredKW = recoveredIDs.isEmpty ? [] : try hourly(P.recordPrefix + P.recoveredProduced)
        recoveredMWh = recoveredIDs.isEmpty ? 0 : try diff(P.recordPrefix + P.recoveredProduced) / 1000
        var recoveredCost = 0.0, qualifying = 0.0
        for id in recoveredIDs {
            let mwh = try diff(RecoveredHeatPoints.Name.recordPrefix(id) + RecoveredHeatPoints.Name.heatEnergy) / 1000
            recoveredCost += mwh * (s.facts["recovered.\(id).price_eur_per_mwh"] ?? 0)
            if s.facts["recovered.\(id).counts_as_recovered"] == 1 { qualifying += mwh }
        }

        let levelA = try h.interpolated(session: s.id, tag: P.recordPrefix + P.siloLevel, at: t0) ?? 0
        let levelB = try h.interpolated(session: s.id, tag: P.recordPrefix + P.siloLevel, at: t1) ?? 0
        siloLevel = try h.series(session: s.id, tag: P.recordPrefix + P.siloLevel, from: t0, to: t1)
        deliveries = try h.events(session: s.id, kind: "delivery").filter { $0.t >= Double(t0) && $0.t <= Double(t1) }

        // daily means of outdoor and network supply temperature, and degree days (base 18 °C)
        var outD: [Double] = [], supD: [Double] = []
        let outdoor = try h.series(session: s.id, tag: P.recordPrefix + P.outdoor, from: t0, to: t1)
        let supply = try h.series(session: s.id, tag: P.recordPrefix + P.networkSupply, from: t0, to: t1)
        let nDays = Int((t1 - t0) / 86400)
        for d in 0..<nDays {
            let a = t0 + Int64(d) * 86400
            outD.append(HistorianReader.mean(outdoor, from: a, to: a + 86400))
            supD.append(HistorianReader.mean(supply, from: a, to: a + 86400))
        }
        outdoorDaily = outD; supplyDaily = supD
        // degree days of the period: its whole days, and the part of a last day by its mean
        let rest = Double(t1 - t0) / 86400 - Double(nDays)
        let restDD = rest > 1e-9 ? max(0, 18 - HistorianReader.mean(outdoor, from: t0 + Int64(nDays) * 86400, to: t1)) * rest : 0
        degreeDays = outD.reduce(0) { $0 + max(0, 18 - $1) } + restDD

        let nominal = bs.map(\.nominalKW)
        let dhw = Self.dhwEstimates(ids: cs.map(\.id), facts: s.facts, startDate: s.startDate, t0: t0, t1: t1)
        var op = MeasuredOperation(
            days: days,
            customers: cs.map {
                var c = MeasuredOperation.Customer(id: $0.id, soldMWh: $0.soldMWh, subscribedKW: $0.subscribedKW,
                                                   connectsInYear: Int(s.facts["economics.connectYear.\($0.id)"] ?? 1))
                if let e = dhw[$0.id] { c.dhwPeriodMWh = e.period; c.dhwYearMWh = e.year }
                return c
            },
            networkOutputMWh: networkOutputMWh, boilerOutputMWh: boilerOutputMWh,
            siloDropM3: levelA - levelB, deliveredM3: try diff(P.recordPrefix + P.siloDelivered),
            fuelKWhPerM3: try fact("fuel.kwh_per_m3"), fuelTPerM3: try fact("fuel.bulk_density_t_per_m3"),
            gasFuelMWhLHV: try diff(P.recordPrefix + P.gasFuel) / 1000, electricityMWh: try diff(P.recordPrefix + P.electricity) / 1000,
            trucks: Int(try diff(P.recordPrefix + P.siloTrucks).rounded()), ashKg: bs.reduce(0) { $0 + $1.ashKg },
            trenchM: try fact("network.trench_m"),
            installedKW: nominal.reduce(0, +) + (s.facts["plant.gas_installed_kw"] ?? 0) + (s.facts["plant.heat_pump_installed_kw"] ?? 0),
            largestBoilerKW: nominal.max() ?? 0)
        // the gas boilers' own heat counter where the session has it (older ones: estimated)
        if s.facts["plant.gas_installed_kw"] != nil, let g = try? diff(P.recordPrefix + P.gasProduced) { op.gasOutputMWh = g / 1000 }
        op.heatPumpOutputMWh = heatPumpOutputMWh; op.heatPumpElectricityMWh = heatPumpElectricityMWh
        op.solarOutputMWh = solarMWh
        op.recoveredMWh = recoveredMWh; op.recoveredCostEUR = recoveredCost; op.recoveredQualifyingMWh = qualifying
        op.periodDegreeDays = degreeDays
        op.normalDegreeDays = s.facts["site.heating_degree_days"]
        dhwEstimated = !dhw.isEmpty
        measured = op

        // the scenario's economic inputs as the session kept them, read through the same table
        let e = "economics."
        var given: [String: Double] = [:]
        for (k, v) in s.facts where k.hasPrefix(e) && !k.hasPrefix(e + "connectYear.") { given[String(k.dropFirst(e.count))] = v }
        let inputs: EconomicInputs
        do { inputs = try EconomicTerms(values: given).inputs } catch {
            throw ReportError(message: error.missing
                ? "\(db): session \(s.id) lacks 'economics.\(error.key)': give it in the scenario (\(s.scenarioFile)) under economics"
                : "\(db): session \(s.id): 'economics.\(error.key)' \(error.message)")
        }
        account = OperatingAccount(inputs: inputs, measured: measured)

        // the study's figures beside the measured ones (scaled to a year)
        let k = measured.annualFactor
        let a = account
        let peak = hourlyNetworkKW.max() ?? 0
        let peakDelivered = hourlyDeliveredKW.max() ?? 0
        let woodHourly = try hourly(P.recordPrefix + P.woodFuel)
        var maxDayM3 = 0.0
        for d in stride(from: 0, to: woodHourly.count - 23, by: 24) {
            maxDayM3 = max(maxDayM3, woodHourly[d..<d + 24].reduce(0, +) / measured.fuelKWhPerM3)
        }
        let lossHourly = try hourly(P.recordPrefix + P.networkLoss)
        var coldestDay = 0
        for d in outD.indices where outD[d] < outD[coldestDay] { coldestDay = d }
        let coldLossKW = lossHourly.count >= (coldestDay + 1) * 24 ? lossHourly[coldestDay * 24..<(coldestDay + 1) * 24].reduce(0, +) / 24 : nil
        let payback = a.simplePaybackYears(subsidiesEUR: inputs.totalSubsidiesEUR)
        let fillTo = s.facts["silo.fill_to_m3"]
        let kWhPerM3 = measured.fuelKWhPerM3
        let slots = Self.designSlots(hourly: hourlyNetworkKW, outdoorDaily: outD, startDate: s.startDate, t0: t0)
        let hourlyOutdoor = (0..<hourlyNetworkKW.count).map { HistorianReader.mean(outdoor, from: t0 + Int64($0) * 3600, to: t0 + Int64($0 + 1) * 3600) }
        var rows: [(String, String, String, Double?, String)] = [
            ("heatDeliveredMWh", "heat delivered (meters)", "MWh", a.soldMWh, ""),
            ("networkLossesMWh", "network losses", "MWh", a.lossesMWh, "sent into the network − metered"),
            ("networkLossesPercent", "network losses", "%", a.lossesPercent, ""),
            ("networkLossesDesignKW", "network losses on the coldest day", "kW", coldLossKW, "mean of the coldest day"),
            ("heatProducedMWh", "heat produced (sent into the network)", "MWh", a.producedMWh, ""),
            ("fullLoadHours", "full-load hours", "h", a.fullLoadHours, "produced / installed power"),
            ("trucksPerYear", "trucks delivered", "/year", a.trucksPerYear, "ordered by the silo's policy"),
            ("connectedKW", "subscribed power", "kW", a.subscribedKW, ""),
            ("powerAfterDiversityKW", "peak hourly heat delivered", "kW", peakDelivered, "sum of the meters, hourly"),
            ("peakHourlyProductionKW", "peak hourly production", "kW", peak, "sent into the network, hourly"),
            ("heatingDegreeDays", "heating degree days (base 18 °C)", "K·d", days >= 364.5 ? degreeDays * k : nil,
             days >= 364.5 ? "from the recorded outdoor temperature" : "the period's \(Int(degreeDays.rounded())) K·d are not a year's"),
            ("designOutdoorC", "coldest hour", "°C", hourlyOutdoor.min(), ""),
            ("heatDensityMWhPerM", "linear heat density", "MWh/m/year", a.heatDensityMWhPerM, a.heatDensityBand.rawValue),
            ("ashKg", "ash", "kg/year", a.ashKgPerYear, ""),
            ("fullSiloMWh", "heat in a full silo", "MWh", fillTo.map { $0 * kWhPerM3 / 1000 }, "filled to its fill-to level"),
            ("siloAutonomyDays", "autonomy of a full silo on the heaviest day", "d", fillTo.flatMap { maxDayM3 > 0 ? $0 / maxDayM3 : nil }, ""),
            ("revenueEURPerYearExclVAT", "revenue R1 + R2 excl. VAT", "€/year", a.revenueExclVATEUR, ""),
            ("paybackYears", "simple payback with all subsidies", "years", payback, payback.map { $0 > Double(inputs.horizonYears) ? "beyond the \(inputs.horizonYears)-year horizon" : "" } ?? "never: the yearly result before financing is not positive"),
        ]
        for (i, v) in slots.weekday.enumerated() { rows.append(("weekdaySlotsKW.\(i + 1)", "weekday \(i * 6)–\(i * 6 + 6) h, coldest days", "kW", v, "")) }
        for (i, v) in slots.weekend.enumerated() { rows.append(("weekendSlotsKW.\(i + 1)", "weekend \(i * 6)–\(i * 6 + 6) h, coldest days", "kW", v, "")) }
        var cmp: [Comparison] = []
        for (key, label, unit, m, note) in rows {
            if let st = s.facts["reference.\(key)"] { cmp.append(Comparison(key: key, label: label, unit: unit, study: st, measured: m, note: note)) }
        }
        comparisons = cmp
    }

    /// Each building's DHW estimate over the period [t0, t1) and over a year (365 days), MWh:
    /// its draws on the days it is open (its season) and its tank's standing loss every hour,
    /// from the figures the recorder kept of the scenario. Empty for a session recorded before
    /// they were kept.
    static func dhwEstimates(ids: [String], facts: [String: Double], startDate: String, t0: Int64, t1: Int64) -> [String: (period: Double, year: Double)] {
        func date(_ t: Int64) -> CivilDate? { CivilDate(iso: String(CivilTime.iso(startDate: startDate, seconds: t).prefix(10))) }
        var out: [String: (period: Double, year: Double)] = [:]
        for id in ids {
            guard let draw = facts["building.\(id).dhw_draw_kwh_per_open_day"], let standing = facts["building.\(id).dhw_standing_kw"] else { continue }
            var season: WeeklySchedule.Season?
            if let o = facts["building.\(id).season_open_mmdd"], let c = facts["building.\(id).season_close_mmdd"] {
                season = .init(openMonth: Int(o) / 100, openDay: Int(o) % 100, closeMonth: Int(c) / 100, closeDay: Int(c) % 100)
            }
            func open(_ d: CivilDate) -> Bool { season?.contains(d) ?? true }
            // open days of the period, a last part day by its share
            var openDays = 0.0
            var a = t0
            while a < t1 {
                let b = min(t1, a + 86400)
                if let d = date(a + (b - a) / 2), open(d) { openDays += Double(b - a) / 86400 }
                a = b
            }
            // open days of a year (2025: not a leap year)
            var yearOpen = 0
            for m in 1...12 { for d in 1...CivilDate.daysInMonth(year: 2025, month: m) where open(CivilDate(year: 2025, month: m, day: d)) { yearOpen += 1 } }
            let hours = Double(t1 - t0) / 3600
            out[id] = ((draw * openDays + standing * hours) / 1000, (draw * Double(yearOpen) + standing * 8760) / 1000)
        }
        return out
    }

    /// Mean production per 6-hour slot over the ten coldest weekdays and four coldest weekend
    /// days of the period (the study's slots are at design conditions).
    static func designSlots(hourly: [Double], outdoorDaily: [Double], startDate: String, t0: Int64) -> (weekday: [Double?], weekend: [Double?]) {
        let d0 = (CivilTime.days(ofISODate: startDate) ?? 0) + Int(t0 / 86400)
        let days = outdoorDaily.indices.filter { ($0 + 1) * 24 <= hourly.count }
        func isWeekend(_ d: Int) -> Bool { let w = ((d0 + d) % 7 + 7 + 3) % 7; return w >= 5 }   // 1970-01-01 was a Thursday
        func slots(_ ds: [Int]) -> [Double?] {
            (0..<4).map { s in
                guard !ds.isEmpty else { return nil }
                return ds.reduce(0) { acc, d in acc + hourly[d * 24 + s * 6..<d * 24 + s * 6 + 6].reduce(0, +) / 6 } / Double(ds.count)
            }
        }
        let wd = days.filter { !isWeekend($0) }.sorted { outdoorDaily[$0] < outdoorDaily[$1] }.prefix(10)
        let we = days.filter { isWeekend($0) }.sorted { outdoorDaily[$0] < outdoorDaily[$1] }.prefix(4)
        return (slots(Array(wd)), slots(Array(we)))
    }

    /// Closure of the energy balance over the period: combustion − (heat the substations took
    /// + network, buffer and shell losses + change of the heat stored), MWh.
    public var balanceResidualMWh: Double {
        combustionMWh + heatPumpHeatMWh + solarMWh + recoveredMWh - (deliveredMWh + networkLossMWh + bufferLossMWh + shellLossMWh + makeUpHeatMWh + storedChangeMWh)
    }
}

extension HistorianReader {
    /// Time-weighted mean of a compressed analog series between `a` and `b` (linear between samples).
    static func mean(_ s: [(t: Int64, v: Double)], from a: Int64, to b: Int64) -> Double {
        guard !s.isEmpty, b > a else { return s.first?.v ?? 0 }
        func at(_ t: Int64) -> Double {
            var lo = 0, hi = s.count - 1
            if t <= s[0].t { return s[0].v }
            if t >= s[hi].t { return s[hi].v }
            while hi - lo > 1 { let m = (lo + hi) / 2; if s[m].t <= t { lo = m } else { hi = m } }
            let f = Double(t - s[lo].t) / Double(s[hi].t - s[lo].t)
            return s[lo].v + f * (s[hi].v - s[lo].v)
        }
        var sum = 0.0
        let n = 24
        for i in 0..<n { sum += at(a + (b - a) * Int64(i) / Int64(n) + (b - a) / Int64(2 * n)) }
        return sum / Double(n)
    }
}
