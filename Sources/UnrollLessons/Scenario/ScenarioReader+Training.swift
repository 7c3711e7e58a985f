import Foundation
import UnrollEngine
import UnrollTraining
import Yams

extension ScenarioReader {
    /// Keys of `training`.
    static let trainingKeys = [
        "task", "text", "step_through", "length", "optimizer", "learning_rate", "momentum", "alpha", "beta1", "beta2", "epsilon",
        "clipping", "truncation", "batch_size", "iterations", "seed"
    ]
    /// The largest weights file read: 512 MiB.
    static let weightsByteLimit = 1 << 29

    /// Reads `training` (task, optimizer and its settings, clipping, truncation, batches, seed).
    mutating func readTraining(_ node: Node, into lesson: inout Lesson) {
        guard let f = fields(of: node, name: "training", place: "in training", allowed: Self.trainingKeys) else {
            return
        }
        guard let taskNode = f["task"] else {
            reportMissing(
                "task", place: "in training", at: f.mark,
                "missing key 'task' in training (one of \(TaskKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            return
        }
        guard let kind = choice(taskNode, "training.task", TaskKind.self) else { return }
        var plan = TrainingPlan(task: TrainingTask(kind: kind))
        if let n = f["text"] {
            if kind != .characters {
                report(n, "training.text applies to the characters task only, found task \(kind.rawValue)")
            } else if let name = text(n, "training.text") {
                do throws(ScenarioError) {
                    let resolved = resolvedPath(name)
                    if let folder {
                        // A built-in lesson's text is embedded (examples/texts/NAME.txt), never read from the disk.
                        guard let text = folder.text(atPath: resolved) else {
                            throw ScenarioError(path: resolved, message: "no such text in the lessons' folder")
                        }
                        plan.task.text = try CharacterText.corpus(of: Data(text.utf8), path: resolved)
                    } else {
                        plan.task.text = try CharacterText.read(resolved)
                    }
                } catch {
                    report(n, "training.text: \(ScenarioText.clean(error.path)): \(error.message)")
                }
            }
        }
        if let n = f["length"], let v = integer(n, "training.length", plan.task.lengthRange) {
            plan.task.length = v
        }
        if let n = f["step_through"] {
            if kind != .characters {
                report(n, "training.step_through applies to the characters task only, found task \(kind.rawValue)")
            } else if let s = text(n, "training.step_through") {
                do {
                    let read = try CharacterText.prompt(s, alphabet: plan.task.corpus.alphabet, name: "training.step_through")
                    plan.task = plan.task.reading(read.classes)
                } catch {
                    report(n, error.message)
                }
            }
        }
        var optimizerName = "adam"
        if let n = f["optimizer"] {
            let names = ["sgd", "rmsprop", "adam"]
            if let t = n.scalarText, names.contains(t) {
                optimizerName = t
            } else {
                report(n, "training.optimizer must be one of \(names.joined(separator: ", ")), found \(n.found)")
            }
        }
        let unit = "a number at least 0 and below 1"
        func setting(_ key: String, _ requirement: String, _ valid: (Double) -> Bool) -> Double? {
            guard let n = f[key] else { return nil }
            return number(n, "training.\(key)", requirement, valid)
        }
        let allowed =
            ["sgd": ["momentum"], "rmsprop": ["alpha", "epsilon"], "adam": ["beta1", "beta2", "epsilon"]][optimizerName]
            ?? []
        for key in ["momentum", "alpha", "beta1", "beta2", "epsilon"] where f[key] != nil && !allowed.contains(key) {
            if let k = f.keys[key] {
                report(k, "\(key) does not apply to \(optimizerName); it takes \(allowed.joined(separator: ", "))")
            }
        }
        let epsilon = setting("epsilon", "a number greater than 0 and below 1", { $0 > 0 && $0 < 1 })
        switch optimizerName {
        case "sgd":
            plan.settings.optimizer = .sgd(momentum: setting("momentum", unit, { $0 >= 0 && $0 < 1 }) ?? 0)
        case "rmsprop":
            plan.settings.optimizer = .rmsprop(
                alpha: setting("alpha", unit, { $0 >= 0 && $0 < 1 }) ?? 0.99, epsilon: epsilon ?? 1e-8)
        default:
            plan.settings.optimizer = .adam(
                beta1: setting("beta1", unit, { $0 >= 0 && $0 < 1 }) ?? 0.9,
                beta2: setting("beta2", unit, { $0 >= 0 && $0 < 1 }) ?? 0.999, epsilon: epsilon ?? 1e-8)
        }
        if let v = setting("learning_rate", "a number greater than 0 and at most 100", { $0 > 0 && $0 <= 100 }) {
            plan.settings.learningRate = v
        }
        if let n = f["clipping"], let c = readClipping(n, name: "training.clipping") { plan.settings.clipping = c }
        if let n = f["truncation"],
            let v = take("training.truncation", n, optionalInteger(n, "training.truncation", 1...Self.wordLimit))
        {
            plan.settings.truncation = v
        }
        if let n = f["batch_size"], let v = integer(n, "training.batch_size", 1...4096) { plan.settings.batchSize = v }
        if let n = f["iterations"], let v = integer(n, "training.iterations", 1...10_000_000) {
            plan.settings.iterations = v
        }
        if let n = f["seed"] {
            if let v = n.integer(as: UInt64.self), v <= Self.seedLimit {
                plan.seed = v
            } else {
                report(n, "training.seed must be an integer from 0 to \(Self.seedLimit) (2^63), found \(n.found)")
            }
        }
        lesson.training = plan
    }

    /// `none`, `{norm: N}` or `{value: N}`; nil after reporting.
    mutating func readClipping(_ n: Node, name: String) -> Clipping? {
        if n.isNull || n.plainText == "none" { return Clipping.none }
        guard case .mapping = n else {
            report(n, "\(name) must be none, {norm: N} or {value: N}, found \(n.found)")
            return nil
        }
        guard let c = fields(of: n, name: name, place: "in \(name)", allowed: Self.clippingKeys) else { return nil }
        let requirement = "a number greater than 0 and at most 1e6"
        if c.values.count != 1 {
            report(n, "\(name) must give exactly one of norm or value, found \(c.values.count)")
        } else if let m = c["norm"], let v = number(m, "\(name).norm", requirement, { $0 > 0 && $0 <= 1e6 }) {
            return .norm(v)
        } else if let m = c["value"], let v = number(m, "\(name).value", requirement, { $0 > 0 && $0 <= 1e6 }) {
            return .value(v)
        }
        return nil
    }

    /// Reads `weights`: a safetensors file, relative to the scenario's folder (in memory, for a built-in lesson).
    mutating func readWeights(_ node: Node, into lesson: inout Lesson) {
        guard let name = text(node, "weights") else { return }
        let resolved = resolvedPath(name)
        guard let data = weightsBytes(resolved, node) else { return }
        guard data.count <= Self.weightsByteLimit else {
            report(node, "weights: \(resolved) is larger than 512 MiB")
            return
        }
        do {
            let file = try SafetensorsFile(bytes: data, path: resolved)
            lesson.weights = LessonWeights(path: resolved, file: file)
            located["weights"] = node
        } catch {
            report(node, "weights: \(error)")
        }
    }

    /// `name` as given if absolute, else relative to the scenario's folder.
    func resolvedPath(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        return (path.lastIndex(of: "/").map { String(path[...$0]) } ?? "") + name
    }

    /// The bytes of the weights file at `resolved` (at most `weightsByteLimit + 1` of them), from
    /// the scenario's in-memory folder if it has one, else from the file system; nil after reporting.
    mutating func weightsBytes(_ resolved: String, _ node: Node) -> [UInt8]? {
        let missing = "weights: no such file \(resolved) (a path relative to the scenario's folder)"
        if let folder {
            guard let bytes = folder.bytes(atPath: resolved) else {
                report(node, missing)
                return nil
            }
            return bytes
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
            report(node, missing)
            return nil
        }
        guard let handle = FileHandle(forReadingAtPath: resolved),
            let data = try? handle.read(upToCount: Self.weightsByteLimit + 1)
        else {
            report(node, "weights: \(resolved) cannot be read")
            return nil
        }
        try? handle.close()
        return Array(data)
    }
}
