/// Keys written as text, for scripting a screen (`unroll figure --keys`): each character is that key, and named keys
/// go in angle brackets, as Vim writes them: `<right>`, `<left>`, `<up>`, `<down>`, `<home>`, `<end>`, `<tab>`,
/// `<s-tab>`, `<pgup>`, `<pgdn>`, `<space>`, `<enter>`, `<esc>`, and `<lt>` for `<` itself.
public enum KeySequence {
    /// Why a key sequence was refused: the key as written and its place (1-based) in the sequence.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// The key as written (`<foo>`, `z`).
        public var key: String
        /// Its place among the keys, from 1.
        public var index: Int
        /// What is wrong with it.
        public var reason: String
        public var description: String { "key \(index), '\(key)': \(reason)" }
    }

    /// The named keys and what they are.
    public static let names: [(name: String, key: Key)] = [
        ("right", .right), ("left", .left), ("up", .up), ("down", .down), ("home", .home), ("end", .end),
        ("tab", .tab), ("s-tab", .backTab), ("pgup", .pageUp), ("pgdn", .pageDown), ("space", .character(" ")),
        ("enter", .enter), ("esc", .escape), ("lt", .character("<"))
    ]

    /// The longest sequence accepted: a scripted screen needs a few hundred keys at most.
    public static let limit = 10_000

    /// The keys `text` writes.
    /// - Throws: ``Problem`` for an unknown `<name>`, a `<` never closed, or more than ``limit`` keys.
    public static func parse(_ text: String) throws(Problem) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(text)
        while let c = rest.first {
            let index = keys.count + 1
            guard keys.count < limit else {
                throw Problem(key: String(c), index: index, reason: "more than \(limit) keys")
            }
            guard c == "<" else {
                keys.append(.character(c))
                rest = rest.dropFirst()
                continue
            }
            guard let close = rest.firstIndex(of: ">") else {
                throw Problem(key: String(rest.prefix(12)), index: index, reason: "'<' is not closed (write <lt> for <)")
            }
            let name = rest[rest.index(after: rest.startIndex)..<close].lowercased()
            guard let named = names.first(where: { $0.name == name }) else {
                throw Problem(
                    key: "<\(name.prefix(20))>", index: index,
                    reason: "no such key; named keys are " + names.map { "<\($0.name)>" }.joined(separator: " "))
            }
            keys.append(named.key)
            rest = rest[rest.index(after: close)...]
        }
        return keys
    }

    /// How `key` is written in a sequence (the inverse of ``parse(_:)``).
    public static func written(_ key: Key) -> String {
        if case .character(let c) = key, c != " ", c != "<" { return String(c) }
        return names.first { $0.key == key }.map { "<\($0.name)>" } ?? "?"
    }
}
