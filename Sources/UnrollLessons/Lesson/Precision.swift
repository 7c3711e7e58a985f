/// The floating-point precision a lesson is computed in.
public enum Precision: String, Codable, CaseIterable, Sendable {
    /// Float: 32 bits, about 7 digits, overflows near 3.4e38 (what training on a GPU uses).
    case float32
    /// Double: 64 bits, about 16 digits, overflows near 1.8e308.
    case float64
}
