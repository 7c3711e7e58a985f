import UnrollLessons

/// The class protocol's JSON (schema version 2: version 1 and the `untrained` and `input` of the `w` and `i` keys): one flat object, its keys sorted, the view's fields
/// (``Session/View``) beside the model's, as earlier versions of unroll write and read it.
extension ClassState: Codable {
    /// The keys of everything but the view (the view codes its own, into the same object).
    private enum Key: String, CodingKey {
        case version, lesson, presenter, cell, skip, seed, scale, clipping, comparesSkip, gradient, untrained, input,
            question, revealed, histogram
    }

    /// Reads a state; a missing field or one of the wrong type is a `DecodingError` naming it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        version = try c.decode(Int.self, forKey: .version)
        lesson = try c.decode(String.self, forKey: .lesson)
        presenter = try c.decode(String.self, forKey: .presenter)
        cell = try c.decode(String.self, forKey: .cell)
        skip = try c.decodeIfPresent(Int.self, forKey: .skip)
        seed = try c.decode(UInt64.self, forKey: .seed)
        scale = try c.decode(Double.self, forKey: .scale)
        clipping = try c.decode(Bool.self, forKey: .clipping)
        comparesSkip = try c.decode(Bool.self, forKey: .comparesSkip)
        gradient = GradientMode(wire: try c.decode(Int.self, forKey: .gradient))
        untrained = try c.decode(Bool.self, forKey: .untrained)
        input = try c.decode(Int.self, forKey: .input)
        view = try Session.View(from: decoder)
        question = try c.decodeIfPresent(Int.self, forKey: .question)
        revealed = try c.decode([Int].self, forKey: .revealed)
        histogram = try c.decode([Int].self, forKey: .histogram)
    }

    /// Writes the state as one flat object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(version, forKey: .version)
        try c.encode(lesson, forKey: .lesson)
        try c.encode(presenter, forKey: .presenter)
        try c.encode(cell, forKey: .cell)
        try c.encodeIfPresent(skip, forKey: .skip)
        try c.encode(seed, forKey: .seed)
        try c.encode(scale, forKey: .scale)
        try c.encode(clipping, forKey: .clipping)
        try c.encode(comparesSkip, forKey: .comparesSkip)
        try c.encode(gradient.wire, forKey: .gradient)
        try c.encode(untrained, forKey: .untrained)
        try c.encode(input, forKey: .input)
        try view.encode(to: encoder)
        try c.encodeIfPresent(question, forKey: .question)
        try c.encode(revealed, forKey: .revealed)
        try c.encode(histogram, forKey: .histogram)
    }
}

extension GradientMode {
    /// The protocol's number for the mode (the only place it is spelled): the total loss −1, the last loss −2, the
    /// loss at a column that column (0-based).
    var wire: Int {
        switch self {
        case .total: return -1
        case .last: return -2
        case .step(let c): return c
        }
    }

    /// The mode the protocol's number names; any other negative number is a column, refused by
    /// ``ClassState/validate(for:)`` as outside the lesson.
    init(wire: Int) {
        switch wire {
        case -1: self = .total
        case -2: self = .last
        default: self = .step(wire)
        }
    }
}
