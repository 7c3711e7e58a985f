import Foundation

/// The text of the character-level task and its alphabet.
///
/// The text is the opening of Chapter I, "Down the Rabbit-Hole", of Lewis Carroll's
/// *Alice's Adventures in Wonderland* (1865, public domain; Project Gutenberg eBook #11),
/// lower-cased, with line breaks and runs of spaces folded to one space. It is compiled into
/// the program rather than shipped as a bundle resource, so the task works wherever the
/// binary is copied.
public struct CharacterCorpus: Sendable, Equatable {
    /// The distinct characters of the text, sorted (the unknown symbol, if any, last): the one-hot
    /// position and class of each.
    public let alphabet: [Character]
    /// The class of each character of the folded text (a vocabulary has at most `vocabularyLimit` symbols).
    public let classes: [UInt8]
    /// Where the text came from, as the scenario or command line named it; nil for the shipped *Alice*.
    public let source: String?
    /// Distinct characters of the text mapped to `unknown` because the vocabulary was full.
    public let unknownCharacters: Int
    /// How many characters of the text were mapped to `unknown`.
    public let unknownOccurrences: Int

    /// The most symbols a vocabulary has: 255 characters and the unknown symbol.
    public static let vocabularyLimit = 256
    /// The symbol the rarest characters become once the vocabulary is full.
    public static let unknown: Character = "\u{FFFD}"

    /// The corpus of `raw` text, whitespace folded to single spaces, lower-cased when `lowercased`.
    /// A text of more than `vocabularyLimit` distinct characters keeps the 255 most frequent
    /// (ties to the smaller character) and maps the rest to `unknown`.
    /// - Complexity: two passes over the text; memory one byte per character.
    public init(_ raw: String, lowercased: Bool = true, source: String? = nil) {
        let text = lowercased ? raw.lowercased() : raw
        func folded(_ body: (Character) -> Void) {
            var last: Character? = nil
            for ch in text {
                let c: Character = ch.isWhitespace ? " " : ch
                if c == " ", last == " " { continue }
                body(c)
                last = c
            }
        }
        var counts: [Character: Int] = [:]
        folded { counts[$0, default: 0] += 1 }
        var kept = Array(counts.keys)
        var unknownCharacters = 0, unknownOccurrences = 0
        if kept.count > Self.vocabularyLimit {
            kept.sort { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }
            let dropped = kept[(Self.vocabularyLimit - 1)...]
            unknownCharacters = dropped.count
            unknownOccurrences = dropped.reduce(0) { $0 + (counts[$1] ?? 0) }
            kept = Array(kept.prefix(Self.vocabularyLimit - 1)).filter { $0 != Self.unknown }
        }
        var alphabet = kept.sorted()
        if unknownCharacters > 0 { alphabet.append(Self.unknown) }
        let index = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, UInt8($0)) })
        let unknownClass = UInt8(max(0, alphabet.count - 1))
        var classes: [UInt8] = []
        classes.reserveCapacity(counts.values.reduce(0, +))
        folded { classes.append(index[$0] ?? unknownClass) }
        self.alphabet = alphabet
        self.classes = classes
        self.source = source
        self.unknownCharacters = unknownCharacters
        self.unknownOccurrences = unknownOccurrences
    }

    /// A corpus of `alphabet` alone, no text: the vocabulary of a saved model (`unroll open W.safetensors --text`),
    /// whose text is not at hand; its frequencies are all 0.
    public init(alphabet: [Character], source: String?) {
        self.alphabet = alphabet
        self.classes = []
        self.source = source
        self.unknownCharacters = alphabet.last == Self.unknown ? 1 : 0
        self.unknownOccurrences = 0
    }

    /// The folded text.
    public var text: [Character] { classes.map { alphabet[Int($0)] } }

    /// Characters the training windows are drawn from: all of the shipped text; the first 90 % of
    /// a text of one's own, whose last 10 % is held out to measure held-out loss.
    public var trainingCount: Int { source == nil ? classes.count : classes.count - heldOutCount }
    /// Characters held out at the end of the text (none for the shipped text).
    public var heldOutCount: Int { source == nil ? 0 : classes.count / 10 }

    /// How often each class occurs, as a fraction of the text.
    public var frequencies: [Double] {
        var counts = [Double](repeating: 0, count: alphabet.count)
        for c in classes { counts[Int(c)] += 1 }
        return counts.map { $0 / Double(max(1, classes.count)) }
    }

    /// The entropy of `frequencies` in nats: the loss of the unigram baseline.
    public var unigramEntropy: Double {
        frequencies.reduce(0) { $1 > 0 ? $0 - $1 * Foundation.log($1) : $0 }
    }

    /// One line saying how large the vocabulary is and what was mapped to the unknown symbol.
    public var vocabularyDescription: String {
        let n = alphabet.count
        guard unknownCharacters > 0 else { return "vocabulary: \(n) characters, \(classes.count) in the text" }
        return "vocabulary: \(n) symbols, the \(unknownCharacters) rarest characters "
            + "(\(unknownOccurrences) of \(classes.count)) mapped to one unknown symbol \(Self.unknown)"
    }

    /// The shipped corpus.
    public static let shared = CharacterCorpus(aliceOpening)

    /// The opening of Chapter I of *Alice's Adventures in Wonderland*.
    static let aliceOpening = """
        Alice was beginning to get very tired of sitting by her sister on the bank, and of having \
        nothing to do: once or twice she had peeped into the book her sister was reading, but it had \
        no pictures or conversations in it, "and what is the use of a book," thought Alice "without \
        pictures or conversations?"

        So she was considering in her own mind (as well as she could, for the hot day made her feel \
        very sleepy and stupid), whether the pleasure of making a daisy-chain would be worth the \
        trouble of getting up and picking the daisies, when suddenly a White Rabbit with pink eyes \
        ran close by her.

        There was nothing so very remarkable in that; nor did Alice think it so very much out of the \
        way to hear the Rabbit say to itself, "Oh dear! Oh dear! I shall be late!" (when she thought \
        it over afterwards, it occurred to her that she ought to have wondered at this, but at the \
        time it all seemed quite natural); but when the Rabbit actually took a watch out of its \
        waistcoat-pocket, and looked at it, and then hurried on, Alice started to her feet, for it \
        flashed across her mind that she had never before seen a rabbit with either a \
        waistcoat-pocket, or a watch to take out of it, and burning with curiosity, she ran across \
        the field after it, and fortunately was just in time to see it pop down a large rabbit-hole \
        under the hedge.

        In another moment down went Alice after it, never once considering how in the world she was \
        to get out again.

        The rabbit-hole went straight on like a tunnel for some way, and then dipped suddenly down, \
        so suddenly that Alice had not a moment to think about stopping herself before she found \
        herself falling down a very deep well.

        Either the well was very deep, or she fell very slowly, for she had plenty of time as she \
        went down to look about her and to wonder what was going to happen next. First, she tried to \
        look down and make out what she was coming to, but it was too dark to see anything; then she \
        looked at the sides of the well, and noticed that they were filled with cupboards and \
        book-shelves; here and there she saw maps and pictures hung upon pegs. She took down a jar \
        from one of the shelves as she passed; it was labelled "ORANGE MARMALADE", but to her great \
        disappointment it was empty: she did not like to drop the jar for fear of killing somebody \
        underneath, so managed to put it into one of the cupboards as she fell past it.

        "Well!" thought Alice to herself, "after such a fall as this, I shall think nothing of \
        tumbling down stairs! How brave they'll all think me at home! Why, I wouldn't say anything \
        about it, even if I fell off the top of the house!" (Which was very likely true.)

        Down, down, down. Would the fall never come to an end? "I wonder how many miles I've fallen \
        by this time?" she said aloud. "I must be getting somewhere near the centre of the earth. \
        Let me see: that would be four thousand miles down, I think--" (for, you see, Alice had \
        learnt several things of this sort in her lessons in the schoolroom, and though this was not \
        a very good opportunity for showing off her knowledge, as there was no one to listen to her, \
        still it was good practice to say it over) "--yes, that's about the right distance--but then \
        I wonder what Latitude or Longitude I've got to?" (Alice had no idea what Latitude was, or \
        Longitude either, but thought they were nice grand words to say.)

        Presently she began again. "I wonder if I shall fall right through the earth! How funny it'll \
        seem to come out among the people that walk with their heads downward! The Antipathies, I \
        think--" (she was rather glad there was no one listening, this time, as it didn't sound at \
        all the right word) "--but I shall have to ask them what the name of the country is, you \
        know. Please, Ma'am, is this New Zealand or Australia?" (and she tried to curtsey as she \
        spoke--fancy curtseying as you're falling through the air! Do you think you could manage \
        it?) "And what an ignorant little girl she'll think me for asking! No, it'll never do to \
        ask: perhaps I shall see it written up somewhere."
        """
}
