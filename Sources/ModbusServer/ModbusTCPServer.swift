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
    public init(message: String) { self.message = message }
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
        /// The registers served (read and written by requests, under the server's lock), and a
        /// second set of the same size the next publication is written into, off the lock, then
        /// swapped in: the server thread never waits for a whole unit's encoding, only for the
        /// swap (a publisher preempted while holding the lock held every request up for its
        /// whole time slice).
        var mapping: UnsafeMutablePointer<modbus_mapping_t>
        var staged: UnsafeMutablePointer<modbus_mapping_t>
        /// Each entry's place and encoding, without its strings (copying an entry retained and
        /// released three strings per register, every publish).
        let slots: [Slot]
        /// The word order of 32-bit values.
        let order: WordOrder
        struct Slot { let table: ModbusTable; let address: Int; let type: PointType; let scale: Double }
        init(map: UnitMap) throws {
            self.map = map
            slots = map.profile.entries.map { Slot(table: $0.table, address: $0.address, type: $0.type, scale: $0.scale) }
            order = map.profile.wordOrder
            func make() throws -> UnsafeMutablePointer<modbus_mapping_t> {
                guard let m = modbus_mapping_new(Int32(map.size(.coils)), Int32(map.size(.discreteInputs)),
                                                 Int32(map.size(.holdingRegisters)), Int32(map.size(.inputRegisters))) else {
                    throw ServerError(message: "modbus_mapping_new: \(String(cString: modbus_strerror(Glibc.errno)))")
                }
                return m
            }
            mapping = try make()
            do { staged = try make() } catch { modbus_mapping_free(mapping); throw error }
        }
        deinit { modbus_mapping_free(mapping); modbus_mapping_free(staged) }

        /// Writes entry `i`'s value into mapping `m`.
        @inline(__always) func encode(_ i: Int, _ value: Double?, into m: modbus_mapping_t) {
            let e = slots[i]
            switch e.table {
            case .coils: m.tab_bits[e.address] = (value ?? 0) != 0 ? 1 : 0
            case .discreteInputs: m.tab_input_bits[e.address] = (value ?? 0) != 0 ? 1 : 0
            case .holdingRegisters, .inputRegisters:
                let r = RegisterCodec.encodeWords(value, type: e.type, scale: e.scale, order: order)
                let tab = e.table == .holdingRegisters ? m.tab_registers! : m.tab_input_registers!
                tab[e.address] = r.w0
                if r.count == 2 { tab[e.address + 1] = r.w1 }
            }
        }

        /// Copies entry `i`'s registers (or bit) from mapping `a` to mapping `b`.
        func copy(_ i: Int, from a: modbus_mapping_t, to b: modbus_mapping_t) {
            let e = slots[i]
            switch e.table {
            case .coils: b.tab_bits[e.address] = a.tab_bits[e.address]
            case .discreteInputs: b.tab_input_bits[e.address] = a.tab_input_bits[e.address]
            case .holdingRegisters, .inputRegisters:
                let (src, dst) = e.table == .holdingRegisters ? (a.tab_registers!, b.tab_registers!) : (a.tab_input_registers!, b.tab_input_registers!)
                for k in 0..<e.type.width { dst[e.address + k] = src[e.address + k] }
            }
        }
    }

    struct Connection {
        let fd: Int32
        let peer: String
        /// The client's IPv4 address in host order, for the write allow-list.
        let address: UInt32
        var buffer: [UInt8] = []
        /// Requests held back by a "late" communication fault, in order, with when they are due;
        /// at most `maxHeldBack` (then the connection is not read until some are answered: TCP's
        /// flow control holds the client back, the daemon's memory does not grow).
        var delayed: [(due: Double, frame: [UInt8])] = []
        var frameStartedAt: Double? = nil
        var lastActivity: Double
        /// When the connection was accepted, monotonic s.
        let openedAt: Double
        /// Requests answered (or held back) on this connection: a connection that never sent a
        /// whole request is the first to go when the cap is reached.
        var requests = 0
    }

    /// A connection being closed after an error: its replies already sent go out, then FIN; what
    /// the client still sends is read and dropped until it closes or `lingerS` passes, so the
    /// kernel never answers unread bytes with a reset that would destroy the replies in flight.
    struct Closing {
        let fd: Int32
        /// When the socket is closed whatever the client does, monotonic s.
        let untilS: Double
    }

    let lock = NSLock()
    /// Held by a publication while it writes a unit's staged registers (one publisher at a time).
    let publishLock = NSLock()
    /// The counters have their own lock: the metrics read them without holding up the replies.
    let countersLock = NSLock()
    var countersValue = ServerCounters()
    /// By unit id (256 places): every request looks its unit and its fault up, by index.
    var units = [Unit?](repeating: nil, count: 256)
    var commFaults = [CommFault?](repeating: nil, count: 256)
    var pending: [PointWrite] = []
    var pendingKeys: Set<String> = []
    let ctx: OpaquePointer
    var listenFD: Int32 = -1
    var connections: [Connection] = []
    var closing: [Closing] = []
    var running = false
    var thread: Thread?
    let done = DispatchSemaphore(value: 0)
    /// The port the server listens on (the one asked for, or the one the system chose for 0).
    public private(set) var port: UInt16 = 0
    /// Most connections at once. Beyond, a newcomer takes the place of a connection that never
    /// sent a whole request in its first `silentGraceS` (the oldest such), else of one idle for
    /// `idleEvictS` or more (the idlest),
    /// else it is refused: a burst of connections never evicts clients that are polling.
    public let maxConnections: Int
    /// A connection silent this long may give its place to a newcomer when the cap is reached, s.
    public var idleEvictS: Double {
        get { lock.lock(); defer { lock.unlock() }; return idleEvict }
        set { lock.lock(); idleEvict = newValue; lock.unlock() }
    }
    var idleEvict = 2.0
    /// A connection that never sent a request gives its place only once it has been open this
    /// long, s: a client that has just connected and is about to send (its request may already
    /// wait in the socket, unread, when a burst of connections is accepted in the same pass) is
    /// not taken for one that holds a place without using it.
    public var silentGraceS: Double {
        get { lock.lock(); defer { lock.unlock() }; return silentGrace }
        set { lock.lock(); silentGrace = newValue; lock.unlock() }
    }
    var silentGrace = 0.5
    /// Longest time from a request's first byte to its last, s.
    public let requestDeadlineS: Double
    /// Most requests held back per connection by a "late" communication fault.
    public let maxHeldBack = 64
    /// How long a connection closed after an error is drained before its socket is closed, s.
    public let lingerS = 2.0
    /// Asked before a valid write is answered, on the server's thread and in the order the writes
    /// arrive (from every connection): false refuses it whole with exception 03 (the control
    /// core's own checks, beyond the profile's ranges). True means the write is taken: it is
    /// handed to the control core by `takeWrites`, in the same order.
    public var validator: (@Sendable ([PointWrite]) -> Bool)?
    /// Who may write: other clients get exception 01 (illegal function) on every write function
    /// and can still read. Set before `start`.
    public var writePolicy = WritePolicy.everyone
    /// Told of every write refused by `writePolicy`: the client's address:port, unit, function.
    public var onRefusedWrite: (@Sendable (String, UInt8, UInt8) -> Void)?

    public init(units: [UnitMap], maxConnections: Int = 64, requestDeadlineS: Double = 1.0) throws {
        guard let c = modbus_new_tcp("127.0.0.1", 0) else { throw ServerError(message: "modbus_new_tcp failed") }
        ctx = c
        self.maxConnections = maxConnections
        self.requestDeadlineS = requestDeadlineS
        for u in units { self.units[Int(u.unit)] = try Unit(map: u) }
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
        // `units` is only written by `init`: read here without the lock
        guard let u = units[Int(unit)] else { return }
        publishLock.lock(); defer { publishLock.unlock() }
        // the whole unit encoded into the staged set, off the lock (every entry: the set held
        // what was served two publications ago)
        let staged = u.staged.pointee
        for i in 0..<min(u.slots.count, values.count) { u.encode(i, values[i], into: staged) }
        lock.lock(); defer { lock.unlock() }
        if !pendingKeys.isEmpty {
            // entries a client has written keep the written value until the control core takes it
            let live = u.mapping.pointee
            for (i, e) in u.map.profile.entries.enumerated() where pendingKeys.contains("\(unit)/\(e.tag)") { u.copy(i, from: live, to: staged) }
        }
        swap(&u.mapping, &u.staged)
    }

    /// Takes the writes clients made since the last call, oldest first.
    public func takeWrites() -> [PointWrite] {
        lock.lock(); defer { lock.unlock() }
        let w = pending
        pending = []
        pendingKeys = []
        return w
    }

    /// Runs `body` with the writes accepted but not yet taken, while no other write can be
    /// accepted: the daemon rebuilds the state it checks writes against from it.
    public func withWritesNotTaken<T>(_ body: ([PointWrite]) -> T) -> T {
        lock.lock(); defer { lock.unlock() }
        return body(pending)
    }

    /// Sets (or clears, with nil) a communication fault on one unit, from any thread.
    public func setCommFault(unit: UInt8, _ fault: CommFault?) {
        lock.lock(); commFaults[Int(unit)] = fault; lock.unlock()
    }

    public func commFault(unit: UInt8) -> CommFault? {
        lock.lock(); defer { lock.unlock() }
        return commFaults[Int(unit)]
    }

    // MARK: the loop

    func now() -> Double {
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
            for k in connections.indices {
                // a connection whose held-back queue is full is not read: the client waits
                let full = connections[k].delayed.count >= maxHeldBack || connections[k].buffer.count >= 8192
                fds.append(pollfd(fd: connections[k].fd, events: full ? 0 : Int16(POLLIN), revents: 0))
            }
            for c in closing { fds.append(pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)) }
            // wake for the first request a "late" fault holds back, or every 50 ms
            let t0 = now()
            var nextDue = Double.infinity
            for k in connections.indices { if let d = connections[k].delayed.first?.due { nextDue = min(nextDue, d) } }
            for c in closing { nextDue = min(nextDue, c.untilS) }
            let timeoutMS = nextDue.isFinite ? Int32(max(0, min(50, (nextDue - t0) * 1000))) : 50
            let n = poll(&fds, nfds_t(fds.count), timeoutMS)
            let t = now()
            // fds[1 + i] is connections[i] and fds[1 + connections.count + k] is closing[k] until the
            // lists change: connections are served and the closing drained first, then closed, and
            // newcomers (who may evict one) accepted last
            var closeIdx: [Int] = []
            for i in connections.indices {
                let re = n > 0 ? fds[i + 1].revents : 0
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
                if !connections[i].delayed.isEmpty {
                    if !serveDelayed(i, at: t) { closeIdx.append(i); continue }
                    // requests read while the queue was full take their turn now
                    if !connections[i].buffer.isEmpty && !serveFrames(i, at: t) { closeIdx.append(i); continue }
                }
                // a request must arrive whole within its deadline (a dribbling client is dropped);
                // whole requests waiting behind a full queue are not late
                if let s = connections[i].frameStartedAt, !connections[i].buffer.isEmpty, !holdsWholeFrame(connections[i].buffer),
                   t - s > requestDeadlineS { closeIdx.append(i) }
            }
            drainClosing(fds: fds[(1 + connections.count)...], at: t)
            if !closeIdx.isEmpty { for i in Set(closeIdx).sorted(by: >) { closeConnection(i, at: t) } }
            if n > 0 && fds[0].revents & Int16(POLLIN) != 0 { acceptAll(at: t) }
        }
        for i in connections.indices.reversed() { close(connections[i].fd) }
        connections.removeAll()
        for c in closing { close(c.fd) }
        closing.removeAll()
        close(listenFD)
        listenFD = -1
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
