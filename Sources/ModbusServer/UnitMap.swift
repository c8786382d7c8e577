import RegisterMap

/// What a unit serves, as the request checks need it: for each table, which addresses belong to
/// which entry of the profile.
public struct UnitMap: Sendable {
    public let unit: UInt8
    public let profile: DeviceProfile
    /// Per table (in `ModbusTable.allCases` order): entry index covering each address (−1: no
    /// entry), and the table's size. An array, not a dictionary: every request looks it up.
    let owners: [[Int32]]
    @inline(__always) func owner(_ t: ModbusTable) -> [Int32] {
        switch t { case .coils: owners[0]; case .discreteInputs: owners[1]; case .inputRegisters: owners[2]; case .holdingRegisters: owners[3] }
    }

    public init(unit: UInt8, profile: DeviceProfile) {
        self.unit = unit; self.profile = profile
        var o: [[Int32]] = []
        for t in ModbusTable.allCases {
            let es = profile.entries.enumerated().filter { $0.element.table == t }
            let size = es.map { $0.element.address + $0.element.width }.max() ?? 0
            var a = [Int32](repeating: -1, count: size)
            for (i, e) in es { for k in e.address..<(e.address + e.width) { a[k] = Int32(i) } }
            o.append(a)
        }
        owners = o
    }

    /// Registers (or bits) the table spans from address 0.
    public func size(_ t: ModbusTable) -> Int { owner(t).count }

    /// Every address of [address, address+count) belongs to an entry.
    func covered(_ t: ModbusTable, _ address: Int, _ count: Int) -> Bool {
        let a = owner(t)
        guard address >= 0, count >= 1, address + count <= a.count else { return false }
        for k in address..<(address + count) where a[k] < 0 { return false }
        return true
    }

    /// The entries a write of [address, address+count) hits, nil unless each is writable and
    /// lies wholly inside the range (half of a 32-bit value cannot be written).
    func writableEntries(_ t: ModbusTable, _ address: Int, _ count: Int) -> [PointEntry]? {
        guard covered(t, address, count) else { return nil }
        let a = owner(t)
        var out: [PointEntry] = []
        var k = address
        while k < address + count {
            let e = profile.entries[Int(a[k])]
            guard e.writable, e.address >= address, e.address + e.width <= address + count else { return nil }
            out.append(e)
            k = e.address + e.width
        }
        return out
    }
}
