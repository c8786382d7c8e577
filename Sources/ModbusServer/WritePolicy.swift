import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who may write over Modbus: everyone, nobody (`--read-only`), or clients in a list of IPv4
/// networks (`--write-allow 127.0.0.1,10.0.0.0/8`).
public struct WritePolicy: Sendable, Equatable {
    /// (network, mask) pairs in host order; nil: everyone may write.
    public let networks: [Network]?
    public struct Network: Sendable, Equatable {
        public let address: UInt32, mask: UInt32
    }
    public static let everyone = WritePolicy(networks: nil)
    public static let nobody = WritePolicy(networks: [])

    public init(networks: [Network]?) { self.networks = networks }

    /// Parses `a.b.c.d[/n],…`; throws naming the entry that is not an address or network.
    public init(allowList: String) throws {
        var nets: [Network] = []
        for raw in allowList.split(separator: ",", omittingEmptySubsequences: false) {
            let item = raw.trimmingCharacters(in: .whitespaces)
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            var a = in_addr()
            guard (1...2).contains(parts.count), inet_pton(AF_INET, String(parts[0]), &a) == 1 else {
                throw ServerError(message: "--write-allow: '\(item)' is not an IPv4 address or network (a.b.c.d or a.b.c.d/n)")
            }
            var bits = 32
            if parts.count == 2 {
                guard let n = Int(parts[1]), (0...32).contains(n) else { throw ServerError(message: "--write-allow: '\(item)': the prefix length is 0–32") }
                bits = n
            }
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
            let host = UInt32(bigEndian: a.s_addr)
            nets.append(Network(address: host & mask, mask: mask))
        }
        networks = nets
    }

    public func allows(_ address: UInt32) -> Bool {
        guard let nets = networks else { return true }
        return nets.contains { address & $0.mask == $0.address }
    }
}
