import Economics
import YAMLFile
import Yams

/// The scenario's economic inputs and the study's own figures, each key known with its range.
extension ScenarioLoader {
    /// The scenario's `economics:` section, each input checked against `EconomicTerms.fields`
    /// (range, whole years) and the required ones present.
    static func economics(_ n: YNode) throws -> EconomicTerms {
        guard case let .mapping(m) = n.node else { throw n.fail("expected a mapping of names to numbers") }
        let fields = EconomicTerms.fields
        var out: [String: Double] = [:]
        for (k, v) in m {
            guard case let .scalar(ks) = k else { throw n.fail("keys must be plain names") }
            let key = ks.string
            let keyNode = n.child(k, key)
            if out[key] != nil { throw keyNode.fail("field given twice") }
            let c = n.child(v, key)
            if let spec = fields.first(where: { $0.key == key }) {
                let x = try c.asDouble(spec.range, unit: spec.unit)
                if spec.whole && x.rounded() != x { throw c.fail("\(x) is not a whole number of \(spec.unit)") }
                out[key] = x
            } else if let spec = EconomicTerms.namedField(key) {
                if let why = EconomicTerms.phaseYearError(key) { throw keyNode.fail(why) }
                let x = try c.asDouble(spec.range, unit: spec.unit)
                if spec.whole && x.rounded() != x { throw c.fail("\(x) is not a whole number of \(spec.unit)") }
                out[key] = x
            } else {
                throw keyNode.fail("unknown field; expected one of: \(fields.map(\.key).joined(separator: ", ")), or investment…EUR (with investment…Year, …LoanYears, …LoanRatePercent), funding…EUR, p2MaintenanceFromYear<N>EUR, p3RenewalFromYear<N>EUR")
            }
        }
        do { return try EconomicTerms(values: out) } catch {
            let required = fields.filter(\.required).map(\.key)
            throw n.fail("\(error)\(error.missing ? "; the economic model needs \(required.joined(separator: ", "))" : "")")
        }
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
