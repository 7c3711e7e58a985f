import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons

/// `unroll lesson-weights`: trains the weights of the built-in lessons whose captions say what the
/// weights do, from their recipes (`LessonRecipe`), and writes them beside the scenarios.
struct LessonWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-weights",
        abstract: "Retrain the committed weights of the lessons that have a recipe (sharing, lstm, memory, gru, ...).",
        discussion: """
            Reads FOLDER/NAME.yaml (ignoring its weights line), trains the lesson's own model on its recipe's
            sentences from the lesson's seed, and writes FOLDER/NAME.safetensors (float64), with the OpenBLAS core
            it ran on in the file's metadata (unroll.openblas_core). `make lesson-weights` runs it.

            The bytes are reproduced exactly on the OpenBLAS core the committed files were made on; another core
            sums its products in another order and the weights differ in their last bits. --check writes nothing:
            it retrains each lesson, prints the largest difference from FOLDER/NAME.safetensors and both cores,
            and exits 1 when a difference exceeds the tolerance (`make lesson-weights-check` runs it).
            """)

    @Argument(help: "Lessons to retrain (default: every lesson with a recipe).")
    var names: [String] = []

    @Option(help: ArgumentHelp("The folder of the scenarios and weights.", valueName: "folder"))
    var folder = "examples"

    @Flag(help: "Write nothing: retrain and print the largest difference from the files in the folder.")
    var check = false

    func run() throws {
        let recipes =
            names.isEmpty
            ? LessonRecipe.builtin
            : try names.map { name in
                guard let r = LessonRecipe.named(name) else {
                    throw Refusal(
                        "unroll lesson-weights: no recipe for '\(name)'; the lessons with one are: "
                            + LessonRecipe.builtin.map(\.name).joined(separator: ", "))
                }
                return r
            }
        var failed: [String] = []
        for recipe in recipes {
            let path = "\(folder)/\(recipe.name).yaml", out = "\(folder)/\(recipe.name).safetensors"
            do {
                let lesson = try Lesson.withoutWeights(contentsOf: path)
                let start = ContinuousClock.now
                if check {
                    // The committed weights as the lesson reads them (its `weights:` line, the reader's limits).
                    guard let committed = try Lesson.load(contentsOf: path).weights else {
                        throw ValidationError("\(path) names no weights file")
                    }
                    let difference = LessonWeightsDifference(try recipe.weights(lesson), committed.file)
                    let made = committed.file.metadata[LessonRecipe.coreKey] ?? "an unrecorded core"
                    print(
                        "\(recipe.name): \(difference) (retrained on \(OpenBLAS.coreName) against \(committed.path), made on \(made))"
                    )
                    if !difference.within(LessonRecipe.tolerance) { failed.append(recipe.name) }
                    continue
                }
                let bytes = try recipe.weightsFile(lesson)
                try TraceExport.write(bytes: bytes, to: out, force: true)
                printError("unroll: \(out): \(recipe.settings.iterations) iterations in \(ContinuousClock.now - start)")
            } catch {
                throw Refusal("unroll lesson-weights: \(recipe.name): \(error)")
            }
        }
        if !failed.isEmpty {
            printError(
                "unroll lesson-weights --check: \(failed.joined(separator: ", ")) differ by more than "
                    + "\(LessonRecipe.tolerance) from the committed files: run `make lesson-weights` and check the claims"
            )
            throw ExitCode(1)
        }
    }
}
