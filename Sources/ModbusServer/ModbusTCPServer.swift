import CModbus
import Foundation
import RegisterMap
#if canImport(Glibc)
import Glibc
#endif

/// Errors of the server's own socket calls, with the C library's text.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
    static func errno(_ what: String) -> ServerError { ServerError(message: "\(what): \(String(cString: strerror(Glibc.errno)))") }
}

/// A Modbus TCP server for many units behind one port (a gateway), on libmodbus.
///
/// libmodbus 3.1.6's own receive loop stalls on slow or malformed clients (it sleeps 0.5 s and
/// flushes), restarts its timeout on every byte, ignores the MBAP protocol id and length, does not
/// answer FC 07 and aborts on a socket ≥ 1024 with select(). So this server frames requests itself
/// on non-blocking sockets with poll(), gives each request a deadline for the whole frame, checks
/// every request (`RequestCheck`) and hands libmodbus only valid ones (`modbus_reply`), answering
/// the rest with `modbus_reply_exception`. It runs on its own thread, never on the concurrency pool.
public final class ModbusTCPServer: @unchecked Sendable {
    /// One unit: its map and the libmodbus mapping its registers are served from.
    final class Unit {
        let map: UnitMap
        let mapping: UnsafeMutablePointer<modbus_mapping_t>
        init(map: UnitMap) throws {
            self.map = map
            guard let m = modbus_mapping_new(Int32(map.size(.coils)), Int32(map.size(.discreteInputs)),
                                             Int32(map.size(.holdingRegisters)), Int32(map.size(.inputRegisters))) else {
                throw ServerError(message: "modbus_mapping_new: \(String(cString: modbus_strerror(Glibc.errno)))")
            }
            mapping = m
        }
        deinit { modbus_mapping_free(mapping) }
    }

    struct Connection {
        let fd: Int32
        let peer: String
        var buffer: [UInt8] = []
        /// Requests held back by a "late" communication fault, in order, with when they are due.
        var delayed: [(due: Double, frame: [UInt8])] = []
        var frameStartedAt: Double? = nil
        var lastActivity: Double
    }

    private let lock = NSLock()
    private var units: [UInt8: Unit] = [:]
    private var commFaults: [UInt8: CommFault] = [:]
    private var pending: [PointWrite] = []
    private var pendingKeys: Set<String> = []
    private let ctx: OpaquePointer
    private var listenFD: Int32 = -1
    private var connections: [Connection] = []
    private var running = false
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// The port the server listens on (the one asked for, or the one the system chose for 0).
    public private(set) var port: UInt16 = 0
    /// Most connections at once; beyond, the one idle the longest is closed.
    public let maxConnections: Int
    /// Longest time from a request's first byte to its last, s.
    public let requestDeadlineS: Double
    /// Asked before a valid write is answered: false refuses it whole with exception 03 (the
    /// control core's own checks, beyond the profile's ranges). Called on the server's thread.
    public var validator: (@Sendable ([PointWrite]) -> Bool)?

    public init(units: [UnitMap], maxConnections: Int = 64, requestDeadlineS: Double = 1.0) throws {
        guard let c = modbus_new_tcp("127.0.0.1", 0) else { throw ServerError(message: "modbus_new_tcp failed") }
        ctx = c
        self.maxConnections = maxConnections
        self.requestDeadlineS = requestDeadlineS
        for u in units { self.units[u.unit] = try Unit(map: u) }
    }

    deinit {
        stop()
        modbus_free(ctx)
    }

    /// Listens on `host:port` (port 0: any free port, see `port`) and serves on a new thread.
    public func start(host: String, port requested: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError.errno("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = requested.bigEndian
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { close(fd); throw ServerError(message: "--listen: '\(host)' is not an IPv4 address") }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { let e = ServerError.errno("bind \(host):\(requested)"); close(fd); throw e }
        guard listen(fd, 128) == 0 else { let e = ServerError.errno("listen"); close(fd); throw e }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        listenFD = fd
        running = true
        let t = Thread { [self] in self.loop(); self.done.signal() }
        t.name = "modbus-server"
        thread = t
        t.start()
    }

    /// Stops serving and closes every socket.
    public func stop() {
        lock.lock()
        let wasRunning = running
        running = false
        lock.unlock()
        if wasRunning { done.wait() }
    }

    /// Publishes the values of a unit's entries (aligned with its profile's entries; nil =
    /// invalid). Entries a client has just written keep the written value until the control
    /// core has taken the write.
    public func publish(unit: UInt8, values: [Double?]) {
        lock.lock(); defer { lock.unlock() }
        guard let u = units[unit] else { return }
        let profile = u.map.profile
        let m = u.mapping.pointee
        for (i, e) in profile.entries.enumerated() where i < values.count {
            if !pendingKeys.isEmpty && pendingKeys.contains("\(unit)/\(e.tag)") { continue }
            switch e.table {
            case .coils: m.tab_bits[e.address] = (values[i] ?? 0) != 0 ? 1 : 0
            case .discreteInputs: m.tab_input_bits[e.address] = (values[i] ?? 0) != 0 ? 1 : 0
            case .holdingRegisters, .inputRegisters:
                let regs = RegisterCodec.encode(values[i], type: e.type, scale: e.scale, order: profile.wordOrder)
                let tab = e.table == .holdingRegisters ? m.tab_registers! : m.tab_input_registers!
                for (k, r) in regs.enumerated() { tab[e.address + k] = r }
            }
        }
    }

    /// Takes the writes clients made since the last call, oldest first.
    public func takeWrites() -> [PointWrite] {
        lock.lock(); defer { lock.unlock() }
        let w = pending
        pending = []
        pendingKeys = []
        return w
    }

    /// Sets (or clears, with nil) a communication fault on one unit, from any thread.
    public func setCommFault(unit: UInt8, _ fault: CommFault?) {
        lock.lock(); commFaults[unit] = fault; lock.unlock()
    }

    public func commFault(unit: UInt8) -> CommFault? {
        lock.lock(); defer { lock.unlock() }
        return commFaults[unit]
    }

    // MARK: the loop

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func loop() {
        var fds: [pollfd] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            lock.lock(); let go = running; lock.unlock()
            if !go { break }
            fds.removeAll(keepingCapacity: true)
            fds.append(pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0))
            for c in connections { fds.append(pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)) }
            // wake for the first request a "late" fault holds back, or every 50 ms
            let t0 = now()
            let nextDue = connections.compactMap { $0.delayed.first?.due }.min()
            let timeoutMS = nextDue.map { Int32(max(0, min(50, ($0 - t0) * 1000))) } ?? 50
            let n = poll(&fds, nfds_t(fds.count), timeoutMS)
            let t = now()
            if n > 0 && fds[0].revents & Int16(POLLIN) != 0 { acceptAll(at: t) }
            var closeIdx: [Int] = []
            for i in connections.indices {
                let re = fds.count > i + 1 ? fds[i + 1].revents : 0
                if re & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 && re & Int16(POLLIN) == 0 { closeIdx.append(i); continue }
                if re & Int16(POLLIN) != 0 {
                    let got = chunk.withUnsafeMutableBytes { recv(connections[i].fd, $0.baseAddress, $0.count, 0) }
                    if got <= 0 {
                        if got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { closeIdx.append(i) }
                        continue
                    }
                    if connections[i].buffer.isEmpty { connections[i].frameStartedAt = t }
                    connections[i].buffer.append(contentsOf: chunk[0..<got])
                    connections[i].lastActivity = t
                    if !serveFrames(i, at: t) { closeIdx.append(i); continue }
                }
                if !connections[i].delayed.isEmpty && !serveDelayed(i, at: t) { closeIdx.append(i); continue }
                // a request must arrive whole within its deadline (a dribbling client is dropped)
                if let s = connections[i].frameStartedAt, !connections[i].buffer.isEmpty, t - s > requestDeadlineS { closeIdx.append(i) }
            }
            for i in Set(closeIdx).sorted(by: >) { closeConnection(i) }
        }
        for i in connections.indices.reversed() { closeConnection(i) }
        close(listenFD)
        listenFD = -1
    }

    private func acceptAll(at t: Double) {
        while true {
            var addr = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &len) } }
            if fd < 0 { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &addr.sin_addr, &buf, socklen_t(INET_ADDRSTRLEN))
            let peer = "\(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)):\(UInt16(bigEndian: addr.sin_port))"
            if connections.count >= maxConnections, let oldest = connections.indices.min(by: { connections[$0].lastActivity < connections[$1].lastActivity }) {
                closeConnection(oldest)
            }
            connections.append(Connection(fd: fd, peer: peer, lastActivity: t))
        }
    }

    private func closeConnection(_ i: Int) {
        close(connections[i].fd)
        connections.remove(at: i)
    }

    /// Answers every whole frame in connection `i`'s buffer; false: the connection must close
    /// (a frame that is not Modbus TCP, or a client that does not take its replies).
    private func serveFrames(_ i: Int, at t: Double) -> Bool {
        while connections[i].buffer.count >= 7 {
            let b = connections[i].buffer
            let pid = Int(b[2]) << 8 | Int(b[3]), len = Int(b[4]) << 8 | Int(b[5])
            guard pid == 0, len >= 2, len <= 254 else { return false }
            let total = 6 + len
            guard b.count >= total else { return true }
            let frame = Array(b[0..<total])
            connections[i].buffer.removeFirst(total)
            connections[i].frameStartedAt = connections[i].buffer.isEmpty ? nil : t
            switch commFault(unit: frame[6]) {
            case nil:
                // a request behind one held back waits its turn (a connection's replies keep their order)
                if !connections[i].delayed.isEmpty { connections[i].delayed.append((t, frame)); continue }
                if !answer(frame, fd: connections[i].fd, peer: connections[i].peer) { return false }
            case let .late(ms):
                let due = max(t + Double(ms) / 1000, connections[i].delayed.last?.due ?? 0)
                connections[i].delayed.append((due, frame))
            case .silent:
                continue
            case let .exception(code):
                lock.lock(); modbus_set_socket(ctx, connections[i].fd); let ok = exception(frame, code); lock.unlock()
                if !ok { return false }
            case .dropConnection:
                return false
            case .offline:
                lock.lock(); modbus_set_socket(ctx, connections[i].fd); let ok = exception(frame, .gatewayTargetFailed); lock.unlock()
                if !ok { return false }
            }
        }
        return true
    }

    /// Answers the held-back requests of connection `i` that are due.
    private func serveDelayed(_ i: Int, at t: Double) -> Bool {
        while let first = connections[i].delayed.first, first.due <= t {
            connections[i].delayed.removeFirst()
            if !answer(first.frame, fd: connections[i].fd, peer: connections[i].peer) { return false }
        }
        return true
    }

    private func answer(_ frame: [UInt8], fd: Int32, peer: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        modbus_set_socket(ctx, fd)
        let unitId = frame[6]
        guard let u = units[unitId] else { return exception(frame, .gatewayTargetFailed) }
        let verdict = RequestCheck.check(pdu: Array(frame[7...]), map: u.map)
        switch verdict {
        case let .exception(code):
            return exception(frame, code)
        case let .reply(writes):
            if !writes.isEmpty, let v = validator, !v(writes) { return exception(frame, .illegalDataValue) }
            let r = frame.withUnsafeBufferPointer { modbus_reply(ctx, $0.baseAddress, Int32(frame.count), u.mapping) }
            if r < 0 { return false }
            for var w in writes { w.client = peer; pending.append(w); pendingKeys.insert("\(w.unit)/\(w.tag)") }
            return true
        case let .deviceIdentification(code, object):
            let pdu = RequestCheck.deviceIdentification(readCode: code, objectId: object, profile: u.map.profile)
            let len = pdu.count + 1
            var adu: [UInt8] = [frame[0], frame[1], 0, 0, UInt8(len >> 8), UInt8(len & 0xFF), unitId]
            adu += pdu
            let sent = adu.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            return sent == adu.count
        }
    }

    private func exception(_ frame: [UInt8], _ code: ModbusException) -> Bool {
        let r = frame.withUnsafeBufferPointer { modbus_reply_exception(ctx, $0.baseAddress, UInt32(code.rawValue)) }
        return r >= 0
    }
}

/// A communication fault of one unit, for testing how a supervision copes.
public enum CommFault: Sendable, Equatable {
    /// Answers, but `ms` milliseconds late (other units and connections are not held up).
    case late(ms: Int)
    /// Reads requests and never answers (the client times out).
    case silent
    /// Answers every request with this exception (04 device failure, 06 busy).
    case exception(ModbusException)
    /// Closes the connection on a request to this unit.
    case dropConnection
    /// The unit is gone from behind the gateway: exception 0B, "target device failed to respond".
    case offline
}
