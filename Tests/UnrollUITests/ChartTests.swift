import Foundation
import Testing

@testable import UnrollUI

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `LineChart` and `HeatmapChart`: axes, ticks and positions checked against hand computation.
@Suite("Charts: axes and geometry")
struct ChartTests {
    /// Equal to a relative 1e-12.
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * abs(b) }

    /// A log chart of five points spanning 1e-4 to 1.
    var chart: LineChart {
        LineChart(
            title: "t", description: "d", xLabel: "step t", yLabel: "‖∂L/∂h_t‖",
            series: [
                LineChart.Series(
                    name: "a", points: [(1, 1e-4), (2, 1e-3), (3, 1e-2), (4, .nan), (5, 0.5)], color: "#0072B2")
            ], scale: .log)
    }

    @Test("A point at t=3 of 1…5 with value 1e-2 on a 1e-4…1 log axis lands at (515, 225)")
    func logPosition() throws {
        let c = chart
        // The data span 1e-4 … 0.5: whole decades 1e-4 … 1.
        #expect(close(c.yAxis.lower, 1e-4) && close(c.yAxis.upper, 1))
        // y: the plot runs from 400 (bottom, 1e-4) to 50 (top, 1); 1e-2 is 2 of 4 decades up: 400 − 350·2/4 = 225.
        let y = try #require(c.yAxis.position(1e-2))
        #expect(abs(y - 225) < 1e-9)
        // x: t 1…5 runs from 120 to 910; t = 3 is halfway: 515.
        let x = try #require(c.xAxis.position(3))
        #expect(abs(x - 515) < 1e-9)
        let svg = c.svg()
        #expect(svg.contains("<circle class=\"point\" data-series=\"0\" cx=\"515\" cy=\"225\""))
        // NaN is a gap: the line is two pieces, the second starting afresh at t = 5.
        #expect(!svg.contains("cx=\"712.5\""), "t=4 is NaN: no point")
        // t=5, 0.5: x 120 + 790, y 400 − 350·(log10 0.5 + 4)/4.
        let y5 = 400 - 350 * (log10(0.5) + 4) / 4
        #expect(svg.contains("M910 \(ChartFrame.n(y5))"), "\(svg)")
    }

    @Test("Log ticks: each decade labelled 10ⁿ, eight minor ticks between decades (up to six decades)")
    func logTicks() throws {
        let ticks = chart.yAxis.ticks()
        let major = ticks.filter(\.major)
        #expect(major.map(\.label) == ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "10⁰"])
        #expect(ticks.filter { !$0.major }.count == 4 * 8)
        // Twelve decades: every second labelled, no minor ticks.
        let wide = ChartAxis(scale: .log, lower: 1e-12, upper: 1, start: 380, end: 50).ticks()
        #expect(wide.count == 13 && wide.allSatisfy(\.major))
        #expect(wide.filter { !$0.label.isEmpty }.count == 7)
        let a = ChartAxis.decades([3e-5, 0.7]), b = ChartAxis.decades([1, 1]), none = ChartAxis.decades([.nan, 0])
        #expect(close(a.lower, 1e-5) && close(a.upper, 1))
        #expect(close(b.lower, 1) && close(b.upper, 10))
        #expect(close(none.lower, 0.1) && close(none.upper, 1))
    }

    @Test("Linear ticks step by 1, 2 or 5 × 10ⁿ and are labelled to the step's decimals")
    func linearTicks() {
        let unit = ChartAxis(scale: .linear, lower: 0, upper: 1, start: 380, end: 50).ticks()
        #expect(unit.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let signed = ChartAxis(scale: .linear, lower: -1, upper: 1, start: 380, end: 50).ticks()
        #expect(signed.map(\.label) == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        let steps = ChartAxis(scale: .linear, lower: 1, upper: 30, start: 0, end: 1).ticks(count: 12, integers: true)
        #expect(steps.map(\.label) == ["5", "10", "15", "20", "25", "30"])
    }

    @Test("The diverging scale: RdBu's ends and white middle; a heatmap cell at its place")
    func heatmap() throws {
        #expect(HeatmapChart.color(-1) == "#2166ac")
        #expect(HeatmapChart.color(0) == "#f7f7f7")
        #expect(HeatmapChart.color(1) == "#b2182b")
        #expect(HeatmapChart.color(7) == "#b2182b", "clamped")
        let h = HeatmapChart(
            title: "t", description: "d", xLabel: "step t", yLabel: "unit", values: [[0.5, -0.25], [0, 0.1]],
            firstColumn: 1)
        #expect(h.limit == 0.5)
        let svg = h.svg()
        // Two columns over 100…820 (360 wide each), two rows over 50…400 (175 high each): row 1, column 0 at
        // (100, 225); its value 0 is white.
        #expect(
            svg.contains(
                "data-row=\"1\" data-column=\"0\" x=\"100\" y=\"225\" width=\"360\" height=\"175\" fill=\"#f7f7f7\""))
        // Row 0, column 0 is the largest: the red end.
        #expect(
            svg.contains(
                "data-row=\"0\" data-column=\"0\" x=\"100\" y=\"50\" width=\"360\" height=\"175\" fill=\"#b2182b\""))
        #expect(svg.contains("class=\"ctick\" data-value=\"-0.5\""))
    }

    @Test("Text from a lesson is inert: the chart parses as XML and its title is the text itself")
    func escaping() throws {
        var c = chart
        c.title = "</title><script>alert(1)</script>"
        c.series[0].name = "<svg onload=alert(1)>"
        let document = try XMLDocument(data: Data(c.svg().utf8))
        let root = try #require(document.rootElement())
        #expect(root.elements(forName: "title").first?.stringValue == "</title><script>alert(1)</script>")
        #expect(root.elements(forName: "script").isEmpty && root.elements(forName: "svg").isEmpty)
        let legend = root.elements(forName: "text").compactMap(\.stringValue)
        #expect(legend.contains("<svg onload=alert(1)>"))
    }
}
