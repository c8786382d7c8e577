import CModbus
import Foundation
import RegisterMap
import Glibc

/// The server's connections: accepting within the cap, reading frames, answering, closing.
extension ModbusTCPServer {
    func holdsWholeFrame(_ b: [UInt8]) -> Bool {
        b.count >= 7 && b.count >= 6 + (Int(b[4]) << 8 | Int(b[5]))
    }

    /// Reads and drops what closing connections still send; closes those the client closed, or
    /// whose linger has passed.
    func drainClosing(fds: ArraySlice<pollfd>, at t: Double) {
        guard !closing.isEmpty else { return }
        var sink = [UInt8](repeating: 0, count: 4096)
        var keep: [Closing] = []
        for (k, c) in closing.enumerated() {
            var done = t >= c.untilS
            let re = fds.startIndex + k < fds.endIndex ? fds[fds.startIndex + k].revents : 0
            if !done && re != 0 {
                while true {
                    let n = sink.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
                    if n > 0 { continue }
                    if n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { done = true }
                    break
                }
            }
            if done { close(c.fd) } else { keep.append(c) }
        }
        closing = keep
    }

    func acceptAll(at t: Double) {
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
            if connections.count >= maxConnections {
                // first a connection that never sent a whole request (the oldest), then the idlest
                // if it has been silent long enough; else the newcomer is refused
                let grace = silentGraceS
                let silent = connections.indices.filter { connections[$0].requests == 0 && t - connections[$0].openedAt >= grace }
                    .min { connections[$0].lastActivity < connections[$1].lastActivity }
                let idlest = connections.indices.min { connections[$0].lastActivity < connections[$1].lastActivity }
                let idleLimit = idleEvictS
                if let v = silent ?? idlest.flatMap({ t - connections[$0].lastActivity >= idleLimit ? $0 : nil }) {
                    closeConnection(v, at: t)
                } else {
                    count { $0.connectionsRefused += 1 }
                    var lg = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, socklen_t(MemoryLayout<linger>.size))
                    close(fd)
                    continue
                }
            }
            connections.append(Connection(fd: fd, peer: peer, address: UInt32(bigEndian: addr.sin_addr.s_addr), lastActivity: t, openedAt: t))
            count { $0.connectionsAccepted += 1 }
        }
    }

    /// Closes connection `i` gracefully: the replies already sent reach the client before the FIN,
    /// and what it still sends is drained for `lingerS` (see `Closing`).
    func closeConnection(_ i: Int, at t: Double) {
        let fd = connections[i].fd
        connections.remove(at: i)
        if closing.count >= 256 { close(closing.removeFirst().fd) }
        shutdown(fd, Int32(SHUT_WR))
        closing.append(Closing(fd: fd, untilS: t + lingerS))
    }

    /// Answers every whole frame in connection `i`'s buffer; false: the connection must close
    /// (a frame that is not Modbus TCP, or a client that does not take its replies).
    func serveFrames(_ i: Int, at t: Double) -> Bool {
        while connections[i].buffer.count >= 7 {
            // the header read in place (a copy of the buffer, then a removal from it, copied the
            // whole buffer again for every request)
            let (pid, len, unit) = connections[i].buffer.withUnsafeBufferPointer { b in
                (Int(b[2]) << 8 | Int(b[3]), Int(b[4]) << 8 | Int(b[5]), b[6])
            }
            guard pid == 0, len >= 2, len <= 254 else { return false }
            let total = 6 + len
            guard connections[i].buffer.count >= total else { return true }
            let fault = commFault(unit: unit)
            let queues: Bool
            if case .late = fault { queues = true } else { queues = fault == nil && !connections[i].delayed.isEmpty }
            if queues && connections[i].delayed.count >= maxHeldBack { return true }   // it waits in the buffer
            let frame = Array(connections[i].buffer[0..<total])
            if connections[i].buffer.count == total { connections[i].buffer.removeAll(keepingCapacity: true) }
            else { connections[i].buffer.removeFirst(total) }
            connections[i].frameStartedAt = connections[i].buffer.isEmpty ? nil : t
            connections[i].requests += 1
            count { $0.requestsByFunction[Int(frame[7])] += 1 }
            switch fault {
            case nil:
                // a request behind one held back waits its turn (a connection's replies keep their order)
                if !connections[i].delayed.isEmpty { connections[i].delayed.append((t, frame)); continue }
                if !answer(frame, fd: connections[i].fd, peer: connections[i].peer, address: connections[i].address) { return false }
            case let .late(ms):
                let due = max(t + Double(ms) / 1000, connections[i].delayed.last?.due ?? 0)
                connections[i].delayed.append((due, frame))
            case .silent:
                continue
            case let .exception(code):
                if !exception(frame, code, fd: connections[i].fd) { return false }
            case .dropConnection:
                return false
            case .offline:
                if !exception(frame, .gatewayTargetFailed, fd: connections[i].fd) { return false }
            }
        }
        return true
    }

    /// Answers the held-back requests of connection `i` that are due.
    func serveDelayed(_ i: Int, at t: Double) -> Bool {
        while let first = connections[i].delayed.first, first.due <= t {
            connections[i].delayed.removeFirst()
            if !answer(first.frame, fd: connections[i].fd, peer: connections[i].peer, address: connections[i].address) { return false }
        }
        return true
    }

    func answer(_ frame: [UInt8], fd: Int32, peer: String, address: UInt32) -> Bool {
        lock.lock(); defer { lock.unlock() }
        modbus_set_socket(ctx, fd)
        let unitId = frame[6]
        guard let u = units[Int(unitId)] else { return exception(frame, .gatewayTargetFailed, fd: fd) }
        if RequestCheck.writeFunctions.contains(frame[7]) && !writePolicy.allows(address) {
            onRefusedWrite?(peer, unitId, frame[7])
            count { $0.writesRefused += 1 }
            return exception(frame, .illegalFunction, fd: fd)
        }
        let verdict = frame.withUnsafeBufferPointer { RequestCheck.check(pdu: UnsafeBufferPointer(rebasing: $0[7...]), map: u.map) }
        switch verdict {
        case let .exception(code):
            return exception(frame, code, fd: fd)
        case let .reply(writes):
            if !writes.isEmpty, let v = validator, !v(writes) { return exception(frame, .illegalDataValue, fd: fd) }
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

    /// Sends the exception reply to `frame`: its transaction and unit, the function code with its
    /// high bit set, the code. (libmodbus's `modbus_reply_exception` adds 0x80 to the function
    /// code, which for a function code of 0x80 or more wraps to a frame that parses as a normal
    /// reply: `83` + code 01 came back as `03 01`, a read of one byte.)
    func exception(_ frame: [UInt8], _ code: ModbusException, fd: Int32) -> Bool {
        count { $0.exceptions[Int(code.rawValue), default: 0] += 1 }
        let adu: [UInt8] = [frame[0], frame[1], 0, 0, 0, 3, frame[6], frame[7] | 0x80, code.rawValue]
        let sent = adu.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        return sent == adu.count
    }
}

/// What the server has done since it started, for the daemon's metrics (`/metrics`).
public struct ServerCounters: Sendable, Equatable {
    /// Requests received, by function code (answered, refused or held back).
    public var requests: [Int: Int] {
        get {
            var d: [Int: Int] = [:]
            for (fc, n) in requestsByFunction.enumerated() where n > 0 { d[fc] = n }
            return d
        }
        set {
            requestsByFunction = [Int](repeating: 0, count: 256)
            for (fc, n) in newValue where (0..<256).contains(fc) { requestsByFunction[fc] = n }
        }
    }
    /// The same by function code's place: counted for every request, without hashing.
    var requestsByFunction = [Int](repeating: 0, count: 256)
    /// Exception replies sent, by exception code.
    public var exceptions: [Int: Int] = [:]
    public var connectionsAccepted = 0
    /// Newcomers refused at the connection cap.
    public var connectionsRefused = 0
    /// Writes refused by the write policy (`--read-only`, `--write-allow`).
    public var writesRefused = 0
    public init() {}
}

extension ModbusTCPServer {
    /// The counters as they stand.
    public var counters: ServerCounters { countersLock.withLock { countersValue } }

    @inline(__always) func count(_ body: (inout ServerCounters) -> Void) {
        countersLock.lock(); body(&countersValue); countersLock.unlock()
    }
}
