/// The lesson picker's overlay (``LessonPicker``): a box over the screen with a heading per topic and a row per lesson
/// (name and title), the chosen row highlighted and kept in view, the lesson on screen marked "•", and the keys in
/// its last line.
public enum LessonPickerView {
    /// The keys, as the picker's last line says them.
    public static let keys = "↑ ↓ choose  ← → topic  Enter open  Esc close"

    /// Renders `picker` centred in `rect`; its last line says `notice` (what Enter did) when there is one, else the keys.
    public static func render(
        _ picker: LessonPicker, notice: String? = nil, theme: Theme, into canvas: inout Canvas, _ rect: Rect
    ) {
        let nameWidth = picker.entries.map(\.name.count).max() ?? 0
        let box = box(picker, in: rect)
        canvas.fill(box, with: .blank)
        canvas.drawBox(box, glyphs: theme.glyphs, style: theme.border, title: "Lessons")
        let inner = box.insetBy(dx: 1, dy: 1)
        let rows = max(0, inner.height - 1)  // the last inner line says the keys
        let all = lines(picker)
        let at = all.firstIndex { $0.entry == picker.selected } ?? 0
        // Keep the chosen row in view, with its topic's heading when there is room.
        let top = max(0, min(all.count - rows, at - rows / 2))
        for (i, line) in all.dropFirst(top).prefix(rows).enumerated() {
            let y = inner.y + i
            guard let index = line.entry, let e = picker.entries.indices.contains(index) ? picker.entries[index] : nil
            else {
                canvas.put(
                    Format.fitted(line.heading, width: inner.width - 1), x: inner.x + 1, y: y, style: theme.title)
                continue
            }
            let chosen = index == picker.selected
            if chosen {
                canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), with: Cell(" ", style: theme.highlight))
            }
            let mark = e.name == picker.current ? (theme.glyphs == .ascii ? "*" : "•") : " "
            let style = chosen ? theme.highlight : theme.text
            let name = mark + " " + e.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
            var x = inner.x + 2
            x = canvas.put(name, x: x, y: y, style: style, clip: inner)
            let room = inner.maxX - x
            let title = Format.fitted(e.title, width: max(0, room - (e.trains ? training.count : 0)))
            x = canvas.put(title, x: x, y: y, style: style, clip: inner)
            if e.trains && room >= title.count + training.count {
                canvas.put(training, x: x, y: y, style: chosen ? theme.highlight : theme.muted, clip: inner)
            }
        }
        let more = all.count > rows ? "  \(min(picker.selected + 1, picker.entries.count))/\(picker.entries.count)" : ""
        let keys = (theme.glyphs == .ascii ? HelpView.asciiKeys(keys) : Self.keys) + more
        canvas.put(
            Format.fitted(notice ?? keys, width: inner.width - 1), x: inner.x + 1, y: inner.maxY - 1,
            style: notice == nil ? theme.muted : theme.warning, clip: inner)
    }

    /// The overlay's box in `rect`: as wide as the longest row (at least 44 columns, at most the width less 2), as
    /// tall as every row and the keys' line, or `rect`'s height.
    public static func box(_ picker: LessonPicker, in rect: Rect) -> Rect {
        let nameWidth = picker.entries.map(\.name.count).max() ?? 0
        let widest =
            picker.entries.map { 4 + nameWidth + 2 + $0.title.count + ($0.trains ? training.count : 0) }.max() ?? 0
        let w = min(rect.width - 2, max(44, widest + 2))
        let h = min(rect.height, 2 + lines(picker).count + 1)
        return Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
    }

    /// What follows a training lesson's title.
    static let training = "  (training view)"

    /// The picker's lines: a topic's heading (entry nil), then its lessons (their index in ``LessonPicker/entries``).
    static func lines(_ picker: LessonPicker) -> [(heading: String, entry: Int?)] {
        var out: [(heading: String, entry: Int?)] = []
        for (i, e) in picker.entries.enumerated() {
            if i == 0 || picker.entries[i - 1].topic != e.topic { out.append((e.topic, nil)) }
            out.append(("", i))
        }
        return out
    }
}
