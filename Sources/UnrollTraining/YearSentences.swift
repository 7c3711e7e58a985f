/// The sentences of the year-extraction task: a template, a place and a year from 1900 to 2029.
enum YearSentences {
    /// Sentence templates; `#` stands for the place and `@` for the year.
    static let templates = [
        "i went to # in @", "in @ i went to #", "# in @ was lovely", "we saw # in @",
        "she left # in @", "in @ we moved to #", "he was born in # in @", "@ was my year in #"
    ]
    /// Places.
    static let places = [
        "nepal", "peru", "chile", "japan", "ghana", "oslo", "rome", "paris", "cairo", "lima", "kenya", "spain"
    ]
    /// The years: 1900 ... 2029.
    static let years = 1900...2029
    /// Digits read out after the sentence.
    static let digits = 4
    /// The input alphabet: a space, the letters, the digits and `?` (the query read while the digits are written).
    static let alphabet: [Character] = Array(" abcdefghijklmnopqrstuvwxyz0123456789?")
    /// The one-hot position of each character of `alphabet`.
    static let index: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })
    /// The longest sentence, in characters.
    static let longest: Int = {
        let place = places.map(\.count).max() ?? 0
        return templates.map { $0.count - 2 + place + digits }.max() ?? 0
    }()

    /// The sentence of a template, place and year.
    static func sentence(template: Int, place: Int, year: Int) -> String {
        var s = ""
        for ch in templates[template] {
            switch ch {
            case "#": s += places[place]
            case "@": s += String(year)
            default: s.append(ch)
            }
        }
        return s
    }

    /// How often each digit occurs at each of the four positions over the years (each row sums to 1).
    static var digitFrequencies: [[Double]] {
        var counts = Array(repeating: [Double](repeating: 0, count: 10), count: digits)
        for y in years {
            for (k, ch) in String(y).enumerated() { counts[k][Int(String(ch)) ?? 0] += 1 }
        }
        return counts.map { row in row.map { $0 / Double(years.count) } }
    }
}
