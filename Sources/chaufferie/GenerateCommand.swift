import ArgumentParser
import Foundation
import Scenario

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Writes a generated scenario.", subcommands: [GenerateNetwork.self])
}

struct GenerateNetwork: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Writes the scenario of a heat network of N substations: a tree of trenches, the reference plant's kinds of building at sizes of its range, pipes, pump, boilers, buffer and silo sized by its study's ratios.")
    @Option(help: "Number of substations (buildings), 1–100000.") var substations: Int
    @Option(help: "Seed of the layout, the buildings and the weather.") var seed: UInt64 = 1
    @Option(help: "Write to this file instead of the standard output.") var output: String?

    func run() throws {
        guard (1...100_000).contains(substations) else { throw ValidationError("--substations \(substations): expected 1–100000") }
        let text = NetworkGenerator.scenario(.init(substations: substations, seed: seed))
        if let path = output {
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw ValidationError("--output: cannot write \(path)") }
        } else {
            print(text, terminator: "")
        }
    }
}
