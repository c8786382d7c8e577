/// Alarm priority, as ISA-18.2 ranks them (the operator answers the highest first).
public enum AlarmPriority: Int, Sendable, Comparable {
    case low = 1, medium = 2, high = 3, urgent = 4
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The states of an alarm after ANSI/ISA-18.2 (IEC 62682), figure "alarm state transition":
/// normal; active and unacknowledged; active and acknowledged; returned to normal but not yet
/// acknowledged. A latched alarm stays active after its cause is gone until an operator resets it.
public enum AlarmState: Int, Sendable, Equatable {
    case normal = 0
    case unacknowledged = 1
    case acknowledged = 2
    case clearedUnacknowledged = 3
    public var isActive: Bool { self == .unacknowledged || self == .acknowledged }
    public var needsAcknowledgement: Bool { self == .unacknowledged || self == .clearedUnacknowledged }
}

/// An alarm a controller raises: its id (unique in the plant, `<device id>.<KIND>`), priority,
/// message, whether it latches, and the bit it occupies in its device's alarm word. Which point
/// it watches is declared with the device's points, in the point catalogue (`DeviceType.alarmTags`).
public struct AlarmDefinition: Sendable, Equatable {
    public var id: String
    public var priority: AlarmPriority
    public var message: String
    public var latched: Bool
    /// Device the alarm belongs to ("plant", a boiler index "boiler:1", a substation "substation:3")
    /// and its bit in that device's alarm word.
    public var device: String
    public var bit: Int
    public init(id: String, priority: AlarmPriority, message: String, latched: Bool, device: String, bit: Int) {
        self.id = id; self.priority = priority; self.message = message; self.latched = latched
        self.device = device; self.bit = bit
    }
}

/// A change of an alarm's state, for the historian and the operator's journal.
public struct AlarmTransition: Sendable, Equatable {
    public var id: String
    public var from: AlarmState
    public var to: AlarmState
    /// "condition", "acknowledge" or "reset".
    public var cause: String
    public var atS: Double
}

/// The alarms of a plant and their states. `update` is called each scan with each alarm's
/// condition; `acknowledge` and `reset` come from operators.
public struct AlarmTable: Sendable {
    public let definitions: [AlarmDefinition]
    public private(set) var states: [AlarmState]
    /// A latched alarm whose condition has been true since its last reset.
    public private(set) var latchedOn: [Bool]
    public private(set) var conditions: [Bool]
    /// Transitions since the last `takeTransitions()`.
    private var pending: [AlarmTransition] = []

    /// The alarms of each device that have a bit in its words (bit < 16), by device: the words
    /// are read for every unit at every publish, so no scan of the whole table by name.
    private let wordAlarms: [String: [Int]]

    public init(_ definitions: [AlarmDefinition]) {
        self.definitions = definitions
        var byDevice: [String: [Int]] = [:]
        for (i, d) in definitions.enumerated() where d.bit < 16 { byDevice[d.device, default: []].append(i) }
        wordAlarms = byDevice
        states = Array(repeating: .normal, count: definitions.count)
        latchedOn = Array(repeating: false, count: definitions.count)
        conditions = Array(repeating: false, count: definitions.count)
    }

    public func index(of id: String) -> Int? { definitions.firstIndex { $0.id == id } }

    private mutating func move(_ i: Int, _ to: AlarmState, _ cause: String, _ t: Double) {
        guard states[i] != to else { return }
        pending.append(AlarmTransition(id: definitions[i].id, from: states[i], to: to, cause: cause, atS: t))
        states[i] = to
    }

    /// The cause as the alarm sees it: a latched alarm stays on until reset.
    private func effective(_ i: Int) -> Bool { conditions[i] || latchedOn[i] }

    /// Sets alarm `i`'s condition at time `t`.
    @inline(__always) public mutating func update(_ i: Int, condition: Bool, atS t: Double) {
        // the usual case, every scan for nearly every alarm: quiet and staying quiet
        if !condition && !conditions[i] && !latchedOn[i] && states[i] == .normal { return }
        change(i, condition: condition, atS: t)
    }

    /// `update` past its quiet case.
    @inline(never) private mutating func change(_ i: Int, condition: Bool, atS t: Double) {
        conditions[i] = condition
        if condition && definitions[i].latched { latchedOn[i] = true }
        let on = effective(i)
        switch states[i] {
        case .normal: if on { move(i, .unacknowledged, "condition", t) }
        case .unacknowledged: if !on { move(i, .clearedUnacknowledged, "condition", t) }
        case .acknowledged: if !on { move(i, .normal, "condition", t) }
        case .clearedUnacknowledged: if on { move(i, .unacknowledged, "condition", t) }
        }
    }

    /// Acknowledges alarm `i` (nothing happens to an alarm that needs none).
    public mutating func acknowledge(_ i: Int, atS t: Double) {
        switch states[i] {
        case .unacknowledged: move(i, .acknowledged, "acknowledge", t)
        case .clearedUnacknowledged: move(i, .normal, "acknowledge", t)
        case .normal, .acknowledged: break
        }
    }

    /// Acknowledges every alarm of `device` ("plant", "boiler:1", …), or all with nil.
    public mutating func acknowledgeAll(device: String? = nil, atS t: Double) {
        for i in definitions.indices where device == nil || definitions[i].device == device { acknowledge(i, atS: t) }
    }

    /// Resets a latched alarm whose cause is gone; returns false when the cause is still there.
    @discardableResult
    public mutating func reset(_ i: Int, atS t: Double) -> Bool {
        guard definitions[i].latched else { return true }
        if conditions[i] { return false }
        latchedOn[i] = false
        switch states[i] {
        case .acknowledged: move(i, .normal, "reset", t)
        case .unacknowledged: move(i, .clearedUnacknowledged, "reset", t)
        case .normal, .clearedUnacknowledged: break
        }
        return true
    }

    /// Resets every latched alarm of `device` whose cause is gone.
    public mutating func resetAll(device: String, atS t: Double) {
        for i in definitions.indices where definitions[i].device == device { reset(i, atS: t) }
    }

    /// Bits of the active alarms and of those awaiting acknowledgement, for `device`'s registers.
    public func words(device: String) -> (active: Int, unacknowledged: Int) {
        var a = 0, u = 0
        for i in wordAlarms[device] ?? [] {
            let bit = definitions[i].bit
            if states[i].isActive { a |= 1 << bit }
            if states[i].needsAcknowledgement { u |= 1 << bit }
        }
        return (a, u)
    }

    /// Puts back states and latches kept in retentive memory (by alarm id; unknown ids ignored).
    public mutating func restore(states saved: [String: Int], latched: [String: Bool]) {
        for (i, d) in definitions.enumerated() {
            if let s = saved[d.id], let st = AlarmState(rawValue: s) { states[i] = st }
            if let l = latched[d.id] { latchedOn[i] = l }
        }
    }

    public mutating func takeTransitions() -> [AlarmTransition] {
        defer { pending.removeAll() }
        return pending
    }
}
