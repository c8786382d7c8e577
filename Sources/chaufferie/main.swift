import ArgumentParser
import Foundation
import Logging
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training

// Logs go to standard error with their level (swift-log's stream handler); the level is set by
// CHAUFFERIE_LOG_LEVEL (trace, debug, info, notice, warning, error, critical; default info).
// What a command prints as its result (banners, reports, JSON) is its output, not a log.
let level = ProcessInfo.processInfo.environment["CHAUFFERIE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
LoggingSystem.bootstrap { label in
    var h = StreamLogHandler.standardError(label: label)
    h.logLevel = level
    return h
}
Chaufferie.main()
