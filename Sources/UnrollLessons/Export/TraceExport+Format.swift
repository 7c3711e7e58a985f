import UnrollEngine

extension TraceExport {
    /// The two export formats (`unroll trace --format`).
    public enum Format: String, CaseIterable, Sendable {
        /// One nested JSON document (`TraceExport.json`).
        case json
        /// One tidy long CSV table (`TraceExport.csv`).
        case csv

        /// The lesson's trace in this format.
        ///
        /// - Parameters:
        ///   - lesson: The lesson (its name, tokens and settings go into the export).
        ///   - run: The lesson's model and sample.
        ///   - trace: The trace of `run`.
        public func text(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) -> String {
            switch self {
            case .json: TraceExport.json(lesson: lesson, run: run, trace: trace)
            case .csv: TraceExport.csv(lesson: lesson, run: run, trace: trace)
            }
        }
    }
}
