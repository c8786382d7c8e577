// Benchmark of the historian's writer alone: how many samples a second it commits into a new
// SQLite file (WAL, one transaction per batch), for the rate it leaves the simulation.
// Usage: historian-bench [samples] [file]
import Foundation
import Logging
import Historian

let n = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2_000_000 : 2_000_000
let path = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : NSTemporaryDirectory() + "historian-bench.db"
for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
let tags = (0..<300).map { TagDefinition(name: "bench.tag\($0)", unit: "°C", kind: .analog, resolution: 0.01, deadband: 0.5) }
let info = SessionInfo(scenarioFile: "bench", scenarioName: "bench", startDate: "2025-01-01", periodS: 60, command: "historian-bench", seed: 1)
let r = try Recorder(path: path, session: info, tags: tags, logger: Logger(label: "historian-bench"))
let clock = ContinuousClock()
let start = clock.now
// 300 tags, a sample of each every 60 s, values wandering like temperatures
var batch: [Sample] = []
var i = 0
var t: Int64 = 0
while i < n {
    for (k, id) in r.tagIDs.enumerated() where i < n {
        batch.append(Sample(t: t, tag: id, value: Int64(5000 + (k * 37 + Int(t / 60) * 13) % 2000)))
        i += 1
    }
    t += 60
    if batch.count >= 30_000 { r.enqueue(samples: batch, lastT: t); batch.removeAll(keepingCapacity: true) }
}
r.enqueue(samples: batch, lastT: t)
let st = r.close()
let d = clock.now - start
let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
print(String(format: "%d samples committed in %.2f s: %.0f samples/s; file %.1f MB (%.1f bytes per sample); lost %d",
             st.committedSamples, s, Double(st.committedSamples) / s, Double(size) / 1e6, Double(size) / Double(max(1, st.committedSamples)), st.lostSamples))
