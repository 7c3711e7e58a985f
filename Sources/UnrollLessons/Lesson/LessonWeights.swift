import UnrollEngine

/// Weights a scenario names (`weights: file.safetensors`), read when the scenario is loaded.
public struct LessonWeights: Sendable, Equatable {
    /// The file's path as the scenario resolves it (relative to the scenario's folder).
    public var path: String
    /// The tensors.
    public var file: SafetensorsFile

    /// Weights read from `path`.
    public init(path: String, file: SafetensorsFile) {
        self.path = path
        self.file = file
    }
}
