import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll lesson-weights`: trains the weights of the built-in lessons whose captions say what the
/// weights do, from their recipes (`LessonRecipe`), and writes them beside the scenarios.
struct LessonWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson-weights",
        abstract: "Retrain the committed weights of the semantic lessons (sharing, bidir, many2one, lstm), bit for bit.",
        discussion: """
            Reads FOLDER/NAME.yaml (ignoring its weights line), trains the lesson's own model on its recipe's
            sentences from the lesson's seed, and writes FOLDER/NAME.safetensors (float64). `make lesson-weights` runs it.
            """)

    @Argument(help: "Lessons to retrain (default: every lesson with a recipe).")
    var names: [String] = []

    @Option(help: ArgumentHelp("The folder of the scenarios and weights.", valueName: "folder"))
    var folder = "examples"

    func run() throws {
        let recipes = names.isEmpty ? LessonRecipe.builtin : try names.map { name in
            guard let r = LessonRecipe.named(name) else {
                printError("unroll lesson-weights: no recipe for '\(name)'; the lessons with one are: "
                    + LessonRecipe.builtin.map(\.name).joined(separator: ", "))
                throw ExitCode(2)
            }
            return r
        }
        for recipe in recipes {
            let path = "\(folder)/\(recipe.name).yaml", out = "\(folder)/\(recipe.name).safetensors"
            do {
                let lesson = try Lesson.withoutWeights(contentsOf: path)
                let start = ContinuousClock.now
                let bytes = try recipe.weightsFile(lesson)
                try TraceExport.write(bytes: bytes, to: out, force: true)
                printError("unroll: \(out): \(recipe.settings.iterations) iterations in \(ContinuousClock.now - start)")
            } catch {
                printError("unroll lesson-weights: \(recipe.name): \(error)")
                throw ExitCode(2)
            }
        }
    }
}
