import SimulationCore
import Economics
import Foundation
import Historian

private func f0(_ x: Double) -> String { String(format: "%.0f", x) }
private func f1(_ x: Double) -> String { String(format: "%.1f", x) }
private func f2(_ x: Double) -> String { String(format: "%.2f", x) }
private func eur(_ x: Double) -> String {
    let n = Int(x.rounded())
    let s = String(abs(n))
    var out = ""
    for (i, c) in s.enumerated() { if i > 0 && (s.count - i) % 3 == 0 { out += "," }; out.append(c) }
    return (n < 0 ? "−" : "") + out
}

extension OperatingReport {
    var periodText: String {
        let a = CivilTime.iso(startDate: session.startDate, seconds: t0), b = CivilTime.iso(startDate: session.startDate, seconds: t1)
        let days = measured.days
        return "\(a) → \(b) (\(f1(days)) days" + (abs(days - 365) < 0.5 ? ")" : "; yearly figures \(annualisationText))")
    }

    /// The investment lines grouped by year and loan, in words: "1,550,800 € from year 1 over
    /// 5 years at 4.0 %; …", with the subsidies shared among them.
    var financingText: String {
        let a = account
        let first = a.inputs.firstYear
        var groups: [(year: Int, years: Int, rate: Double, amount: Double)] = []
        for l in a.inputs.financedLines.sorted(by: { ($0.year, $0.loanYears, $0.loanRatePerYear) < ($1.year, $1.loanYears, $1.loanRatePerYear) }) {
            if let k = groups.firstIndex(where: { $0.year == l.year && $0.years == l.loanYears && $0.rate == l.loanRatePerYear }) { groups[k].amount += l.amountEUR }
            else { groups.append((l.year, l.loanYears, l.loanRatePerYear, l.amountEUR)) }
        }
        return groups.map { g in
            "\(eur(g.amount)) € from \(first.map { String($0 + g.year - 1) } ?? "year \(g.year)") over \(g.years) years at \(f1(g.rate * 100)) %"
        }.joined(separator: "; ") + " (subsidies \(eur(a.inputs.totalSubsidiesEUR)) € shared in proportion; P4 at full build \(eur(a.p4EUR)) €)"
    }

    /// How the period's figures were carried to a year, in words.
    var annualisationText: String {
        let m = measured
        switch m.annualisation {
        case .wholeYear, .days:
            var why = ""
            if case .days = m.annualisation, m.days < 364.5 {
                why = m.normalDegreeDays == nil ? " (the historian has no normal degree days for the site)"
                    : " (the period's \(f0(degreeDays)) K·d are under \(f0(MeasuredOperation.leastDegreeDayShare * 100)) % of the normal year's: too few to carry its heating to a year)"
            }
            return "scaled by days ×\(f2(m.annualFactor))\(why)"
        case let .degreeDays(p, n):
            let dhw = m.customers.reduce(0) { $0 + min($1.soldMWh, $1.dhwPeriodMWh) }
            return "annualised: space heating by degree days ×\(f2(n / p)) (the site's normal \(f0(n)) K·d over the period's \(f0(p)) K·d), "
                + (dhwEstimated ? "DHW by days (\(f1(dhw)) MWh of the meters' heat taken as DHW, the buildings' draws on their open days and tanks' loss)"
                                : "DHW not separated (the historian has no DHW figures)")
                + "; network losses by days; fuel, electricity, trucks and ash with production ×\(f2(m.productionFactor))"
        }
    }

    // MARK: text

    public var text: String {
        let a = account, k = measured.annualFactor
        var o = "Chaufferie report — \(session.scenarioName)\n"
        o += "historian \(db), session \(session.id) (\(session.command)); \(periodText)\n"
        if lostSamples > 0 { o += "WARNING: \(lostSamples) samples were lost while recording this session\n" }
        o += "\nEnergy balance over the period (MWh)\n"
        o += "  combustion \(f2(combustionMWh))\(heatPumpHeatMWh > 0 ? " + heat pumps' condensers \(f2(heatPumpHeatMWh)) (source \(f2(heatPumpSourceMWh)) + compressors)" : "")\(solarMWh != 0 ? " + solar \(f2(solarMWh))" : "")\(recoveredMWh > 0 ? " + recovered \(f2(recoveredMWh))" : "") = taken by the substations \(f2(deliveredMWh)) + network losses \(f2(networkLossMWh)) + buffer losses \(f2(bufferLossMWh)) + boiler shells \(f2(shellLossMWh))\(makeUpHeatMWh > 0 ? " + make-up water heating \(f2(makeUpHeatMWh))" : "") + stored change \(f2(storedChangeMWh)); residual \(String(format: "%.4f", balanceResidualMWh))\n"
        let woodMWh = boilerOutputMWh - gasOutputMWh - heatPumpOutputMWh - solarMWh - recoveredMWh
        let bySource = [(recoveredMWh > 0, "recovered \(f2(recoveredMWh))"), (solarMWh != 0, "solar \(f2(solarMWh))"), (heatPumpOutputMWh > 0, "heat pumps \(f2(heatPumpOutputMWh))"),
                        (!boilers.isEmpty, "wood \(f2(woodMWh))"),
                        (gasOutputMWh > 0, "gas \(f2(gasOutputMWh))")].filter(\.0).map(\.1)
        o += "  boiler output \(f2(boilerOutputMWh))\(gasOutputMWh > 0 || heatPumpOutputMWh > 0 || solarMWh != 0 || recoveredMWh > 0 ? " (" + bySource.joined(separator: ", ") + ")" : ""); sent into the network \(f2(networkOutputMWh)); metered (sold) \(f2(meteredMWh))\n"
        o += "\nHeat sold per customer (meter index at the end − at the start)\n"
        let short = measured.days < 364.5
        for (c, m) in zip(customers, measured.customers) {
            o += "  " + c.id.padding(toLength: 16, withPad: " ", startingAt: 0) + " \(f1(c.soldMWh).leftPad(7)) MWh"
                + (short ? " → \(f1(measured.annualSoldMWh(m)).leftPad(6)) MWh/year" : "")
                + "   study \(f0(c.studyMWh).leftPad(4)) MWh/year   subscribed \(f0(c.subscribedKW).leftPad(4)) kW\n"
        }
        o += "\nLogistics\n"
        o += "  wood burned \(f1(measured.woodBurnedM3)) m³ (silo level drop \(f1(measured.siloDropM3)) + delivered \(f1(measured.deliveredM3))) = \(f1(measured.woodMWhLHV)) MWh LHV (boilers' counters \(f1(woodFuelCounterMWh)))\n"
        o += "  trucks \(measured.trucks), ash \(f0(measured.ashKg)) kg, auxiliary electricity \(f1(measured.electricityMWh)) MWh\n"
        for b in boilers { o += "  boiler \(b.id): \(f0(b.runHours)) h run, \(f0(b.starts)) starts, \(f1(b.heatMWh)) MWh, \(f0(b.heatMWh * 1000 / b.nominalKW)) full-load hours\n" }
        o += "\nOperator's account, per year (€ excl. VAT)\n"
        o += "  sold \(f1(a.soldMWh)) MWh, subscribed \(f0(a.subscribedKW)) kW\n"
        o += "  R1 \(eur(a.r1EUR)) + R2 \(eur(a.r2EUR)) = \(eur(a.revenueExclVATEUR)) (incl. VAT \(f1(a.inputs.heatVATRate * 100)) %: \(eur(a.revenueInclVATEUR)))\n"
        let r2 = a.r2Split
        o += "  R2 split: R21 electricity \(eur(r2.electricity)), R22 maintenance \(eur(r2.maintenance)), R23 renewal \(eur(r2.renewal)), R24 annuities \(eur(r2.annuities))\n"
        if a.gasMWhLHV > 0 || a.inputs.gasEURPerMWhHHV > 0 {
            o += "  P1 gas \(eur(a.p1GasEUR)) (\(f1(a.gasMWhHHV)) MWh HHV at \(f1(a.inputs.gasEURPerMWhHHV)) €/MWh HHV = \(f1(a.gasMWhLHV)) MWh LHV; \(f1(a.gasMWhLHV * a.inputs.gasCO2TPerMWhLHV)) t CO2, netted below)\n"
        }
        if recoveredMWh > 0 { o += "  P1 recovered heat \(eur(a.p1RecoveredEUR)) (\(f1(recoveredMWh * a.measured.productionFactor)) MWh a year at the sources' prices)\n" }
        o += "  P1 fuel \(eur(a.p1FuelEUR)) (\(f1(a.woodMWhLHV)) MWh LHV), P1 electricity \(eur(a.p1ElectricityEUR))\(heatPumpElectricityMWh > 0 ? " (\(f1(a.electricityMWh)) MWh, of which the heat pumps' \(f1(a.measured.heatPumpElectricityMWh * a.measured.productionFactor)))" : ""), P2 \(eur(a.p2EUR)), P3 \(eur(a.p3EUR)), P4 \(eur(a.p4EUR)) → costs \(eur(a.totalCostsEUR)); result \(eur(a.grossResultEUR))\n"
        o += "  financed: " + financingText + "\n"
        if heatPumpOutputMWh > 0 {
            o += "  heat pumps: SPF \(f2(heatPumpElectricityMWh > 0 ? heatPumpOutputMWh / heatPumpElectricityMWh : 0)) (heat to the plant / electricity); renewable part \(f1(a.heatPumpRenewableShare * 100)) % of production (E_RES = Q × (1 − 1/SPF), Directive (EU) 2018/2001 Annex VII), wood \(f1(a.woodShare * 100)) %\n"
        }
        o += "  renewable share \(f1(a.renewableShare * 100)) % → heat VAT \(f1(a.vatRateEntitled * 100)) % (tariff assumes \(f1(a.inputs.heatVATRate * 100)) %)\n"
        o += "\nPrice of heat over \(a.inputs.horizonYears) years (€/MWh sold)\n"
        for (name, sub) in a.aidLevels {
            let p = a.businessPlan(subsidiesEUR: sub)
            o += "  aid \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(eur(sub).leftPad(10)) €: at cost \(f2(p.costPriceEURPerMWh)) excl. VAT, \(f2(p.costPriceEURPerMWh * (1 + a.inputs.heatVATRate))) incl.; tariff's average \(f2(p.averagePriceEURPerMWh)) / \(f2(p.averagePriceInclVATEURPerMWh)); payback \(a.simplePaybackYears(subsidiesEUR: sub).map { f1($0) + " years" } ?? "never")\n"
        }
        let individual = a.individualComparison
        if let ref = a.inputs.individual, !individual.isEmpty {
            o += "\nBeside individual boilers (€/MWh over \(ref.horizonYears) years; boiler \(f0(ref.boilerEURPerKW)) €/kW over \(ref.loanYears) years at \(f1(ref.loanRatePerYear * 100)) %, fuel \(f2(ref.fuelEURPerMWh)) €/MWh at \(f0(ref.efficiency * 100)) %)\n"
            for c in individual {
                o += "  " + c.id.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + " \(f1(c.annualMWh).leftPad(7)) MWh/year \(f0(c.subscribedKW).leftPad(5)) kW   individual \(f2(c.individualEURPerMWh).leftPad(7)) excl. VAT \(f2(c.individualInclVATEURPerMWh).leftPad(7)) incl."
                    + "   network \(f2(c.networkEURPerMWh).leftPad(7)) excl. \(f2(c.networkInclVATEURPerMWh).leftPad(7)) incl. (\(String(format: "%+.1f", c.networkVsIndividualPercent)) %)\n"
            }
        }
        o += "\nEnvironment and network, per year\n"
        o += "  fossil fuel replaced \(f0(a.fossilReplacedMWh)) MWh = \(f1(a.fossilReplacedToe)) toe; CO2 avoided \(f0(a.co2AvoidedT)) t; SO2 avoided \(f0(a.so2AvoidedKg)) kg\n"
        o += "  heat density \(f2(a.heatDensityMWhPerM)) MWh/m (\(a.heatDensityBand.rawValue)); losses \(f1(a.lossesPercent)) %; full-load hours \(f0(a.fullLoadHours)); trucks \(f1(a.trucksPerYear)); ash \(f0(a.ashKgPerYear)) kg\n"
        _ = k
        o += "\nStudy vs measured (yearly figures; * beyond ±10 %)\n"
        for c in comparisons {
            let m = c.measured.map { f1($0) } ?? "—"
            let d = c.deviationPercent.map { String(format: "%+.1f %%", $0) } ?? ""
            o += "  " + (c.flagged ? "* " : "  ") + "\(c.label) [\(c.unit)]".padding(toLength: 52, withPad: " ", startingAt: 0)
                + " study \(f1(c.study).leftPad(9))  measured \(m.leftPad(9))  \(d)\(c.note.isEmpty ? "" : "  (\(c.note))")\n"
        }
        return o
    }

    // MARK: JSON

    var annualisationJSON: [String: Any] {
        let m = measured
        var o: [String: Any] = ["periodDegreeDays": degreeDays, "normalDegreeDays": m.normalDegreeDays ?? NSNull(),
                                "daysFactor": m.annualFactor, "productionFactor": m.productionFactor, "text": annualisationText]
        switch m.annualisation {
        case .wholeYear: o["basis"] = "wholeYear"
        case .days: o["basis"] = "days"
        case let .degreeDays(p, n): o["basis"] = "degreeDays"; o["heatingFactor"] = n / p
        }
        return o
    }

    public func jsonText() throws -> String {
        let a = account
        var plans: [[String: Any]] = []
        for (name, sub) in a.aidLevels {
            let p = a.businessPlan(subsidiesEUR: sub)
            plans.append(["aid": name, "subsidiesEUR": sub, "costPriceEURPerMWhExclVAT": p.costPriceEURPerMWh,
                          "costPriceEURPerMWhInclVAT": p.costPriceEURPerMWh * (1 + a.inputs.heatVATRate),
                          "averagePriceEURPerMWhExclVAT": p.averagePriceEURPerMWh, "averagePriceEURPerMWhInclVAT": p.averagePriceInclVATEURPerMWh,
                          "simplePaybackYears": a.simplePaybackYears(subsidiesEUR: sub) ?? NSNull(),
                          "years": p.years.map { y -> [String: Any] in
                              let r2 = y.r2Split
                              return ["year": y.year, "calendarYear": y.calendarYear ?? NSNull(), "soldMWh": y.soldMWh, "subscribedKW": y.subscribedKW, "producedMWh": y.producedMWh,
                                      "woodMWhLHV": y.woodMWhLHV, "gasMWhLHV": y.gasMWhLHV, "gasMWhHHV": y.gasMWhHHV,
                                      "r1EUR": y.r1EUR, "r2EUR": y.r2EUR, "r21ElectricityEUR": r2.electricity, "r22MaintenanceEUR": r2.maintenance,
                                      "r23RenewalEUR": r2.renewal, "r24AnnuitiesEUR": r2.annuities, "connectionFeesEUR": y.connectionFeesEUR,
                                      "p1FuelEUR": y.p1FuelEUR, "p1ElectricityEUR": y.p1ElectricityEUR, "p2EUR": y.p2EUR, "p3EUR": y.p3EUR,
                                      "p4EUR": y.p4EUR, "totalCostsEUR": y.totalCostsEUR, "totalRevenueEUR": y.totalRevenueEUR,
                                      "grossResultEUR": y.grossResultEUR]
                          }])
        }
        let r2 = a.r2Split
        let obj: [String: Any] = [
            "db": db, "session": session.id, "scenario": session.scenarioName, "from": CivilTime.iso(startDate: session.startDate, seconds: t0),
            "to": CivilTime.iso(startDate: session.startDate, seconds: t1), "days": measured.days, "lostSamples": lostSamples,
            "annualisation": annualisationJSON,
            "energyBalanceMWh": ["combustion": combustionMWh, "heatPumpCondensers": heatPumpHeatMWh, "heatPumpSource": heatPumpSourceMWh,
                                 "heatPumpElectricity": heatPumpElectricityMWh, "heatPumpsOutput": heatPumpOutputMWh, "solar": solarMWh, "recovered": recoveredMWh,
                                 "boilerOutput": boilerOutputMWh, "gasBoilersOutput": gasOutputMWh, "networkOutput": networkOutputMWh,
                                 "takenBySubstations": deliveredMWh, "metered": meteredMWh, "networkLoss": networkLossMWh,
                                 "bufferLoss": bufferLossMWh, "shellLoss": shellLossMWh, "makeUpHeat": makeUpHeatMWh, "storedChange": storedChangeMWh,
                                 "residual": balanceResidualMWh],
            "customers": zip(customers, measured.customers).map { c, m in
                ["id": c.id, "soldMWh": c.soldMWh, "subscribedKW": c.subscribedKW, "studyMWh": c.studyMWh,
                 "dhwEstimatedMWh": m.dhwPeriodMWh, "annualSoldMWh": measured.annualSoldMWh(m)]
            },
            "logistics": ["woodBurnedM3": measured.woodBurnedM3, "siloDropM3": measured.siloDropM3, "deliveredM3": measured.deliveredM3,
                          "woodMWhLHV": measured.woodMWhLHV, "boilersFuelCounterMWh": woodFuelCounterMWh, "trucks": measured.trucks,
                          "ashKg": measured.ashKg, "electricityMWh": measured.electricityMWh],
            "boilers": boilers.map { ["id": $0.id, "runHours": $0.runHours, "starts": $0.starts, "heatMWh": $0.heatMWh, "fuelMWh": $0.fuelMWh, "ashKg": $0.ashKg] },
            "perYear": ["soldMWh": a.soldMWh, "subscribedKW": a.subscribedKW, "producedMWh": a.producedMWh, "r1EUR": a.r1EUR, "r2EUR": a.r2EUR,
                        "r21ElectricityEUR": r2.electricity, "r22MaintenanceEUR": r2.maintenance, "r23RenewalEUR": r2.renewal, "r24AnnuitiesEUR": r2.annuities,
                        "revenueExclVATEUR": a.revenueExclVATEUR, "revenueInclVATEUR": a.revenueInclVATEUR, "vatRate": a.inputs.heatVATRate,
                        "vatRateEntitled": a.vatRateEntitled, "p1FuelEUR": a.p1FuelEUR, "p1ElectricityEUR": a.p1ElectricityEUR,
                        "p1GasEUR": a.p1GasEUR, "p1RecoveredEUR": a.p1RecoveredEUR, "gasMWhHHV": a.gasMWhHHV, "gasMWhLHV": a.gasMWhLHV,
                        "p2EUR": a.p2EUR, "p3EUR": a.p3EUR, "p4EUR": a.p4EUR, "totalCostsEUR": a.totalCostsEUR, "grossResultEUR": a.grossResultEUR,
                        "renewableShare": a.renewableShare, "fossilReplacedMWh": a.fossilReplacedMWh, "fossilReplacedToe": a.fossilReplacedToe,
                        "co2AvoidedT": a.co2AvoidedT, "so2AvoidedKg": a.so2AvoidedKg, "heatDensityMWhPerM": a.heatDensityMWhPerM,
                        "heatDensityBand": a.heatDensityBand.rawValue, "lossesMWh": a.lossesMWh, "lossesPercent": a.lossesPercent,
                        "fullLoadHours": a.fullLoadHours, "trucks": a.trucksPerYear, "ashKg": a.ashKgPerYear],
            "businessPlans": plans,
            "individualReference": a.individualComparison.map { c -> [String: Any] in
                ["id": c.id, "annualMWh": c.annualMWh, "subscribedKW": c.subscribedKW, "p1EUR": c.p1EUR, "p2EUR": c.p2EUR, "p3EUR": c.p3EUR,
                 "p4EUR": c.p4EUR, "individualEURPerMWhExclVAT": c.individualEURPerMWh, "individualEURPerMWhInclVAT": c.individualInclVATEURPerMWh,
                 "networkEURPerMWhExclVAT": c.networkEURPerMWh, "networkEURPerMWhInclVAT": c.networkInclVATEURPerMWh,
                 "networkVsIndividualPercent": c.networkVsIndividualPercent]
            },
            "studyVsMeasured": comparisons.map { c -> [String: Any] in
                ["key": c.key, "label": c.label, "unit": c.unit, "study": c.study, "measured": c.measured ?? NSNull(),
                 "deviationPercent": c.deviationPercent ?? NSNull(), "flagged": c.flagged]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
