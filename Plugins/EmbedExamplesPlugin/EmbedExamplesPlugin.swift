import Foundation
import PackagePlugin

/// Embeds the package's examples/ folder (and the worksheets of docs/labs/) into the target it is applied to (UnrollLessons) as the
/// generated source EmbeddedExamples.swift, so the built-in lessons are those files.
///
/// The files are the command's inputs: editing a lesson, its weights, a text of examples/texts or examples/index.txt rebuilds.
@main
struct EmbedExamplesPlugin: BuildToolPlugin {
    /// One command: the EmbedExamples tool, from examples/ to EmbeddedExamples.swift in the plugin's work folder.
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "examples")
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0 == "index.txt" || $0.hasSuffix(".yaml") || $0.hasSuffix(".safetensors") }
            .map { folder.appending(path: $0) }
        // The texts to train on (examples/texts/NAME.txt), which a built-in lesson's training.text may name.
        let textFolder = folder.appending(path: "texts")
        let texts = try FileManager.default.contentsOfDirectory(atPath: textFolder.path).sorted()
            .filter { $0.hasSuffix(".txt") }.map { textFolder.appending(path: $0) }
        // The worksheets (docs/labs/NAME.md), for `unroll handout`.
        let labs = context.package.directoryURL.appending(path: "docs/labs")
        let worksheets = try FileManager.default.contentsOfDirectory(atPath: labs.path).sorted()
            .filter { $0.hasSuffix(".md") }.map { labs.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedExamples.swift")
        return [
            .buildCommand(
                displayName: "Embedding the examples folder into \(target.name)",
                executable: try context.tool(named: "EmbedExamples").url,
                arguments: [folder.path, output.path, labs.path],
                inputFiles: inputs + texts + worksheets, outputFiles: [output])
        ]
    }
}
