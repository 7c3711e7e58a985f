extension Lesson {
    /// The lesson `unroll` opens with no arguments: memory.
    ///
    /// Should examples/memory.yaml not parse (a build defect the tests catch), a lesson whose title says so.
    public static var defaultLesson: Lesson {
        builtin(named: "memory")
            ?? Lesson(name: "memory", title: "examples/memory.yaml did not parse: a build defect", tokens: ["memory"])
    }

    /// Every built-in lesson, in teaching order: memory and shared weights, the configurations,
    /// output feedback, vector-to-sequence, encoder–decoder, bidirectional, the activations,
    /// BPTT, long-term dependencies and the gradient problems, gated cells, deep RNNs, then training.
    ///
    /// They are the scenario files of examples/, in the order examples/index.txt lists them,
    /// embedded in the binary at build time (docs/scenarios.md).
    /// - Complexity: parses every one on first use (a few milliseconds, on one thread), then keeps them.
    ///   A command that needs one lesson asks ``builtin(named:)``, and one that needs only the names, ``builtinNames``.
    public static let builtin: [Lesson] = ScenarioFolder.builtin.lessons()

    /// The built-in lessons' names in teaching order, as ``builtin`` lists them, without parsing any.
    /// - Complexity: O(1): the order the build embedded (examples/index.txt).
    public static var builtinNames: [String] { ScenarioFolder.builtin.order }

    /// A built-in lesson by name, or nil.
    /// - Complexity: parses that lesson's scenario only.
    public static func builtin(named name: String) -> Lesson? { try? ScenarioFolder.builtin.lesson(named: name) }

    /// Why a built-in lesson does not parse (its scenario's problems, at examples/NAME.yaml), or nil when it parses
    /// or there is no such lesson. Every built-in lesson parses unless the build is broken; `unroll lessons` says so.
    public static func builtinProblem(named name: String) -> String? {
        do { _ = try ScenarioFolder.builtin.lesson(named: name) } catch { return "\(error)" }
        return nil
    }

    /// The built-in training lessons, in teaching order: the adding problem for an LSTM and a tanh RNN,
    /// copy memory, year extraction, characters.
    public static var trainingLessons: [Lesson] { builtin.filter(\.opensTrainingView) }

    /// A built-in lesson's scenario file (examples/NAME.yaml) as embedded, or nil.
    public static func builtinScenario(named name: String) -> String? { ScenarioFolder.builtin.texts[name + ".yaml"] }

    /// A built-in lesson's worksheet (docs/labs/NAME.md, Markdown) as embedded, or nil.
    public static func worksheet(named name: String) -> String? { EmbeddedExamples.worksheets[name] }
}
