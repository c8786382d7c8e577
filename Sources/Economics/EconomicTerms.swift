import Foundation

/// A scenario's `economics:` section, typed: every input the economic model takes, with its
/// range and unit declared once here (`fields`). The scenario loader checks a section against
/// them when the scenario loads (range, whole numbers, the required inputs present); the
/// historian keeps them as the session's facts (`values`); the operating report reads them back
/// through the same table (`init(values:)`).
public struct EconomicTerms: Sendable, Equatable {
    /// Wood chips, € excl. VAT per MWh LHV, and their VAT rate (informational: prices are excl. VAT).
    public var fuelPriceEURPerMWh: Double
    public var fuelVATPercent: Double?
    /// The boiler room's electricity, € excl. VAT per MWh.
    public var electricityEURPerMWh: Double
    public var p2MaintenanceEURPerYear: Double
    public var p3RenewalEURPerYear: Double
    public var loanRatePercent: Double
    public var loanYears: Int
    /// The tariff as the study quotes it: R1 per MWh and R2 per subscribed kW, incl. VAT, and the VAT rate.
    public var r1EURPerMWhInclVAT: Double
    public var r2EURPerKWInclVAT: Double
    public var heatVATPercent: Double
    /// The subscribed power the study states (informational: the account sums the buildings').
    public var subscribedKW: Double?
    public var horizonYears: Int
    public var connectionFeeEUR: Double
    /// What the buildings burned before: their boilers' seasonal efficiency and the fuel's emission factors.
    public var fossilEfficiencyPercent: Double
    public var fossilCO2TPerMWh: Double
    public var fossilSO2KgPerMWh: Double
    /// Gas for the gas boilers, € per MWh HHV (required when the boiler room has gas boilers), and
    /// its emission factor per MWh LHV (default 0.202 t, IPCC 2006 natural gas).
    public var gasEURPerMWhHHV: Double?
    public var gasCO2TPerMWhLHV: Double
    /// Investment lines (`investment<Name>EUR`) and funding lines (`funding<Name>EUR`), € excl. VAT, by name.
    public var investmentsEUR: [String: Double]
    public var fundingEUR: [String: Double]

    /// Whether an input may be left out, and what it then is.
    public enum Presence: Sendable, Equatable {
        case required
        /// May be left out: nothing computed needs it.
        case optional
        case defaults(to: Double)
    }

    /// One input: its key in a scenario, range, unit, whether it counts whole years, and whether
    /// it may be left out.
    public struct Field: Sendable {
        public let key: String
        public let range: ClosedRange<Double>
        public let unit: String
        public let whole: Bool
        public let presence: Presence
        public var required: Bool { presence == .required }
    }

    public static let fields: [Field] = [
        .init(key: "fuelPriceEURPerMWh", range: 0...1000, unit: "€/MWh", whole: false, presence: .required),
        .init(key: "fuelVATPercent", range: 0...30, unit: "%", whole: false, presence: .optional),
        .init(key: "electricityEURPerMWh", range: 0...2000, unit: "€/MWh", whole: false, presence: .required),
        .init(key: "p2MaintenanceEURPerYear", range: 0...1e8, unit: "€/year", whole: false, presence: .required),
        .init(key: "p3RenewalEURPerYear", range: 0...1e8, unit: "€/year", whole: false, presence: .required),
        .init(key: "loanRatePercent", range: 0...30, unit: "%", whole: false, presence: .required),
        .init(key: "loanYears", range: 1...50, unit: "years", whole: true, presence: .required),
        .init(key: "r1EURPerMWhInclVAT", range: 0...1000, unit: "€/MWh", whole: false, presence: .required),
        .init(key: "r2EURPerKWInclVAT", range: 0...2000, unit: "€/kW", whole: false, presence: .required),
        .init(key: "heatVATPercent", range: 0...30, unit: "%", whole: false, presence: .required),
        .init(key: "subscribedKW", range: 0...1e6, unit: "kW", whole: false, presence: .optional),
        .init(key: "horizonYears", range: 1...60, unit: "years", whole: true, presence: .defaults(to: 24)),
        .init(key: "connectionFeeEUR", range: 0...1e9, unit: "€", whole: false, presence: .defaults(to: 0)),
        .init(key: "fossilEfficiencyPercent", range: 10...120, unit: "%", whole: false, presence: .required),
        .init(key: "fossilCO2TPerMWh", range: 0...2, unit: "t/MWh", whole: false, presence: .required),
        .init(key: "fossilSO2KgPerMWh", range: 0...50, unit: "kg/MWh", whole: false, presence: .required),
        .init(key: "gasEURPerMWhHHV", range: 0...1000, unit: "€/MWh", whole: false, presence: .optional),
        .init(key: "gasCO2TPerMWhLHV", range: 0...1, unit: "t/MWh", whole: false, presence: .defaults(to: 0.202)),
    ]
    /// The prefixes of named lines (`investment<Name>EUR`, `funding<Name>EUR`) and their range.
    public static let linePrefixes = ["investment", "funding"]
    public static let lineRange: ClosedRange<Double> = 0...1e10

    /// The name of a line key (`investmentCivilWorksEUR` → ("investment", "CivilWorks")), or nil.
    public static func line(_ key: String) -> (prefix: String, name: String)? {
        for p in linePrefixes where key.hasPrefix(p) && key.hasSuffix("EUR") && key.count > p.count + 3 {
            return (p, String(key.dropFirst(p.count).dropLast(3)))
        }
        return nil
    }

    /// Builds the terms from checked values by key; throws naming the first required input
    /// missing, or a key that is neither an input nor a line.
    public init(values: [String: Double]) throws(EconomicTermsError) {
        for key in values.keys.sorted() {
            let x = values[key]!
            if let f = Self.fields.first(where: { $0.key == key }) {
                guard x.isFinite, f.range.contains(x), !f.whole || x.rounded() == x else {
                    throw EconomicTermsError(key: key, message: "is \(x), outside \(f.range.lowerBound)…\(f.range.upperBound) \(f.unit)\(f.whole ? " or not whole" : "")")
                }
            } else if Self.line(key) != nil {
                guard x.isFinite, Self.lineRange.contains(x) else { throw EconomicTermsError(key: key, message: "is \(x), outside 0…1e10 €") }
            } else {
                throw EconomicTermsError(key: key, message: "is not an economic input")
            }
        }
        func v(_ key: String) throws(EconomicTermsError) -> Double {
            let f = Self.fields.first { $0.key == key }!
            if let x = values[key] { return x }
            guard case let .defaults(to: d) = f.presence else { throw EconomicTermsError(key: key, message: "is required (\(f.unit))", missing: true) }
            return d
        }
        func optional(_ key: String) -> Double? { values[key] }
        fuelPriceEURPerMWh = try v("fuelPriceEURPerMWh"); fuelVATPercent = optional("fuelVATPercent")
        electricityEURPerMWh = try v("electricityEURPerMWh")
        p2MaintenanceEURPerYear = try v("p2MaintenanceEURPerYear"); p3RenewalEURPerYear = try v("p3RenewalEURPerYear")
        loanRatePercent = try v("loanRatePercent"); loanYears = Int(try v("loanYears"))
        r1EURPerMWhInclVAT = try v("r1EURPerMWhInclVAT"); r2EURPerKWInclVAT = try v("r2EURPerKWInclVAT")
        heatVATPercent = try v("heatVATPercent"); subscribedKW = optional("subscribedKW")
        horizonYears = Int(try v("horizonYears")); connectionFeeEUR = try v("connectionFeeEUR")
        fossilEfficiencyPercent = try v("fossilEfficiencyPercent"); fossilCO2TPerMWh = try v("fossilCO2TPerMWh")
        fossilSO2KgPerMWh = try v("fossilSO2KgPerMWh")
        gasEURPerMWhHHV = optional("gasEURPerMWhHHV"); gasCO2TPerMWhLHV = try v("gasCO2TPerMWhLHV")
        var inv: [String: Double] = [:], fund: [String: Double] = [:]
        for (k, x) in values {
            guard let (prefix, name) = Self.line(k) else { continue }
            if prefix == "investment" { inv[name] = x } else { fund[name] = x }
        }
        investmentsEUR = inv; fundingEUR = fund
    }

    /// Every input given or defaulted, by key (lines as `investment<Name>EUR`…): what the
    /// historian keeps, and what `init(values:)` reads back.
    public var values: [String: Double] {
        var out: [String: Double] = [
            "fuelPriceEURPerMWh": fuelPriceEURPerMWh, "electricityEURPerMWh": electricityEURPerMWh,
            "p2MaintenanceEURPerYear": p2MaintenanceEURPerYear, "p3RenewalEURPerYear": p3RenewalEURPerYear,
            "loanRatePercent": loanRatePercent, "loanYears": Double(loanYears), "r1EURPerMWhInclVAT": r1EURPerMWhInclVAT,
            "r2EURPerKWInclVAT": r2EURPerKWInclVAT, "heatVATPercent": heatVATPercent, "horizonYears": Double(horizonYears),
            "connectionFeeEUR": connectionFeeEUR, "fossilEfficiencyPercent": fossilEfficiencyPercent,
            "fossilCO2TPerMWh": fossilCO2TPerMWh, "fossilSO2KgPerMWh": fossilSO2KgPerMWh, "gasCO2TPerMWhLHV": gasCO2TPerMWhLHV,
        ]
        if let x = fuelVATPercent { out["fuelVATPercent"] = x }
        if let x = subscribedKW { out["subscribedKW"] = x }
        if let x = gasEURPerMWhHHV { out["gasEURPerMWhHHV"] = x }
        for (n, x) in investmentsEUR { out["investment\(n)EUR"] = x }
        for (n, x) in fundingEUR { out["funding\(n)EUR"] = x }
        return out
    }

    /// The account's inputs: the investment lines summed; the funding lines as subsidies, less a
    /// VAT refund (FCTVA), which returns VAT the excl.-VAT investment does not carry.
    public var inputs: EconomicInputs {
        var i = EconomicInputs(
            investmentEUR: investmentsEUR.values.reduce(0, +),
            subsidiesEUR: fundingEUR.filter { !$0.key.lowercased().contains("fctva") },
            woodEURPerMWhLHV: fuelPriceEURPerMWh, electricityEURPerMWh: electricityEURPerMWh,
            p2EURPerYear: p2MaintenanceEURPerYear, p3EURPerYear: p3RenewalEURPerYear, loanRatePerYear: loanRatePercent / 100,
            loanYears: loanYears, r1EURPerMWhInclVAT: r1EURPerMWhInclVAT, r2EURPerKWInclVAT: r2EURPerKWInclVAT,
            heatVATRate: heatVATPercent / 100, connectionFeeEUR: connectionFeeEUR, horizonYears: horizonYears,
            fossilCO2TPerMWh: fossilCO2TPerMWh, fossilSO2KgPerMWh: fossilSO2KgPerMWh, fossilEfficiency: fossilEfficiencyPercent / 100)
        i.gasEURPerMWhHHV = gasEURPerMWhHHV ?? 0
        i.gasCO2TPerMWhLHV = gasCO2TPerMWhLHV
        return i
    }
}

/// An economic input missing or unknown.
public struct EconomicTermsError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let message: String
    /// A required input is missing (else: one out of range, or not an input).
    public var missing = false
    public var description: String { "\(key) \(message)" }
}
