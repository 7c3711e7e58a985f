import Foundation
import UnrollEngine

/// The most memory a command may let a model and its trace take, checked before anything is built.
///
/// The default is 2 GiB; `UNROLL_MEMORY_LIMIT` changes it for every command and `--memory-limit`
/// for one. Sizes are bytes or a number with a unit: `512MiB`, `2GiB`, `1.5G` (units are powers of 1024).
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    /// The limit in bytes.
    public var bytes: Int

    /// The default limit: 2 GiB.
    public static let standard = MemoryLimit(bytes: 2 << 30)
    /// The environment variable read by ``resolve(flag:environment:)``.
    public static let environmentVariable = "UNROLL_MEMORY_LIMIT"

    /// A limit of `bytes`.
    public init(bytes: Int) { self.bytes = bytes }

    /// A size such as `2GiB`, `512M`, `1.5 GiB` or `1000000`; nil when it is not one or is not positive.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scale: Double
        switch unit {
        case "", "b": scale = 1
        case "k", "kb", "kib": scale = 1024
        case "m", "mb", "mib": scale = 1024 * 1024
        case "g", "gb", "gib": scale = 1024 * 1024 * 1024
        case "t", "tb", "tib": scale = 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        guard let number = Double(digits), number.isFinite, number > 0, number * scale < 9e18, number * scale >= 1
        else { return nil }
        bytes = Int(number * scale)
    }

    /// The limit a command uses: `flag` when given, else `UNROLL_MEMORY_LIMIT`, else 2 GiB.
    /// - Throws: `MemoryLimitError.invalid` naming the flag or the variable when its value is not a size.
    public static func resolve(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        throws(MemoryLimitError) -> MemoryLimit
    {
        if let flag {
            guard let limit = MemoryLimit(parsing: flag) else { throw .invalid(source: "--memory-limit", value: flag) }
            return limit
        }
        if let value = environment[environmentVariable], !value.isEmpty {
            guard let limit = MemoryLimit(parsing: value) else {
                throw .invalid(source: environmentVariable, value: value)
            }
            return limit
        }
        return .standard
    }

    /// Refuses `lesson` when its estimate (``Lesson/memoryEstimate``) is above the limit.
    ///
    /// - Parameter anyCell: estimate the largest of the lesson's model with each cell, for the
    ///   interactive view, whose `c` key switches between them.
    /// - Throws: `MemoryLimitError.exceeded` with the estimate and the limit.
    public func check(_ lesson: Lesson, anyCell: Bool = false) throws(MemoryLimitError) {
        var estimate = lesson.memoryEstimate
        if anyCell {
            for cell in CellKind.allCases {
                var other = lesson
                other.cell = cell
                estimate = max(estimate, other.memoryEstimate)
            }
        }
        if estimate > bytes { throw .exceeded(lesson: lesson.name, estimate: estimate, limit: bytes) }
    }

    /// The limit in the largest binary unit that keeps it readable (`2 GiB`, `512 MiB`).
    public var description: String { Self.format(bytes) }

    /// `bytes` as `1.5 GiB`, `512 MiB`, `20 KiB` or `100 bytes`; beyond 1 EiB, `more than 1 EiB`.
    public static func format(_ bytes: Int) -> String {
        let units: [(String, Double)] = [
            ("EiB", 0x1p60), ("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)
        ]
        if bytes == .max { return "more than 8 EiB" }
        for (name, size) in units where Double(bytes) >= size {
            let v = Double(bytes) / size
            let text = v >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.1f", v)
            return "\(text) \(name)"
        }
        return "\(bytes) bytes"
    }
}

/// Why a lesson was refused by a ``MemoryLimit``.
public enum MemoryLimitError: Error, Equatable, CustomStringConvertible {
    /// The flag or environment variable `source` holds `value`, which is not a size.
    case invalid(source: String, value: String)
    /// The lesson's estimate is above the limit (both in bytes).
    case exceeded(lesson: String, estimate: Int, limit: Int)

    /// A message for the user, naming the flag or the sizes.
    public var description: String {
        switch self {
        case .invalid(let source, let value):
            return "\(source): '\(value)' is not a memory size; give bytes or a number with a unit, as 512MiB or 4GiB"
        case .exceeded(let lesson, let estimate, let limit):
            return "lesson '\(lesson)' would need about \(MemoryLimit.format(estimate)) for its parameters and trace "
                + "(estimated before building it), more than the memory limit of \(MemoryLimit.format(limit)); "
                + "use fewer steps or smaller layers, or raise the limit with --memory-limit or \(MemoryLimit.environmentVariable)"
        }
    }
}

extension Lesson {
    /// The bytes a pass over this lesson is estimated to hold at its peak (`ModelSpec.estimatedBytes`),
    /// from its shapes alone: nothing is allocated. Saturates at `Int.max`. A training lesson is
    /// estimated for one mini-batch of its task's sequences (its batch size, its length).
    public var memoryEstimate: Int {
        if let training {
            return spec.estimatedBytes(steps: training.task.length, batch: training.settings.batchSize)
        }
        return spec.estimatedBytes(steps: ScenarioReader.columnCount(of: self), batch: 1)
    }
}
