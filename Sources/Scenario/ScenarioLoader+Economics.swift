import YAMLFile
import Yams

/// The scenario's economic inputs and the study's own figures, each key known with its range.
extension ScenarioLoader {
    /// The economic inputs a scenario may give, each with its range (an investment or a funding
    /// line may take any name after its prefix). Whole numbers where the model counts years.
    static let economicInputs: [(key: String, range: ClosedRange<Double>, unit: String, whole: Bool)] = [
        ("fuelPriceEURPerMWh", 0...1000, "€/MWh", false), ("fuelVATPercent", 0...30, "%", false),
        ("electricityEURPerMWh", 0...2000, "€/MWh", false),
        ("p2MaintenanceEURPerYear", 0...1e8, "€/year", false), ("p3RenewalEURPerYear", 0...1e8, "€/year", false),
        ("loanRatePercent", 0...30, "%", false), ("loanYears", 1...50, "years", true),
        ("r1EURPerMWhInclVAT", 0...1000, "€/MWh", false), ("r2EURPerKWInclVAT", 0...2000, "€/kW", false),
        ("heatVATPercent", 0...30, "%", false), ("subscribedKW", 0...1e6, "kW", false), ("horizonYears", 1...60, "years", true),
        ("connectionFeeEUR", 0...1e9, "€", false), ("fossilEfficiencyPercent", 10...120, "%", false),
        ("fossilCO2TPerMWh", 0...2, "t/MWh", false), ("fossilSO2KgPerMWh", 0...50, "kg/MWh", false),
        ("gasEURPerMWhHHV", 0...1000, "€/MWh", false), ("gasCO2TPerMWhLHV", 0...1, "t/MWh", false),
    ]
    static let economicPrefixes = ["investment", "funding"]

    static func economics(_ n: YNode) throws -> [String: Double] {
        guard case let .mapping(m) = n.node else { throw n.fail("expected a mapping of names to numbers") }
        var out: [String: Double] = [:]
        for (k, v) in m {
            guard case let .scalar(ks) = k else { throw n.fail("keys must be plain names") }
            let key = ks.string
            let keyNode = n.child(k, key)
            if out[key] != nil { throw keyNode.fail("field given twice") }
            let c = n.child(v, key)
            if let spec = economicInputs.first(where: { $0.key == key }) {
                let x = try c.asDouble(spec.range, unit: spec.unit)
                if spec.whole && x.rounded() != x { throw c.fail("\(x) is not a whole number of \(spec.unit)") }
                out[key] = x
            } else if economicPrefixes.contains(where: { key.hasPrefix($0) && key.hasSuffix("EUR") && key.count > $0.count + 3 }) {
                out[key] = try c.asDouble(0...1e10, unit: "€")
            } else {
                throw keyNode.fail("unknown field; expected one of: \(economicInputs.map(\.key).joined(separator: ", ")), or investment…EUR / funding…EUR")
            }
        }
        return out
    }

    /// The study's figures a scenario may set beside the simulated ones.
    static let referenceFigures = ["heatDeliveredMWh", "networkLossesMWh", "networkLossesPercent", "networkLossesDesignKW", "heatProducedMWh",
                                   "fullLoadHours", "trucksPerYear", "connectedKW", "powerAfterDiversityKW", "peakHourlyProductionKW",
                                   "heatingDegreeDays", "heatDensityMWhPerM", "ashKg", "fullSiloMWh", "siloAutonomyDays",
                                   "revenueEURPerYearExclVAT", "paybackYears", "fuelBurnedMWhLHV", "fuelBurnedT", "fuelBurnedM3"]

    static func reference(_ n: YNode?) throws -> ReferenceFigures {
        guard let n else { return ReferenceFigures(values: [:]) }
        guard case let .mapping(m) = n.node else { throw n.fail("expected a mapping of the study's figures") }
        var values: [String: Double] = [:]
        var wd: [Double]? = nil, we: [Double]? = nil
        for (k, v) in m {
            guard case let .scalar(ks) = k else { throw n.fail("keys must be plain names") }
            let c = n.child(v, ks.string)
            switch ks.string {
            case "weekdaySlotsKW": wd = try c.asDoubles(count: 4, 0...1e6)
            case "weekendSlotsKW": we = try c.asDoubles(count: 4, 0...1e6)
            case "designOutdoorC": values[ks.string] = try c.asDouble(-60...20, unit: "°C")
            case let key where referenceFigures.contains(key): values[key] = try c.asDouble(0...1e9)
            default:
                throw n.child(k, ks.string).fail("unknown field; expected one of: \((referenceFigures + ["designOutdoorC", "weekdaySlotsKW", "weekendSlotsKW"]).joined(separator: ", "))")
            }
        }
        return ReferenceFigures(values: values, weekdaySlotsKW: wd, weekendSlotsKW: we)
    }
}
