import Foundation

/// An error in a weather file, naming the file, the line and the field.
public struct WeatherFileError: Error, CustomStringConvertible, Sendable {
    public let file: String, line: Int, field: String, message: String
    public var description: String { "\(file):\(line): \(field): \(message)" }
    public init(file: String, line: Int, field: String, message: String) {
        self.file = file; self.line = line; self.field = field; self.message = message
    }
}

/// Readers for measured or typical-year weather files.
public enum WeatherImport {
    /// Reads a CSV of `timestamp,outdoor °C` rows at a constant hourly step (header optional;
    /// timestamps `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`), aligned on the scenario's `start`.
    public static func csv(text: String, file: String, start: CivilDate) throws -> WeatherSeries {
        var values: [Double] = []
        var firstHour: Int? = nil
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cols.count == 2 else {
                throw WeatherFileError(file: file, line: lineNo, field: "row", message: "expected 2 columns (timestamp, outdoor °C), found \(cols.count)")
            }
            guard let hour = parseTimestampHours(cols[0], start: start) else {
                if values.isEmpty && firstHour == nil && Double(cols[1]) == nil { continue }  // header
                throw WeatherFileError(file: file, line: lineNo, field: "timestamp", message: "'\(cols[0])' is not YYYY-MM-DDTHH:MM on the hour")
            }
            guard let t = Double(cols[1]), t.isFinite, t > -60, t < 60 else {
                throw WeatherFileError(file: file, line: lineNo, field: "temperature", message: "'\(cols[1])' is not an outdoor temperature in °C between -60 and 60")
            }
            if let f = firstHour {
                let expected = f + values.count
                guard hour == expected else {
                    throw WeatherFileError(file: file, line: lineNo, field: "timestamp", message: "expected the next hour (\(expected - f) h after the first row), found \(hour - f) h")
                }
            } else {
                guard hour <= 0 else {
                    throw WeatherFileError(file: file, line: lineNo, field: "timestamp", message: "the file starts after the scenario's start \(start)")
                }
                firstHour = hour
            }
            values.append(t)
        }
        guard let f = firstHour, values.count + f >= 2 else {
            throw WeatherFileError(file: file, line: lineNo, field: "rows", message: "no hourly rows covering the scenario's start \(start)")
        }
        return WeatherSeries(hourlyC: Array(values.dropFirst(-f)), source: file)
    }

    /// Hours from `start` 00:00 to a timestamp `YYYY-MM-DDTHH:MM`, or nil when malformed or not
    /// on the hour.
    public static func parseTimestampHours(_ s: String, start: CivilDate) -> Int? {
        let parts = s.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2, let date = CivilDate(iso: String(parts[0])) else { return nil }
        let hm = parts[1].split(separator: ":")
        guard hm.count >= 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), m == 0 else { return nil }
        if hm.count == 3 { guard Int(hm[2]) == 0 else { return nil } }
        return (date.daysSinceEpoch - start.daysSinceEpoch) * 24 + h
    }

    /// Reads an EnergyPlus EPW file: 8 header lines, then one row per hour with month (field 2),
    /// day (3), hour 1–24 (4) and dry-bulb temperature (7). A typical year's rows are laid on the
    /// scenario's calendar by month and day, starting at `start`, for `days` days.
    public static func epw(text: String, file: String, start: CivilDate, days: Int) throws -> WeatherSeries {
        var byDay: [Int: [Double]] = [:]   // month*100+day → 24 hourly values
        var ghiByDay: [Int: [Double]] = [:]   // the same, global horizontal radiation (field 14), Wh/m²
        var ghiComplete = true
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            if lineNo <= 8 { continue }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 7 else {
                throw WeatherFileError(file: file, line: lineNo, field: "row", message: "expected at least 7 fields, found \(f.count)")
            }
            guard let month = Int(f[1]), (1...12).contains(month) else { throw WeatherFileError(file: file, line: lineNo, field: "month", message: "'\(f[1])' is not 1-12") }
            guard let day = Int(f[2]), (1...31).contains(day) else { throw WeatherFileError(file: file, line: lineNo, field: "day", message: "'\(f[2])' is not 1-31") }
            guard let hour = Int(f[3]), (1...24).contains(hour) else { throw WeatherFileError(file: file, line: lineNo, field: "hour", message: "'\(f[3])' is not 1-24") }
            guard let t = Double(f[6]), t > -60, t < 60 else { throw WeatherFileError(file: file, line: lineNo, field: "dry bulb temperature", message: "'\(f[6])' is not °C between -60 and 60") }
            byDay[month * 100 + day, default: [Double](repeating: .nan, count: 24)][hour - 1] = t
            if f.count >= 14, let g = Double(f[13]), g >= 0, g < 1500 {
                ghiByDay[month * 100 + day, default: [Double](repeating: .nan, count: 24)][hour - 1] = g
            } else { ghiComplete = false }
        }
        var out: [Double] = [], ghi: [Double] = []
        out.reserveCapacity(days * 24 + 1)
        for i in 0...days {
            let date = CivilDate(daysSinceEpoch: start.daysSinceEpoch + i)
            let key = date.month == 2 && date.day == 29 ? 228 : date.month * 100 + date.day
            guard let row = byDay[key], !row.contains(where: { $0.isNaN }) else {
                throw WeatherFileError(file: file, line: lineNo, field: "rows", message: "no complete 24 hours for \(date.month)-\(date.day)")
            }
            out.append(contentsOf: i == days ? [row[0]] : row)
            // an hour's irradiation (Wh/m²) is its mean irradiance (W/m²); the row of hour h ends at h
            if let g = ghiByDay[key], !g.contains(where: { $0.isNaN }) { ghi.append(contentsOf: i == days ? [g[0]] : g) } else { ghiComplete = false }
        }
        return WeatherSeries(hourlyC: out, source: file, hourlyGHI: ghiComplete ? ghi : nil)
    }
}
