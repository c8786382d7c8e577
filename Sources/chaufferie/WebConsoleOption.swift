import ArgumentParser
import Serving

/// `serve --web HOST:PORT|off` and `--web-token`: the web console beside the daemon.
enum WebConsoleOption {
    /// Starts the console for `daemon` unless `web` is `off`; returns what to tell the user (the
    /// address, or why there is no console: the plant runs and serves Modbus without it).
    static func start(_ web: String, token: String?, devices: [ServedDevice], daemon: Daemon) throws -> String {
        guard web != "off" else { return "" }
        let parts = web.split(separator: ":")
        guard parts.count == 2, let p = UInt16(parts[1]) else { throw ValidationError("--web: give IPV4:PORT such as 127.0.0.1:8080, or off") }
        var said = ""
        if !parts[0].hasPrefix("127.") && token == nil {
            said = "chaufferie: warning: the web console on \(parts[0]) lets anyone who reaches it inject faults; give --web-token\n"
        }
        let historian = daemon.recording.map { (path: $0.recorder.path, session: $0.recorder.sessionID) }
        let console = ControlAPI(console: ConsoleFeed(devices: devices, historian: historian, token: token))
        do {
            try console.start(host: String(parts[0]), port: p)
            daemon.web = console
            return said + "chaufferie: web console on http://\(parts[0]):\(console.port)/\n"
        } catch {
            return said + "chaufferie: no web console: \(error)\n"
        }
    }
}
