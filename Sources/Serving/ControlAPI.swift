import Foundation
import PlantRecording
import SimulationCore
import Training
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
#if canImport(Glibc)
import Glibc
#endif

/// The instructor's control interface of a running daemon: HTTP/1.1 on loopback (JSON in and
/// out) served by Hummingbird, used by `chaufferie fault|alarms|speed|deliver`.
///
///     GET  /status                      clock, speed
///     GET  /alarms                      every alarm with its state
///     POST /alarms/ack     {"id": "B2.FAULT"}   (no id: all)
///     POST /faults         {"kind": "boilerFault", "boiler": "B2", "fault": "augerJam"}
///                          {"kind": "meterFault" | "secondaryPumpFault" | "valveStuck", "building": "ecole"}
///                          {"kind": "networkPumpFault"}, {"kind": "bufferSensor"}
///                          {"kind": "leak", "m3PerH": 1.0}
///                          {"kind": "outdoorSensor", "mode": "failed" | "drift", "driftK": 3}
///                          {"kind": "commFault", "unit": 12, "mode": "late", "delayMs": 500}
///     POST /faults/clear   the same bodies: the fault ends (a boiler fault: its reset)
///     POST /speed          {"speed": 600}
///     POST /deliver        {"trucks": 2}
///     POST /outdoor        {"C": -15} holds the outdoor temperature; {"release": 1} gives it back to the weather
///
/// The same server with a `console` (`serve --web`) also serves the web console: `GET /` (the
/// page), `/live` (the snapshot as server-sent events), `/points`, `/trend?tags=…&hours=…`,
/// `/trend/tags`, `/alarms/history?hours=…` and `/metrics` (Prometheus text format), answered without the daemon; with a
/// token, its POSTs need `Authorization: Bearer <token>` (403 otherwise).
///
/// Connections are served concurrently (SwiftNIO event loops), so a slow or hostile client holds
/// up nobody else. Limits (`Limits`): a request's headers at most 8 KiB (431 beyond), its body at
/// most 64 KiB (413 beyond, refused from the announced length before any of it is read), and a
/// request must arrive whole within 10 s of the connection opening or of the previous answer
/// (else the connection is closed): a client dribbling bytes cannot hold a connection for ever.
/// A malformed request (a negative or non-numeric `Content-Length`, a request line that is not
/// HTTP) gets 400 from the HTTP parser. Requests are checked here and carried out by the daemon
/// between two batches of steps, like Modbus writes; each is recorded in the historian with the
/// client's address.
public final class ControlAPI: @unchecked Sendable {
    public struct Command: Sendable {
        public let path: String
        public let body: [String: String]
        public let client: String
    }

    /// The limits every request is held to.
    public struct Limits: Sendable {
        public var maxHeaderBytes = 8 * 1024
        public var maxBodyBytes = 64 * 1024
        public var requestDeadline = TimeAmount.seconds(10)
        /// How long a request waits for the daemon to carry it out before 503.
        public var answerTimeoutS = 5.0
        public init() {}
    }

    /// One request waiting for the daemon: answered once, by the daemon or by the time-out.
    final class Pending: @unchecked Sendable {
        let command: Command
        private let lock = NSLock()
        private var continuation: CheckedContinuation<(Int, String), Never>?
        init(_ command: Command, _ c: CheckedContinuation<(Int, String), Never>) { self.command = command; continuation = c }
        func answer(_ status: Int, _ json: String) {
            lock.lock(); let c = continuation; continuation = nil; lock.unlock()
            c?.resume(returning: (status, json))
        }
    }

    private let lock = NSLock()
    private var queue: [Pending] = []
    private var running = false
    private var serverTask: Task<Void, Never>?
    public let limits: Limits
    public private(set) var port: UInt16 = 0

    static let routes: [String: HTTPRequest.Method] = ["/status": .get, "/alarms": .get, "/alarms/ack": .post, "/faults": .post,
                                                       "/faults/clear": .post, "/speed": .post, "/deliver": .post, "/write": .post,
                                                       "/outdoor": .post]
    /// The web console's own routes (`serve --web`), answered from `console` without the daemon.
    static let consoleRoutes = ["/", "/live", "/points", "/trend", "/trend/tags", "/alarms/history", "/metrics"]

    /// The web console this server also serves (nil: the control API alone).
    public let console: ConsoleFeed?

    public init(limits: Limits = Limits(), console: ConsoleFeed? = nil) { self.limits = limits; self.console = console }

    /// Starts serving on `host:port` (0: any free port, see `port`); returns once the socket is
    /// listening, or throws why it could not.
    public func start(host: String, port p: UInt16) throws {
        var parsed = in_addr()
        guard inet_pton(AF_INET, host, &parsed) == 1 else { throw APIError(message: "--api: '\(host)' is not an IPv4 address") }
        let router = Router(context: APIRequestContext.self)
        for (path, _) in Self.routes {
            for method in [HTTPRequest.Method.get, .post] {
                router.on(RouterPath(path), method: method) { [unowned self] request, context in
                    try await self.respond(request, context, path: path)
                }
            }
        }
        if let feed = console {
            for path in Self.consoleRoutes {
                router.on(RouterPath(path), method: .get) { request, context in
                    try await Self.serveConsole(feed, request, path: path)
                }
            }
        }
        let started = DispatchSemaphore(value: 0)
        final class Outcome: @unchecked Sendable { var port: Int?; var error: Error? }
        let outcome = Outcome()
        var quiet = Logger(label: "chaufferie.api")
        quiet.logLevel = .critical
        let l = limits
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [APIGuard(limits: l)], idleTimeout: nil,
                                                httpDecoderConfiguration: .init(maxHeaderFieldSize: l.maxHeaderBytes,
                                                                                maxHeaderListSize: l.maxHeaderBytes, maxHeaderFieldCount: 100))),
            configuration: .init(address: .hostname(host, port: Int(p)), serverName: nil, backlog: 256, reuseAddress: true),
            onServerRunning: { channel in outcome.port = channel.localAddress?.port; started.signal() },
            logger: quiet)
        lock.lock(); running = true; lock.unlock()
        serverTask = Task.detached {
            do { try await app.runService(gracefulShutdownSignals: []) } catch { outcome.error = error }
            started.signal()
        }
        started.wait()
        guard let bound = outcome.port else {
            lock.lock(); running = false; lock.unlock()
            throw APIError(message: "--api \(host):\(p): \(outcome.error.map { "\($0)" } ?? "the server did not start")")
        }
        port = UInt16(bound)
    }

    /// Stops serving and returns once the server has closed; requests still waiting are answered 503.
    public func shutdown() async {
        let (left, t) = lock.withLock { () -> ([Pending], Task<Void, Never>?) in
            running = false
            defer { queue.removeAll(); serverTask = nil }
            return (queue, serverTask)
        }
        console?.close()   // live streams end, so that the server's graceful stop is not held up by them
        for p in left { p.answer(503, #"{"error": "the daemon is stopping"}"#) }
        t?.cancel()
        await t?.value
    }

    /// Commands waiting for the daemon, each answered through `answer`.
    func take() -> [(Command, (Int, String) -> Void)] {
        lock.lock(); defer { lock.unlock() }
        let q = queue
        queue.removeAll()
        if !running { console?.close() }
        return q.map { p in (p.command, { status, json in p.answer(status, json) }) }
    }

    private func respond(_ request: Request, _ context: APIRequestContext, path: String) async throws -> Response {
        let (status, json) = await handle(request, context, path: path)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == 405, let m = Self.routes[path] { headers[.allow] = m.rawValue }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    private func handle(_ request: Request, _ context: APIRequestContext, path: String) async -> (Int, String) {
        guard let m = Self.routes[path], m == request.method else { return (405, "{\"error\": \"\(path) takes \(Self.routes[path]?.rawValue ?? "")\"}") }
        if m == .post, let token = console?.token, request.headers[.authorization] != "Bearer \(token)" {
            return (403, #"{"error": "this console is read-only: instructions need the instructor's token"}"#)
        }
        let bytes: ByteBuffer
        do { bytes = try await request.body.collect(upTo: limits.maxBodyBytes) } catch {
            return (413, "{\"error\": \"the body is larger than \(limits.maxBodyBytes) bytes\"}")
        }
        var body: [String: String] = [:]
        if bytes.readableBytes > 0 {
            guard let obj = try? JSONDecoder().decode([String: JSONScalar].self, from: Data(bytes.readableBytesView)) else {
                return (400, #"{"error": "the body must be a JSON object of numbers and strings"}"#)
            }
            for (k, v) in obj {
                // numbers and strings only: true is not a speed, nor a list a number of trucks
                guard let text = v.text else { return (400, "{\"error\": \"field '\(k)' must be a number or a string\"}") }
                body[k] = text
            }
        }
        let client = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let command = Command(path: path, body: body, client: client)
        let timeout = limits.answerTimeoutS
        return await withCheckedContinuation { (c: CheckedContinuation<(Int, String), Never>) in
            let p = Pending(command, c)
            lock.lock()
            guard running else { lock.unlock(); p.answer(503, #"{"error": "the daemon is stopping"}"#); return }
            queue.append(p)
            lock.unlock()
            Task.detached {
                try? await Task.sleep(for: .seconds(timeout))
                p.answer(503, "{\"error\": \"the daemon did not answer within \(Int(timeout)) s\"}")
            }
        }
    }
}

/// A value in a request's JSON object: only strings and numbers are taken.
enum JSONScalar: Decodable {
    case string(String), number(Double), other
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .string(s) }
        else if (try? c.decode(Bool.self)) != nil { self = .other }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .other }
    }
    /// The value as the command's text: a whole number without a decimal point.
    var text: String? {
        switch self {
        case let .string(s): return s
        case let .number(d): return d.rounded() == d && abs(d) < 1e15 ? "\(Int(d))" : "\(d)"
        case .other: return nil
        }
    }
}

/// The request context of the control API: the client's address, and the body limit.
struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
    var maxUploadSize: Int { 64 * 1024 }
}

/// Sits between the HTTP parser and Hummingbird on each API connection: refuses a body
/// announced larger than the limit with 413 before reading it, headers beyond the limit with 431,
/// and closes a connection whose request has not arrived whole within the deadline.
final class APIGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: ControlAPI.Limits
    private var timer: Scheduled<Void>?
    private var bodyBytes = 0
    private var refused = false

    init(limits: ControlAPI.Limits) { self.limits = limits }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: limits.requestDeadline) { channel.close(promise: nil) }
    }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }
    func handlerRemoved(context: ChannelHandlerContext) { timer?.cancel(); timer = nil }
    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel(); timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        switch unwrapInboundIn(data) {
        case let .head(head):
            bodyBytes = 0
            if let cl = head.headerFields[.contentLength], let n = Int(cl), n > limits.maxBodyBytes {
                refuse(context, status: 413); return
            }
        case let .body(b):
            bodyBytes += b.readableBytes
            if bodyBytes > limits.maxBodyBytes { refuse(context, status: 413); return }
        case .end:
            timer?.cancel(); timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context) }   // the next request has the deadline from now
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? HTTPParserError, e == .headerOverflow { refuse(context, status: 431); return }
        context.fireErrorCaught(error)
    }

    private func refuse(_ context: ChannelHandlerContext, status: Int) {
        refused = true
        let text = status == 413 ? "the body is larger than \(limits.maxBodyBytes) bytes" : "the headers are larger than \(limits.maxHeaderBytes) bytes"
        let json = "{\"error\": \"\(text)\"}"
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.contentLength] = "\(json.utf8.count)"
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: json))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}

