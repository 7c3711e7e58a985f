import Foundation

/// The presenter's seat list (`S` in `unroll present`): every joined follower on one row, the time it joined, where
/// from and its name, the chosen row marked; ↑ ↓ choose, `d` drops, Esc closes.
public enum SeatListView {
    /// The box's title: what the keys do.
    static let title = "Seats: ↑ ↓ choose · d drops · Esc closes"

    /// One seat's row: "12:03:04  address 10.0.0.7  alice (claimed)", cut at a word to `width` with "…".
    static func row(_ seat: PresenterSession.Seat, width: Int) -> String {
        let time = timeFormatter.string(from: seat.joined)
        return fit("\(time)  \(seat.address)  \(ClassBoard.name(seat.name))", width: width)
    }

    /// `text` in at most `width` characters: whole, or cut after its last whole word that fits, with "…".
    static func fit(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(repeating: "…", count: max(0, width)) }
        let kept = text.prefix(width - 1)
        let cut = kept.lastIndex(of: " ").map { kept[..<$0] } ?? kept
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }

    /// Wall-clock time of day, in the machine's time zone.
    static let timeFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter
    }()

    /// Renders the list over `canvas`, centred: as many rows as fit, the chosen one always among them.
    public static func render(
        _ seats: [PresenterSession.Seat], chosen: Int, theme: Theme, into canvas: inout Canvas
    ) {
        let rect = canvas.bounds
        let w = min(rect.width - 2, 76)
        let h = min(rect.height - 2, max(4, seats.count + 2))
        guard w >= 12, h >= 3 else { return }
        let box = Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
        canvas.fill(box, with: .blank)
        let inner = w - 6
        let ascii = theme.glyphs == .ascii
        let heading = ascii ? HelpView.asciiKeys(title).replacingOccurrences(of: "·", with: "-") : title
        canvas.drawBox(box, glyphs: theme.glyphs, style: theme.border, title: fit(heading, width: w - 4))
        guard !seats.isEmpty else {
            canvas.put(fit("nobody has joined", width: inner), x: box.x + 2, y: box.y + 1, style: theme.muted)
            return
        }
        let rows = h - 2
        let first = min(max(0, chosen - rows + 1), max(0, seats.count - rows))
        for (line, index) in (first..<min(seats.count, first + rows)).enumerated() {
            let marker = index == chosen ? (ascii ? ">" : "›") : " "
            let style = index == chosen ? theme.title : theme.text
            canvas.put(marker, x: box.x + 2, y: box.y + 1 + line, style: style)
            canvas.put(row(seats[index], width: inner), x: box.x + 4, y: box.y + 1 + line, style: style)
        }
    }
}
