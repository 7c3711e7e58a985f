import UnrollEngine

/// Headless export of a lesson's trace, for notebooks: every number the screen shows.
///
/// `json` writes one nested document and `csv` one tidy long table; both are
/// described key by key in docs/trace-format.md. Shapes: B batch rows, T columns,
/// I inputs, H hidden units of a layer, G gate blocks, O outputs, V conditioning features.
/// Both are deterministic: the same lesson gives the same bytes.
public enum TraceExport {
    /// The value of the JSON `format` key.
    public static let formatName = "unroll-trace"
    /// The value of the JSON `version` key; raised when a key changes meaning or goes away.
    public static let formatVersion = 1
    /// The CSV header row.
    public static let csvHeader = "section,name,column,token,layer,direction,unit,value"

    /// `""`, `"encoder."` or `"decoder."`: the segment a column belongs to.
    static func segment(ofColumn column: Int, trace: Trace<Double>) -> String {
        guard let d = trace.decoderStartColumn else { return "" }
        return column >= d ? "decoder." : "encoder."
    }

    /// The shape PyTorch gives a parameter: `[n]` for a vector, else `[rows, cols]`.
    static func shape(of name: String, value: Matrix<Double>, layout: [ParameterDescriptor]) -> [Int] {
        let vector = layout.first { $0.name == name }?.isVector ?? false
        return vector && value.rows == 1 ? [value.cols] : [value.rows, value.cols]
    }

    /// `"forward"` or `"reverse"`.
    static func direction(_ layer: LayerTrace<Double>) -> String { layer.reverse ? "reverse" : "forward" }

    /// The clipping as a kind and its threshold (nil for none).
    static func clippingParts(_ clipping: Clipping) -> (kind: String, threshold: Double?) {
        switch clipping {
        case .none: return ("none", nil)
        case .norm(let m): return ("norm", m)
        case .value(let v): return ("value", v)
        }
    }

    /// The input token of a column, nil where the column reads none.
    static func inputToken(_ column: Int, run: LessonRun<Double>) -> String? {
        guard column < run.inputLabels.count, !run.inputLabels[column].isEmpty else { return nil }
        return run.inputLabels[column]
    }

    /// The target token of a column, nil where none is predicted.
    static func targetToken(_ column: Int, run: LessonRun<Double>) -> String? {
        column < run.targetLabels.count ? run.targetLabels[column] : nil
    }
}
