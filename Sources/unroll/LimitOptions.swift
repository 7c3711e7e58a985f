import ArgumentParser
import UnrollLessons

/// `--memory-limit`, shared by every command that builds a model.
struct LimitOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Refuse a lesson whose parameters and trace are estimated above this (default 2GiB, or $UNROLL_MEMORY_LIMIT).",
            valueName: "size"))
    var memoryLimit: String?

    func validate() throws {
        do { _ = try MemoryLimit.resolve(flag: memoryLimit) } catch { throw ValidationError(error.description) }
    }

    /// Refuses (``Refusal``, exit 2) with the estimate when `lesson` is over the limit; call before building its model.
    /// With `anyCell`, the largest of its models with each cell is checked (the `c` key switches cells).
    func check(_ lesson: Lesson, anyCell: Bool = false) throws {
        do {
            try MemoryLimit.resolve(flag: memoryLimit).check(lesson, anyCell: anyCell)
        } catch {
            throw Refusal("unroll: \(error)")
        }
    }
}
