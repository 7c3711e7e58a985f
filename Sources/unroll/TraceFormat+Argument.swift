import ArgumentParser
import UnrollLessons

/// `--format json|csv`: the raw values, listed by `--help` and the completion scripts.
extension TraceExport.Format: ExpressibleByArgument {}
