/// An error in an input file (scenario, device profile), naming the file, the line and the field.
public struct FileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let field: String
    public let message: String
    public init(file: String, line: Int, field: String, message: String) {
        self.file = file; self.line = line; self.field = field; self.message = message
    }
    public var description: String { "\(file):\(line): \(field): \(message)" }
}
