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
    /// Of an investment line, by name: the plan year it is spent and its loan starts
    /// (`investment<Name>Year`, default 1), its loan's term and rate (`investment<Name>LoanYears`,
    /// `investment<Name>LoanRatePercent`, default `loanYears` and `loanRatePercent`).
    public var investmentYear: [String: Int]
    public var investmentLoanYears: [String: Int]
    public var investmentLoanRatePercent: [String: Double]
    /// P2 and P3 from a plan year on (`p2MaintenanceFromYear<N>EUR`, `p3RenewalFromYear<N>EUR`):
    /// € a year from year N until the next phase.
    public var p2FromYearEUR: [Int: Double]
    public var p3FromYearEUR: [Int: Double]
    /// Connection fee per subscribed kW, € excl. VAT, paid in the year a customer connects (beside
    /// the flat `connectionFeeEUR`).
    public var connectionFeeEURPerKW: Double
    /// The calendar year of the plan's first year (nil: the plan counts years 1, 2…).
    public var firstYear: Int?
    /// The individual-boiler reference each customer is compared with (nil: none given), from
    /// the `individual…` keys.
    public var individual: IndividualBoilerReference?
    /// The `individual…` keys as given (what the historian keeps).
    var individualGiven: [String: Double] = [:]

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
        .init(key: "connectionFeeEURPerKW", range: 0...10_000, unit: "€/kW", whole: false, presence: .defaults(to: 0)),
        .init(key: "firstYear", range: 1900...2200, unit: "year", whole: true, presence: .optional),
    ] + individualFields
    /// The individual-boiler reference: the first two switch it on, the others default (the
    /// efficiency to `fossilEfficiencyPercent`, P2 and P3 to 0, the loan rate to
    /// `loanRatePercent`, the loan to 15 years, the horizon to `horizonYears`, both VAT rates to
    /// 20 %).
    public static let individualFields: [Field] = [
        .init(key: "individualFuelEURPerMWh", range: 0...1000, unit: "€/MWh", whole: false, presence: .optional),
        .init(key: "individualBoilerEURPerKW", range: 0...5000, unit: "€/kW", whole: false, presence: .optional),
        .init(key: "individualEfficiencyPercent", range: 10...120, unit: "%", whole: false, presence: .optional),
        .init(key: "individualP2EURPerKWYear", range: 0...500, unit: "€/(kW·year)", whole: false, presence: .optional),
        .init(key: "individualP3EURPerKWYear", range: 0...500, unit: "€/(kW·year)", whole: false, presence: .optional),
        .init(key: "individualLoanRatePercent", range: 0...30, unit: "%", whole: false, presence: .optional),
        .init(key: "individualLoanYears", range: 1...50, unit: "years", whole: true, presence: .optional),
        .init(key: "individualHorizonYears", range: 1...60, unit: "years", whole: true, presence: .optional),
        .init(key: "individualFuelVATPercent", range: 0...30, unit: "%", whole: false, presence: .optional),
        .init(key: "individualServicesVATPercent", range: 0...30, unit: "%", whole: false, presence: .optional),
    ]
    /// The prefixes of named lines (`investment<Name>EUR`, `funding<Name>EUR`) and their range.
    public static let linePrefixes = ["investment", "funding"]
    public static let lineRange: ClosedRange<Double> = 0...1e10
    /// What an investment line may state beside its amount: suffix, range, unit, whole.
    public static let investmentAttributes: [(suffix: String, range: ClosedRange<Double>, unit: String, whole: Bool)] = [
        ("LoanRatePercent", 0...30, "%", false), ("LoanYears", 1...50, "years", true), ("Year", 1...60, "plan year", true),
    ]
    /// The prefixes of phased P2 and P3 (`p2MaintenanceFromYear<N>EUR`), and their range.
    public static let phasePrefixes = ["p2MaintenanceFromYear", "p3RenewalFromYear"]

    /// A named key: a line's amount (`investmentCivilWorksEUR` → ("investment", "CivilWorks", "EUR")),
    /// an investment line's attribute (`investmentCivilWorksYear` → (…, "Year")), or a phase
    /// (`p2MaintenanceFromYear3EUR` → ("p2MaintenanceFromYear", "3", "EUR")); nil for any other key.
    public static func line(_ key: String) -> (prefix: String, name: String, suffix: String)? {
        for p in phasePrefixes where key.hasPrefix(p) && key.hasSuffix("EUR") {
            let n = key.dropFirst(p.count).dropLast(3)
            if !n.isEmpty, n.allSatisfy(\.isASCII), n.allSatisfy(\.isNumber) { return (p, String(n), "EUR") }
            return nil
        }
        for p in linePrefixes where key.hasPrefix(p) {
            let rest = key.dropFirst(p.count)
            let suffixes = (p == "investment" ? investmentAttributes.map(\.suffix) : []) + ["EUR"]
            for sfx in suffixes where rest.hasSuffix(sfx) && rest.count > sfx.count {
                return (p, String(rest.dropLast(sfx.count)), sfx)
            }
        }
        return nil
    }

    /// Why a phase key (`p2MaintenanceFromYear<N>EUR`) cannot be taken: its plan year is not 2…60
    /// (year 1 is the base amount); nil for a good phase key or any other key.
    public static func phaseYearError(_ key: String) -> String? {
        guard let l = line(key), phasePrefixes.contains(l.prefix), !(Int(l.name).map { (2...60).contains($0) } ?? false) else { return nil }
        return "names plan year \(l.name), outside 2…60 (year 1 is the base amount)"
    }

    /// The range, unit and wholeness of a named key (see `line`), nil for any other key.
    public static func namedField(_ key: String) -> Field? {
        guard let l = line(key) else { return nil }
        if let a = investmentAttributes.first(where: { $0.suffix == l.suffix }) {
            return Field(key: key, range: a.range, unit: a.unit, whole: a.whole, presence: .optional)
        }
        if phasePrefixes.contains(l.prefix) {   // its plan year: `phaseYearError`
            return Field(key: key, range: 0...1e8, unit: "€/year", whole: false, presence: .optional)
        }
        return Field(key: key, range: lineRange, unit: "€", whole: false, presence: .optional)
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
            } else if let f = Self.namedField(key), let l = Self.line(key) {
                if let why = Self.phaseYearError(key) { throw EconomicTermsError(key: key, message: why) }
                guard x.isFinite, f.range.contains(x), !f.whole || x.rounded() == x else {
                    throw EconomicTermsError(key: key, message: "is \(x), outside \(f.range.lowerBound)…\(f.range.upperBound) \(f.unit)\(f.whole ? " or not whole" : "")")
                }
                if l.prefix == "investment", l.suffix != "EUR", values["investment\(l.name)EUR"] == nil {
                    throw EconomicTermsError(key: key, message: "is given without its line investment\(l.name)EUR")
                }
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
        connectionFeeEURPerKW = try v("connectionFeeEURPerKW")
        firstYear = optional("firstYear").map { Int($0) }
        if let given = Self.individualFields.first(where: { values[$0.key] != nil })?.key {
            guard let fuel = values["individualFuelEURPerMWh"], let boiler = values["individualBoilerEURPerKW"] else {
                throw EconomicTermsError(key: given, message: "needs individualFuelEURPerMWh and individualBoilerEURPerKW (the individual-boiler reference)")
            }
            individual = IndividualBoilerReference(
                fuelEURPerMWh: fuel, boilerEURPerKW: boiler,
                efficiency: (values["individualEfficiencyPercent"] ?? fossilEfficiencyPercent) / 100,
                p2EURPerKWYear: values["individualP2EURPerKWYear"] ?? 0, p3EURPerKWYear: values["individualP3EURPerKWYear"] ?? 0,
                loanRatePerYear: (values["individualLoanRatePercent"] ?? loanRatePercent) / 100,
                loanYears: Int(values["individualLoanYears"] ?? 15), horizonYears: Int(values["individualHorizonYears"] ?? Double(horizonYears)),
                fuelVATRate: (values["individualFuelVATPercent"] ?? 20) / 100, servicesVATRate: (values["individualServicesVATPercent"] ?? 20) / 100)
            individualGiven = Dictionary(uniqueKeysWithValues: Self.individualFields.compactMap { f in values[f.key].map { (f.key, $0) } })
        }
        var inv: [String: Double] = [:], fund: [String: Double] = [:]
        var year: [String: Int] = [:], loanYears: [String: Int] = [:], rate: [String: Double] = [:]
        var p2: [Int: Double] = [:], p3: [Int: Double] = [:]
        for (k, x) in values {
            guard let (prefix, name, suffix) = Self.line(k) else { continue }
            switch (prefix, suffix) {
            case ("investment", "EUR"): inv[name] = x
            case ("investment", "Year"): year[name] = Int(x)
            case ("investment", "LoanYears"): loanYears[name] = Int(x)
            case ("investment", "LoanRatePercent"): rate[name] = x
            case ("p2MaintenanceFromYear", _): p2[Int(name)!] = x
            case ("p3RenewalFromYear", _): p3[Int(name)!] = x
            default: fund[name] = x
            }
        }
        investmentsEUR = inv; fundingEUR = fund
        investmentYear = year; investmentLoanYears = loanYears; investmentLoanRatePercent = rate
        p2FromYearEUR = p2; p3FromYearEUR = p3
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
        out["connectionFeeEURPerKW"] = connectionFeeEURPerKW
        for (k, x) in individualGiven { out[k] = x }
        if let y = firstYear { out["firstYear"] = Double(y) }
        for (n, x) in investmentsEUR { out["investment\(n)EUR"] = x }
        for (n, x) in investmentYear { out["investment\(n)Year"] = Double(x) }
        for (n, x) in investmentLoanYears { out["investment\(n)LoanYears"] = Double(x) }
        for (n, x) in investmentLoanRatePercent { out["investment\(n)LoanRatePercent"] = x }
        for (n, x) in fundingEUR { out["funding\(n)EUR"] = x }
        for (y, x) in p2FromYearEUR { out["p2MaintenanceFromYear\(y)EUR"] = x }
        for (y, x) in p3FromYearEUR { out["p3RenewalFromYear\(y)EUR"] = x }
        return out
    }

    /// The investment lines as the plan finances them, by name (each with its year and loan).
    public var investments: [Investment] {
        investmentsEUR.keys.sorted().map { n in
            Investment(name: n, amountEUR: investmentsEUR[n]!, year: investmentYear[n] ?? 1,
                       loanRatePerYear: (investmentLoanRatePercent[n] ?? loanRatePercent) / 100, loanYears: investmentLoanYears[n] ?? loanYears)
        }
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
        i.investments = investments
        i.p2FromYearEUR = p2FromYearEUR; i.p3FromYearEUR = p3FromYearEUR
        i.connectionFeeEURPerKW = connectionFeeEURPerKW
        i.firstYear = firstYear
        i.individual = individual
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
