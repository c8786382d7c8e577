import SimulationCore
import Economics
import Foundation
import Historian

/// The colours of the charts. `scripts/check-report-screenshot.py` looks for them in a
/// headless browser's screenshot, so change both together.
enum ChartColor {
    static let loadCurve = "#d62728"
    static let wood = "#8fbc5a"
    static let gas = "#6baed6"
    static let heatPump = "#e6a23c"
    static let solar = "#f2d04b"
    static let recovered = "#b07aa1"
    static let capacity = "#7f7f7f"
    static let silo = "#8c564b"
    static let delivery = "#9467bd"
    static let boilerRun = "#2ca02c"
    static let outdoor = "#1f77b4"
    static let supply = "#ff7f0e"
    static let buildings = ["#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896", "#9467bd", "#c5b0d5",
                            "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#bcbd22", "#17becf"]
}

/// An SVG chart frame: plot area, axes with ticks and labels, and the mapping of data to pixels.
struct SVGChart {
    let width = 900.0, height = 320.0
    let left = 70.0, right = 20.0, bottom = 45.0
    /// Below the title; lower when the legend needs a row of its own.
    let top: Double
    let legendRow: Bool
    var yTicks = true
    let xMin: Double, xMax: Double, yMin: Double, yMax: Double
    let title: String, xLabel: String, yLabel: String
    var body = ""

    init(title: String, xLabel: String, yLabel: String, x: ClosedRange<Double>, y: ClosedRange<Double>, legendRow: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.legendRow = legendRow
        top = legendRow ? 50 : 30
        xMin = x.lowerBound; xMax = x.upperBound > x.lowerBound ? x.upperBound : x.lowerBound + 1
        yMin = y.lowerBound; yMax = y.upperBound > y.lowerBound ? y.upperBound : y.lowerBound + 1
    }
    func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (width - left - right) }
    func py(_ y: Double) -> Double { height - bottom - (y - yMin) / (yMax - yMin) * (height - top - bottom) }

    static func niceStep(_ span: Double, ticks: Int = 6) -> Double {
        let raw = span / Double(ticks)
        let mag = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * mag >= raw { return m * mag }
        return 10 * mag
    }
    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    mutating func polyline(_ pts: [(Double, Double)], color: String, width w: Double = 2, dash: String? = nil) {
        guard !pts.isEmpty else { return }
        let d = pts.map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
        body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(w)\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") points=\"\(d)\"/>\n"
    }
    /// A filled area between two curves given at the same x (upper left to right, then lower back).
    mutating func area(upper: [(Double, Double)], lower: [(Double, Double)], color: String) {
        guard !upper.isEmpty else { return }
        let d = (upper + lower.reversed()).map { String(format: "%.1f,%.1f", px($0.0), py($0.1)) }.joined(separator: " ")
        body += "<polygon fill=\"\(color)\" stroke=\"none\" points=\"\(d)\"/>\n"
    }
    mutating func rect(x0: Double, x1: Double, y0: Double, y1: Double, color: String, title: String? = nil) {
        let a = px(x0), b = px(x1), c = py(y1), d = py(y0)
        body += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\">", a, c, max(0.8, b - a), max(0, d - c), color)
            + (title.map { "<title>\(Self.esc($0))</title>" } ?? "") + "</rect>\n"
    }
    mutating func label(_ text: String, x: Double, y: Double, color: String = "#333", anchor: String = "start") {
        body += String(format: "<text x=\"%.1f\" y=\"%.1f\" fill=\"%@\" font-size=\"12\" text-anchor=\"%@\">", px(x), py(y) - 4, color, anchor) + Self.esc(text) + "</text>\n"
    }

    func svg(xTicks: [(Double, String)]? = nil, legend: [(String, String)] = []) -> String {
        var o = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">\n"
        o += "<title>\(Self.esc(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        o += "<text x=\"\(left)\" y=\"18\" font-size=\"15\" font-weight=\"bold\">\(Self.esc(title))</text>\n"
        let ys = Self.niceStep(yMax - yMin)
        var y = (yMin / ys).rounded(.up) * ys
        while yTicks && y <= yMax + 1e-9 {
            o += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>", left, width - right, py(y), py(y))
            o += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%@</text>\n", left - 6, py(y) + 4, ys < 1 ? String(format: "%.1f", y) : String(format: "%.0f", y))
            y += ys
        }
        let ticks: [(Double, String)] = xTicks ?? {
            let xs = Self.niceStep(xMax - xMin, ticks: 8)
            return stride(from: (xMin / xs).rounded(.up) * xs, through: xMax, by: xs).map { ($0, String(format: "%.0f", $0)) }
        }()
        for (x, l) in ticks {
            o += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%@</text>\n", px(x), height - bottom + 16, Self.esc(l))
        }
        o += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>", left, width - right, height - bottom, height - bottom)
        o += String(format: "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n", left, left, top, height - bottom)
        o += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\">%@</text>\n", (left + width - right) / 2, height - 6, Self.esc(xLabel))
        o += String(format: "<text transform=\"translate(14 %.1f) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">%@</text>\n", (top + height - bottom) / 2, Self.esc(yLabel))
        o += body
        // the legend: right-aligned beside the title, or on a row of its own under it
        var lx = legendRow ? left : width - right - 10
        let ly = legendRow ? 28.0 : 8.0
        for (name, color) in legendRow ? legend : legend.reversed() {
            let w = Double(name.count) * 6.5 + 22
            if !legendRow { lx -= w }
            o += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%@\"/><text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%@</text>\n", lx, ly, color, lx + 16, ly + 10, Self.esc(name))
            if legendRow { lx += w }
        }
        return o + "</svg>\n"
    }
}

extension OperatingReport {
    /// One self-contained HTML file: the report's tables and five charts drawn as inline SVG.
    public var html: String {
        let a = account
        func td(_ s: String, num: Bool = true) -> String { "<td\(num ? " class=\"n\"" : "")>\(SVGChart.esc(s))</td>" }
        func f(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }
        var o = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Chaufferie report — \(SVGChart.esc(session.scenarioName))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; max-width: 960px; }
        table { border-collapse: collapse; margin: 8px 0 20px; font-size: 13px; }
        td, th { border: 1px solid #ccc; padding: 3px 8px; } th { background: #f2f2f2; text-align: left; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.flag td { background: #fde2e2; }
        figure { margin: 0 0 24px; } .scroll { overflow-x: auto; }
        </style></head><body>
        <h1>Chaufferie report — \(SVGChart.esc(session.scenarioName))</h1>
        <p>Historian <code>\(SVGChart.esc(db))</code>, session \(session.id) (<code>\(SVGChart.esc(session.command))</code>): \(SVGChart.esc(periodText)).\(lostSamples > 0 ? " <strong>\(lostSamples) samples were lost while recording.</strong>" : "")</p>

        """
        // charts
        o += "<h2>Charts</h2>\n<figure id=\"load-duration\">" + loadDurationSVG + "</figure>\n"
        o += "<figure id=\"monthly-heat\">" + monthlySVG + "</figure>\n"
        o += "<figure id=\"silo\">" + siloSVG + "</figure>\n"
        o += "<figure id=\"boilers\">" + boilerRunSVG + "</figure>\n"
        o += "<figure id=\"temperatures\">" + temperatureSVG + "</figure>\n"

        o += "<h2>Study vs measured</h2>\n<table><tr><th>figure</th><th>unit</th><th>study</th><th>measured</th><th>deviation</th><th>how measured</th></tr>\n"
        for c in comparisons {
            o += "<tr\(c.flagged ? " class=\"flag\"" : "")>" + td(c.label, num: false) + td(c.unit, num: false) + td(f(c.study))
                + td(c.measured.map { f($0) } ?? "—") + td(c.deviationPercent.map { String(format: "%+.1f %%", $0) } ?? "") + td(c.note, num: false) + "</tr>\n"
        }
        o += "</table>\n<p>Rows in red deviate by more than ±10 %. Every measured figure is computed from the historian.</p>\n"

        o += "<h2>Energy balance over the period (MWh)</h2>\n<table>"
        let pumpRows: [(String, Double)] = heatPumpHeatMWh > 0
            ? [("heat pumps' condensers", heatPumpHeatMWh), ("  of which from the source", heatPumpSourceMWh), ("heat pumps' electricity", heatPumpElectricityMWh),
               ("heat pumps' output", heatPumpOutputMWh)] : []
        let solarRows: [(String, Double)] = (solarMWh != 0 ? [("solar fields", solarMWh)] : []) + (recoveredMWh > 0 ? [("recovered heat", recoveredMWh)] : [])
        for (k, v) in [("combustion", combustionMWh)] + pumpRows + solarRows + [("boiler output", boilerOutputMWh), ("sent into the network", networkOutputMWh),
                       ("taken by the substations", deliveredMWh), ("metered (sold)", meteredMWh), ("network losses", networkLossMWh),
                       ("buffer losses", bufferLossMWh), ("boiler shell losses", shellLossMWh), ("make-up water heating", makeUpHeatMWh), ("stored change", storedChangeMWh),
                       ("residual", balanceResidualMWh)] as [(String, Double)] {
            o += "<tr>" + td(k, num: false) + td(f(v, 3)) + "</tr>"
        }
        o += "</table>\n<h2>Customers</h2>\n<table><tr><th>customer</th><th>sold (MWh)</th><th>study (MWh/year)</th><th>subscribed (kW)</th></tr>\n"
        for c in customers { o += "<tr>" + td(c.name, num: false) + td(f(c.soldMWh)) + td(f(c.studyMWh, 0)) + td(f(c.subscribedKW, 0)) + "</tr>\n" }
        o += "</table>\n<h2>Logistics</h2>\n<table>"
        o += "<tr>" + td("wood burned (silo drop + deliveries)", num: false) + td(f(measured.woodBurnedM3) + " m³ = " + f(measured.woodMWhLHV) + " MWh LHV") + "</tr>"
        o += "<tr>" + td("boilers' fuel counters", num: false) + td(f(woodFuelCounterMWh) + " MWh LHV") + "</tr>"
        o += "<tr>" + td("trucks / ash / electricity", num: false) + td("\(measured.trucks) / \(f(measured.ashKg, 0)) kg / \(f(measured.electricityMWh)) MWh") + "</tr>"
        for b in boilers { o += "<tr>" + td("boiler \(b.id)", num: false) + td("\(f(b.runHours, 0)) h, \(f(b.starts, 0)) starts, \(f(b.heatMWh)) MWh") + "</tr>" }
        o += "</table>\n"

        let r2 = a.r2Split
        o += "<h2>Operator's account, per year (€ excl. VAT)</h2>\n<table>"
        for (k, v) in [("R1 (\(f(a.inputs.tariff.r1EURPerMWh, 2)) €/MWh × \(f(a.soldMWh)) MWh)", a.r1EUR),
                       ("R2 (\(f(a.inputs.tariff.r2EURPerKW, 2)) €/kW × \(f(a.subscribedKW, 0)) kW)", a.r2EUR),
                       ("  R21 electricity", r2.electricity), ("  R22 routine maintenance", r2.maintenance),
                       ("  R23 major maintenance and renewal", r2.renewal), ("  R24 annuities", r2.annuities),
                       ("revenue excl. VAT", a.revenueExclVATEUR), ("revenue incl. VAT", a.revenueInclVATEUR),
                       ("P1 fuel", a.p1FuelEUR), ("P1 gas", a.p1GasEUR), ("P1 recovered heat", a.p1RecoveredEUR), ("P1 electricity", a.p1ElectricityEUR), ("P2 operation and maintenance", a.p2EUR),
                       ("P3 renewal provision", a.p3EUR), ("P4 financing", a.p4EUR), ("total costs", a.totalCostsEUR), ("gross result", a.grossResultEUR)] {
            o += "<tr>" + td(k, num: false) + td(f(v, 0)) + "</tr>"
        }
        o += "</table>\n<p>Environment: \(f(a.fossilReplacedMWh, 0)) MWh of fossil fuel replaced (\(f(a.fossilReplacedToe)) toe), \(f(a.co2AvoidedT, 0)) t CO2 and \(f(a.so2AvoidedKg, 0)) kg SO2 avoided; renewable share \(f(a.renewableShare * 100)) %. Network: \(f(a.heatDensityMWhPerM, 2)) MWh/m (\(SVGChart.esc(a.heatDensityBand.rawValue))), losses \(f(a.lossesPercent)) %, \(f(a.fullLoadHours, 0)) full-load hours.</p>\n"

        o += "<h2>Price of heat over \(a.inputs.horizonYears) years</h2>\n<table><tr><th>aid</th><th>subsidies (€)</th><th>at cost excl. VAT (€/MWh)</th><th>incl. VAT</th><th>tariff's average excl. VAT</th><th>incl. VAT</th><th>simple payback</th></tr>\n"
        for (name, sub) in a.aidLevels {
            let p = a.businessPlan(subsidiesEUR: sub)
            o += "<tr>" + td(name, num: false) + td(f(sub, 0)) + td(f(p.costPriceEURPerMWh, 2)) + td(f(p.costPriceEURPerMWh * (1 + a.inputs.heatVATRate), 2))
                + td(f(p.averagePriceEURPerMWh, 2)) + td(f(p.averagePriceInclVATEURPerMWh, 2)) + td(a.simplePaybackYears(subsidiesEUR: sub).map { f($0) + " years" } ?? "never") + "</tr>\n"
        }
        o += "</table>\n"
        if let ref = a.inputs.individual {
            o += "<h3>Beside individual boilers (€/MWh over \(ref.horizonYears) years)</h3>\n<table><tr><th>customer</th><th>MWh/year</th><th>kW</th><th>individual excl. VAT</th><th>incl. VAT</th><th>network excl. VAT</th><th>incl. VAT</th><th>network vs individual</th></tr>\n"
            for c in a.individualComparison {
                o += "<tr>" + td(c.id, num: false) + td(f(c.annualMWh)) + td(f(c.subscribedKW, 0)) + td(f(c.individualEURPerMWh, 2)) + td(f(c.individualInclVATEURPerMWh, 2))
                    + td(f(c.networkEURPerMWh, 2)) + td(f(c.networkInclVATEURPerMWh, 2)) + td(String(format: "%+.1f %%", c.networkVsIndividualPercent)) + "</tr>\n"
            }
            o += "</table>\n"
        }
        let plan = a.businessPlan(subsidiesEUR: a.inputs.totalSubsidiesEUR)
        o += "<h3>Business plan with all subsidies (€ excl. VAT)</h3>\n<div class=\"scroll\"><table><tr><th></th>" + plan.years.map { "<th>\($0.calendarYear ?? $0.year)</th>" }.joined() + "</tr>\n"
        let rows: [(String, (BusinessPlan.Year) -> Double)] = [
            ("sold (MWh)", { $0.soldMWh }), ("subscribed (kW)", { $0.subscribedKW }), ("produced (MWh useful)", { $0.producedMWh }),
            ("wood (MWh LHV)", { $0.woodMWhLHV }), ("gas (MWh HHV)", { $0.gasMWhHHV }), ("R1", { $0.r1EUR }), ("R2", { $0.r2EUR }),
            ("R21 electricity", { $0.r2Split.electricity }), ("R22 maintenance", { $0.r2Split.maintenance }),
            ("R23 renewal", { $0.r2Split.renewal }), ("R24 annuities", { $0.r2Split.annuities }),
            ("connection fees", { $0.connectionFeesEUR }), ("total revenue", { $0.totalRevenueEUR }), ("P1 fuel", { $0.p1FuelEUR }),
            ("P1 electricity", { $0.p1ElectricityEUR }), ("P2", { $0.p2EUR }), ("P3", { $0.p3EUR }), ("P4", { $0.p4EUR }),
            ("total costs", { $0.totalCostsEUR }), ("gross result", { $0.grossResultEUR }),
        ]
        for (name, value) in rows { o += "<tr>" + td(name, num: false) + plan.years.map { td(f(value($0), 0)) }.joined() + "</tr>\n" }
        o += "</table></div>\n</body></html>\n"
        return o
    }

    var monthTicks: [(Double, String)] {
        var ticks: [(Double, String)] = []
        var last = ""
        for d in 0..<max(1, Int(measured.days)) {
            let iso = CivilTime.iso(startDate: session.startDate, seconds: t0 + Int64(d) * 86400)
            let m = String(iso.dropFirst(5).prefix(2))
            if m != last { ticks.append((Double(d), ["01": "Jan", "02": "Feb", "03": "Mar", "04": "Apr", "05": "May", "06": "Jun", "07": "Jul", "08": "Aug", "09": "Sep", "10": "Oct", "11": "Nov", "12": "Dec"][m] ?? m)); last = m }
        }
        return ticks.count > 14 ? stride(from: 0, to: ticks.count, by: ticks.count / 12).map { ticks[$0] } : ticks
    }

    var loadDurationSVG: String {
        let sorted = hourlyNetworkKW.sorted(by: >)
        let cap = measured.installedKW, one = measured.installedKW - measured.largestBoilerKW
        var c = SVGChart(title: "Load duration curve of hourly production", xLabel: "hours of the period, sorted", yLabel: "kW",
                         x: 0...Double(max(1, sorted.count)), y: 0...max(cap, sorted.first ?? 0) * 1.1)
        let step = max(1, sorted.count / 600)
        // the boilers' output by source in merit order, its hours sorted by the total: heat pumps
        // at the bottom, wood above, gas on top
        let order = hourlyProducedKW.indices.sorted { hourlyProducedKW[$0] > hourlyProducedKW[$1] }
        let xs = Array(stride(from: 0, to: order.count, by: step))
        func rec(_ i: Int) -> Double { i < hourlyRecoveredKW.count ? max(0, min(hourlyRecoveredKW[i], hourlyProducedKW[i])) : 0 }
        func sun(_ i: Int) -> Double { (i < hourlySolarKW.count ? max(0, min(hourlySolarKW[i], hourlyProducedKW[i] - rec(i))) : 0) + rec(i) }
        func pump(_ i: Int) -> Double { (i < hourlyHeatPumpKW.count ? max(0, min(hourlyHeatPumpKW[i], hourlyProducedKW[i] - sun(i))) : 0) + sun(i) }
        func gas(_ i: Int) -> Double { i < hourlyGasKW.count ? min(hourlyGasKW[i], hourlyProducedKW[i] - pump(i)) : 0 }
        let total = xs.map { (Double($0), hourlyProducedKW[order[$0]]) }
        let pumps = xs.map { (Double($0), pump(order[$0])) }
        let wood = xs.map { (Double($0), hourlyProducedKW[order[$0]] - gas(order[$0])) }
        let base = xs.map { (Double($0), 0.0) }
        let hasPumps = heatPumpOutputMWh > 0, hasWood = !boilers.isEmpty, hasSolar = solarMWh > 0
        let suns = xs.map { (Double($0), sun(order[$0])) }
        let hasRecovered = recoveredMWh > 0
        let recs = xs.map { (Double($0), rec(order[$0])) }
        if hasRecovered { c.area(upper: recs, lower: base, color: ChartColor.recovered) }
        if hasSolar { c.area(upper: suns, lower: hasRecovered ? recs : base, color: ChartColor.solar) }
        if hasPumps { c.area(upper: pumps, lower: hasSolar || hasRecovered ? suns : base, color: ChartColor.heatPump) }
        if hasWood { c.area(upper: wood, lower: hasPumps || hasSolar || hasRecovered ? pumps : base, color: ChartColor.wood) }
        let hasGas = gasOutputMWh > 0
        if hasGas { c.area(upper: total, lower: wood, color: ChartColor.gas) }
        c.polyline(stride(from: 0, to: sorted.count, by: step).map { (Double($0), sorted[$0]) } + [(Double(sorted.count), sorted.last ?? 0)], color: ChartColor.loadCurve, width: 3)
        c.polyline([(0, cap), (Double(sorted.count), cap)], color: ChartColor.capacity, dash: "6 4")
        c.label("cascade capacity \(Int(cap)) kW", x: Double(sorted.count) * 0.6, y: cap, color: ChartColor.capacity)
        c.polyline([(0, one), (Double(sorted.count), one)], color: ChartColor.capacity, width: 1.5, dash: "2 3")
        c.label("one boiler out \(Int(one)) kW", x: Double(sorted.count) * 0.6, y: one, color: ChartColor.capacity)
        return c.svg(legend: [("hourly heat sent into the network", ChartColor.loadCurve)]
                     + (hasRecovered ? [("recovered heat", ChartColor.recovered)] : []) + (hasSolar ? [("solar fields", ChartColor.solar)] : []) + (hasPumps ? [("heat pumps", ChartColor.heatPump)] : []) + (hasWood ? [("wood boilers", ChartColor.wood)] : [])
                     + (hasGas ? [("gas boilers", ChartColor.gas)] : []))
    }

    var monthlySVG: String {
        let n = monthLabels.count
        let totals = (0..<n).map { m in customers.reduce(0) { $0 + $1.monthlyMWh[m] } }
        var c = SVGChart(title: "Monthly heat sold per building", xLabel: "month", yLabel: "MWh", x: 0...Double(max(1, n)),
                         y: 0...max(1, (totals.max() ?? 1) * 1.1), legendRow: true)
        for m in 0..<n {
            var base = 0.0
            for (i, cu) in customers.enumerated() {
                let v = cu.monthlyMWh[m]
                c.rect(x0: Double(m) + 0.15, x1: Double(m) + 0.85, y0: base, y1: base + v, color: ChartColor.buildings[i % ChartColor.buildings.count],
                       title: "\(cu.name) \(monthLabels[m]): \(String(format: "%.1f", v)) MWh")
                base += v
            }
        }
        let ticks = (0..<n).map { (Double($0) + 0.5, monthLabels[$0]) }
        return c.svg(xTicks: ticks, legend: customers.enumerated().map { ($1.id, ChartColor.buildings[$0 % ChartColor.buildings.count]) })
    }

    var siloSVG: String {
        let days = measured.days
        let maxLevel = max(siloLevel.map(\.v).max() ?? 1, session.facts["silo.gross_m3"] ?? 0)
        var c = SVGChart(title: "Silo level and deliveries", xLabel: "day of the period", yLabel: "m³", x: 0...max(1, days), y: 0...maxLevel * 1.05)
        c.polyline(siloLevel.map { (Double($0.t - t0) / 86400, $0.v) }, color: ChartColor.silo, width: 2.5)
        for d in deliveries {
            let x = (d.t - Double(t0)) / 86400
            c.rect(x0: x - days * 0.002, x1: x + days * 0.002, y0: 0, y1: maxLevel * 0.12, color: ChartColor.delivery, title: d.text)
        }
        return c.svg(xTicks: monthTicks, legend: [("level", ChartColor.silo), ("delivery", ChartColor.delivery)])
    }

    var boilerRunSVG: String {
        let days = measured.days
        var c = SVGChart(title: "Boiler run pattern (flame in the furnace)", xLabel: "day of the period", yLabel: "boiler",
                         x: 0...max(1, days), y: 0...Double(max(1, boilers.count)))
        c.yTicks = false
        for (i, b) in boilers.enumerated() {
            let y = Double(boilers.count - 1 - i)
            for r in b.runs { c.rect(x0: Double(r.0 - t0) / 86400, x1: Double(r.1 - t0) / 86400, y0: y + 0.15, y1: y + 0.85, color: ChartColor.boilerRun) }
            c.label(b.id, x: 0, y: y + 0.85, color: "#000")
        }
        return c.svg(xTicks: monthTicks, legend: [("running", ChartColor.boilerRun)])
    }

    var temperatureSVG: String {
        let lo = min(outdoorDaily.min() ?? 0, 0) - 2, hi = max(supplyDaily.max() ?? 80, 20) + 5
        var c = SVGChart(title: "Outdoor and network supply temperature (daily means)", xLabel: "day of the period", yLabel: "°C",
                         x: 0...Double(max(1, outdoorDaily.count)), y: lo...hi)
        c.polyline(outdoorDaily.enumerated().map { (Double($0.offset) + 0.5, $0.element) }, color: ChartColor.outdoor, width: 2.5)
        c.polyline(supplyDaily.enumerated().map { (Double($0.offset) + 0.5, $0.element) }, color: ChartColor.supply, width: 2.5)
        return c.svg(xTicks: monthTicks, legend: [("outdoor", ChartColor.outdoor), ("network supply", ChartColor.supply)])
    }
}
