/// Why `TraceExport.write(_:to:force:)` could not write a file; `description` names the path.
public enum TraceExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists and `force` was not given.
    case fileExists(path: String)
    /// The directory that should hold the file does not exist (or is not a directory).
    case missingDirectory(path: String, directory: String)
    /// The path names a directory, not a file.
    case isDirectory(path: String)
    /// A system call failed: what was being done, and the system's message (`strerror`).
    case io(path: String, operation: String, message: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .fileExists(let p), .missingDirectory(let p, _), .isDirectory(let p), .io(let p, _, _): return p
        }
    }

    /// One sentence for the terminal, naming the path.
    public var description: String {
        switch self {
        case .fileExists(let p):
            return "\(p) already exists; pass --force to overwrite it"
        case .missingDirectory(let p, let d):
            return "cannot write \(p): the directory \(d) does not exist"
        case .isDirectory(let p):
            return "cannot write \(p): it is a directory"
        case .io(let p, let operation, let message):
            return "cannot write \(p): \(operation) failed: \(message)"
        }
    }
}
