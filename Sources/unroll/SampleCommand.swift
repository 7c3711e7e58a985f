import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTraining

/// `unroll sample WEIGHTS|SCENARIO`: prints text a character model writes, headless, the same for a seed.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Print text a character model writes after a prime, headless; the same for the same seed.",
        discussion: """
            WEIGHTS are saved by `unroll train --text FILE --save W.safetensors` (or by `unroll train` of any \
            characters lesson): they carry the vocabulary and the model's shape. A scenario or built-in lesson of \
            the characters task samples its weights: file, else its untrained model.
            Each character is drawn from softmax(logits / temperature) with the seeded generator and fed back in; \
            temperature 0 takes the most likely character every time.
            """)

    @Argument(help: "Weights (.safetensors) saved by unroll train, or a characters scenario or lesson.")
    var source: String

    @Option(help: "Text the model reads before it writes (every character must be in its vocabulary).")
    var prime: String = ""

    @Option(help: "Characters to write (0 to 100000).")
    var length: Int = 200

    @Option(help: "1 samples the model's own distribution; lower is more likely text, 0 the argmax (at most 100).")
    var temperature: Double = 1

    @Option(help: "Seed of the draws (0 to 2^63).")
    var seed: UInt64 = 1

    func validate() throws {
        if !(0...CharacterSampler<Double>.lengthLimit).contains(length) {
            throw ValidationError("--length must be from 0 to \(CharacterSampler<Double>.lengthLimit), found \(length)")
        }
        if !(temperature >= 0 && temperature <= 100) {
            throw ValidationError("--temperature must be from 0 to 100, found \(temperature)")
        }
        if seed > 1 << 63 { throw ValidationError("--seed must be from 0 to 2^63, found \(seed)") }
    }

    func run() throws {
        let sampler = try Self.sampler(source)
        let text: String
        do {
            text = try sampler.sample(prime: prime, length: length, temperature: temperature, seed: seed)
        } catch {
            throw Refusal("unroll: \(ScenarioText.clean(source)): \(ScenarioText.clean("\(error)"))")
        }
        print(ScenarioText.clean(prime + text))
    }

    /// The metadata a saved characters model carries for sampling: its vocabulary (a JSON list of strings),
    /// cell, activation and hidden sizes (the last three only for a plain stack, which they describe whole).
    static func metadata(task: TrainingTask, spec: ModelSpec) -> [String: String] {
        var m: [String: String] = [:]
        if let source = task.text?.source { m["unroll.text"] = source }
        if let data = try? JSONEncoder().encode(task.corpus.alphabet.map(String.init)) {
            m["unroll.alphabet"] = String(decoding: data, as: UTF8.self)
        }
        let a = spec.architecture
        let plain = task.fit(Architecture(cell: a.cell, activation: a.activation, hiddenSizes: a.hiddenSizes))
        if plain == spec {
            m["unroll.cell"] = a.cell.rawValue
            m["unroll.activation"] = a.activation.rawValue
            m["unroll.hidden_sizes"] = a.hiddenSizes.map(String.init).joined(separator: ",")
        }
        return m
    }

    /// The sampler of a weights file or a characters scenario or lesson; a ``Refusal`` saying why not.
    static func sampler(_ source: String) throws -> CharacterSampler<Double> {
        let shown = ScenarioText.clean(source)
        guard source.hasSuffix(".safetensors") else {
            let lesson = try Interactive.lesson(source)
            guard let task = lesson.training?.task, task.kind == .characters, lesson.problems.isEmpty else {
                throw Refusal("unroll sample: '\(shown)' is not a character model (training: {task: characters})")
            }
            return CharacterSampler(model: lesson.model(as: Double.self), alphabet: task.corpus.alphabet)
        }
        let saved = try savedModel(source)
        var architecture = saved.architecture
        architecture.configuration = .manyToMany
        let spec = ModelSpec(architecture: architecture, inputSize: saved.alphabet.count, outputSize: saved.alphabet.count)
        do {
            return CharacterSampler(
                model: try Model<Double>(spec: spec, weights: saved.file, path: source), alphabet: saved.alphabet)
        } catch {
            throw Refusal("unroll: \(ScenarioText.clean("\(error)"))")
        }
    }

    /// The weights file of a character model saved by `unroll train --text … --save` (at most 512 MiB), its
    /// vocabulary and shape read from the metadata; a ``Refusal`` saying why not.
    static func savedModel(_ source: String) throws -> (file: SafetensorsFile, alphabet: [Character], architecture: Architecture) {
        let shown = ScenarioText.clean(source)
        let file: SafetensorsFile
        do {
            guard let handle = FileHandle(forReadingAtPath: source) else {
                throw Refusal("unroll: \(shown): no such file or not readable")
            }
            defer { try? handle.close() }
            let data = try handle.read(upToCount: 1 << 29 + 1) ?? Data()
            guard data.count <= 1 << 29 else { throw Refusal("unroll: \(shown) is larger than 512 MiB") }
            file = try SafetensorsFile(bytes: Array(data), path: source)
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw Refusal("unroll: \(ScenarioText.clean("\(error)"))")
        }
        let m = file.metadata
        guard let list = m["unroll.alphabet"], let names = try? JSONDecoder().decode([String].self, from: Data(list.utf8)),
            names.count >= 2, names.count <= CharacterCorpus.vocabularyLimit, names.allSatisfy({ $0.count == 1 }),
            let cell = m["unroll.cell"].flatMap(CellKind.init(rawValue:)),
            let activation = m["unroll.activation"].flatMap(Activation.init(rawValue:)),
            let sizes = m["unroll.hidden_sizes"].map({ $0.split(separator: ",").compactMap { Int($0) } }),
            !sizes.isEmpty, sizes.allSatisfy({ (1...4096).contains($0) }), sizes.count <= 16
        else {
            throw Refusal(
                "unroll: \(shown) has no character model's metadata (unroll.alphabet, unroll.cell, unroll.activation, "
                    + "unroll.hidden_sizes); save one with unroll train --text FILE --save W.safetensors")
        }
        return (file, names.compactMap(\.first), Architecture(cell: cell, activation: activation, hiddenSizes: sizes))
    }
}
