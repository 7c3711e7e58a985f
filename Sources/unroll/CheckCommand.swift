import ArgumentParser
import UnrollLessons

/// `unroll check FILE…`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate scenario files and explain every problem.",
        discussion: "Exits 0 when every file is valid, 2 when any is not.")

    @Argument(help: "The scenario files.")
    var files: [String]

    @OptionGroup var limits: LimitOptions

    func run() throws {
        var failed = false
        let limit = try MemoryLimit.resolve(flag: limits.memoryLimit)
        for file in files {
            do {
                let lesson = try Lesson.load(contentsOf: file)
                do { try limit.check(lesson) } catch {
                    printError("\(file): \(error)")
                    failed = true
                    continue
                }
                let (run, trace) = try lesson.trace(recordJacobians: false)
                print(
                    "\(file): ok: '\(lesson.title)', \(lesson.cell.rawValue) \(lesson.configuration.rawValue), \(trace.columns) steps, "
                        + "\(run.model.parameterCount) parameters, \(lesson.captions.count) captions")
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        if failed { throw Refusal.alreadyPrinted }
    }
}
