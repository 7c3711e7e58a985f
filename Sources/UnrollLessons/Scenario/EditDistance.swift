/// The optimal-string-alignment distance between `a` and `b`: insertions,
/// deletions, substitutions and swaps of neighbours each cost 1.
///
/// - Complexity: O(a.count × b.count).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}

/// The candidate closest to `word` (ignoring case), if it is close enough to be a likely typo:
/// at most one edit per three characters, and at least one.
func closestMatch(to word: String, among candidates: [String]) -> String? {
    let w = word.lowercased()
    guard w.count <= 64 else { return nil }
    let scored = candidates.map { ($0, editDistance(w, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(1, w.count / 3) ? best.0 : nil
}
