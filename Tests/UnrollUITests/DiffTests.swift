import Testing

@testable import UnrollUI

@Suite("Canvas diff")
struct DiffTests {
    static let red = Style(foreground: .red)

    static func canvas(_ rows: [String]) -> Canvas {
        var canvas = Canvas(width: rows.first?.count ?? 0, height: rows.count)
        for (y, row) in rows.enumerated() { canvas.put(row, x: 0, y: y) }
        return canvas
    }

    @Test func identicalCanvasesHaveNoRuns() {
        let a = Self.canvas(["abc", "def"])
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func noPreviousRepaintsEverythingGroupedByStyle() {
        var a = Self.canvas(["abcd", "efgh"])
        a.put("c", x: 2, y: 0, style: Self.red)
        #expect(
            a.diff(from: nil) == [
                CanvasRun(x: 0, y: 0, style: .plain, text: "ab"),
                CanvasRun(x: 2, y: 0, style: Self.red, text: "c"),
                CanvasRun(x: 3, y: 0, style: .plain, text: "d"),
                CanvasRun(x: 0, y: 1, style: .plain, text: "efgh")
            ])
    }

    @Test func sizeChangeRepaintsEverything() {
        let small = Self.canvas(["ab"])
        let big = Self.canvas(["ab", "cd"])
        #expect(
            big.diff(from: small) == [
                CanvasRun(x: 0, y: 0, style: .plain, text: "ab"),
                CanvasRun(x: 0, y: 1, style: .plain, text: "cd")
            ])
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var before: [String]
        var after: [String]
        var expected: [CanvasRun]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "one cell", before: ["abcde"], after: ["abXde"],
            expected: [CanvasRun(x: 2, y: 0, style: .plain, text: "X")]),
        Case(
            name: "adjacent cells merge", before: ["abcde"], after: ["aXYZe"],
            expected: [CanvasRun(x: 1, y: 0, style: .plain, text: "XYZ")]),
        Case(
            name: "gap splits runs", before: ["abcde"], after: ["XbcdY"],
            expected: [CanvasRun(x: 0, y: 0, style: .plain, text: "X"), CanvasRun(x: 4, y: 0, style: .plain, text: "Y")]
        ),
        Case(
            name: "runs never cross rows", before: ["ab", "cd"], after: ["aX", "Yd"],
            expected: [CanvasRun(x: 1, y: 0, style: .plain, text: "X"), CanvasRun(x: 0, y: 1, style: .plain, text: "Y")]
        ),
        Case(
            name: "last row only", before: ["ab", "cd", "ef"], after: ["ab", "cd", "XY"],
            expected: [CanvasRun(x: 0, y: 2, style: .plain, text: "XY")])
    ]

    @Test("glyph changes", arguments: cases)
    func glyphChanges(_ c: Case) {
        #expect(Self.canvas(c.after).diff(from: Self.canvas(c.before)) == c.expected)
    }

    @Test func styleOnlyChangeIsAChangeAndSplitsRuns() {
        let before = Self.canvas(["abcd"])
        var after = before
        after.put("b", x: 1, y: 0, style: Self.red)
        after.put("c", x: 2, y: 0, style: Style(attributes: .bold))
        #expect(
            after.diff(from: before) == [
                CanvasRun(x: 1, y: 0, style: Self.red, text: "b"),
                CanvasRun(x: 2, y: 0, style: Style(attributes: .bold), text: "c")
            ])
    }

    @Test func applyingDiffReproducesCanvas() {
        let before = Self.canvas(["hello", "world", "....."])
        var after = before
        after.drawBox(Rect(x: 1, y: 0, width: 4, height: 3), glyphs: .unicode, style: Self.red)
        var replay = before
        for run in after.diff(from: before) {
            replay.put(run.text, x: run.x, y: run.y, style: run.style)
        }
        #expect(replay == after)
    }
}
