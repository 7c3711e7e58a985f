import Foundation
import UnrollEngine

/// How far two weight files are apart: the largest absolute difference between the values of same-named
/// tensors, and where it is. `unroll lesson-weights --check` prints it for a retrained lesson against its
/// committed file; the tests bound it.
public struct LessonWeightsDifference: Sendable, Equatable, CustomStringConvertible {
    /// The largest |a − b| over every value of every tensor (0 when the values are equal bit for bit, or both NaN).
    public var largest: Double
    /// The tensor holding it, and the value's row-major index in it (nil when every value is equal).
    public var place: (tensor: String, index: Int)?
    /// What makes the files incomparable: a tensor missing from one of them, or shapes that differ. Empty when comparable.
    public var mismatches: [String]

    /// Compares `a` with `b` tensor by tensor (by name; the order of the tensors and the metadata do not count).
    /// - Complexity: O(number of values).
    public init(_ a: SafetensorsFile, _ b: SafetensorsFile) {
        largest = 0
        place = nil
        mismatches = []
        let names = Set(a.tensors.map(\.name)).union(b.tensors.map(\.name)).sorted()
        for name in names {
            guard let x = a[name], let y = b[name] else {
                mismatches.append("\(name) is in only one of the files")
                continue
            }
            guard x.shape == y.shape else {
                mismatches.append("\(name) has shape \(x.shape) against \(y.shape)")
                continue
            }
            for (i, (u, v)) in zip(x.values, y.values).enumerated() where !(u.isNaN && v.isNaN) {
                let d = u == v ? 0 : abs(u - v)
                if d > largest || (d.isNaN && !largest.isNaN) {
                    largest = d
                    place = (name, i)
                }
            }
        }
    }

    /// Whether the files hold the same tensors with values at most `tolerance` apart.
    public func within(_ tolerance: Double) -> Bool { mismatches.isEmpty && largest <= tolerance }

    /// "largest difference 3.6e-15 at weight_hh_l0[7]", "identical values", or the mismatches.
    public var description: String {
        if !mismatches.isEmpty { return mismatches.joined(separator: "; ") }
        guard let place else { return "identical values" }
        return "largest difference \(String(format: "%.2g", largest)) at \(place.tensor)[\(place.index)]"
    }

    public static func == (l: Self, r: Self) -> Bool {
        l.largest.bitPattern == r.largest.bitPattern && l.place?.tensor == r.place?.tensor
            && l.place?.index == r.place?.index && l.mismatches == r.mismatches
    }
}
