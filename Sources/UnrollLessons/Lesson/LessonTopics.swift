/// The built-in lessons by topic, in the order and with the titles of docs/teaching.md's lesson plan: what
/// `unroll lessons` prints, a heading per topic.
public enum LessonTopics {
    /// Each topic's title and its lessons' names, in teaching order.
    public static let all: [(title: String, lessons: [String])] = [
        ("Memory and shared weights", ["memory", "handcalc", "sharing"]),
        ("The configurations", ["one2one", "one2many", "many2one", "many2many"]),
        ("Output feedback", ["feedback", "teacher"]),
        ("Vector to sequence", ["caption", "caption-h0", "caption-both"]),
        ("Encoder–decoder and its context C", ["seq2seq", "seq2seq-h0", "seq2seq-both", "seq2seq-free"]),
        ("Bidirectional RNNs", ["bidir"]),
        ("Activations and their derivatives", ["sigmoid", "tanh", "relu"]),
        ("Training", ["bptt", "truncated"]),
        ("Long-term dependencies", ["clouds", "vanishing", "exploding", "nan", "eigen"]),
        ("Gated cells", ["lstm", "gru"]),
        ("Deep RNNs", ["stacked", "deep", "shortcut", "skip", "deep-io"]),
        (
            "Training in front of the class",
            [
                "train-adding-lstm", "train-adding-rnn", "train-adding-gru", "train-copy-lstm", "train-copy-rnn",
                "train-year", "train-chars", "units", "train-shallow", "train-deep"
            ]
        )
    ]

    /// `names` grouped by topic, in the topics' order; a name no topic lists (a lesson added since) goes under
    /// "Other lessons", last.
    public static func grouped(_ names: [String]) -> [(title: String, lessons: [String])] {
        let known = Set(all.flatMap(\.lessons))
        var out = all.map { t in (title: t.title, lessons: t.lessons.filter(names.contains)) }.filter { !$0.lessons.isEmpty }
        let other = names.filter { !known.contains($0) }
        if !other.isEmpty { out.append((title: "Other lessons", lessons: other)) }
        return out
    }
}
