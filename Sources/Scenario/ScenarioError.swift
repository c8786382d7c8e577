import YAMLFile

/// An error in a scenario file, naming the file, the line and the field.
public typealias ScenarioError = FileError
