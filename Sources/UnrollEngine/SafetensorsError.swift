/// A safetensors file that cannot be read, or whose tensors do not fit a model.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    public var path: String
    /// What is wrong, naming the tensor and offset where there is one.
    public var message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}
