import CZlib
import Foundation

/// A PNG decoded to RGB pixels: what a real renderer (rsvg-convert, Chromium) drew of a figure, for tests to read.
/// Only what those renderers write: 8-bit greyscale, RGB or RGBA (alpha dropped), not interlaced.
struct PNGImage {
    let width: Int
    let height: Int
    /// Row-major RGB triples.
    let rgb: [UInt8]

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The pixel at (x, y) as `#rrggbb`.
    func hex(x: Int, y: Int) -> String {
        let i = (y * width + x) * 3
        return String(format: "#%02x%02x%02x", rgb[i], rgb[i + 1], rgb[i + 2])
    }

    /// How many pixels have each colour.
    var histogram: [String: Int] {
        var h: [String: Int] = [:]
        for y in 0..<height { for x in 0..<width { h[hex(x: x, y: y), default: 0] += 1 } }
        return h
    }

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw Invalid(description: "not a PNG (\(bytes.count) bytes)")
        }
        func u32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var i = 8
        var (w, h, depth, colorType, interlace) = (0, 0, 0, 0, 0)
        var compressed: [UInt8] = []
        while i + 8 <= bytes.count {
            let length = u32(i)
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard i + 12 + length <= bytes.count else { throw Invalid(description: "chunk \(type) runs past the end") }
            let body = Array(bytes[(i + 8)..<(i + 8 + length)])
            if type == "IHDR" {
                (w, h) = (u32(i + 8), u32(i + 12))
                (depth, colorType, interlace) = (Int(body[8]), Int(body[9]), Int(body[12]))
            } else if type == "IDAT" {
                compressed += body
            } else if type == "IEND" {
                break
            }
            i += 12 + length
        }
        let channels = [0: 1, 2: 3, 6: 4][colorType]
        guard let channels, depth == 8, interlace == 0, w > 0, h > 0 else {
            throw Invalid(description: "unsupported PNG: depth \(depth), colour type \(colorType), interlace \(interlace)")
        }
        let stride = w * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * h)
        var rawLength = uLongf(raw.count)
        let status = uncompress(&raw, &rawLength, compressed, uLong(compressed.count))
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw Invalid(description: "zlib: status \(status), \(rawLength) of \(raw.count) bytes")
        }
        // Undo each row's filter (PNG spec §9: None, Sub, Up, Average, Paeth).
        var pixels = [UInt8](repeating: 0, count: stride * h)
        for y in 0..<h {
            let filter = raw[y * (stride + 1)]
            for x in 0..<stride {
                let v = Int(raw[y * (stride + 1) + 1 + x])
                let a = x >= channels ? Int(pixels[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + x]) : 0
                let c = x >= channels && y > 0 ? Int(pixels[(y - 1) * stride + x - channels]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw Invalid(description: "row \(y): filter \(filter)")
                }
                pixels[y * stride + x] = UInt8((v + predicted) & 0xFF)
            }
        }
        var rgb = [UInt8]()
        rgb.reserveCapacity(w * h * 3)
        for p in 0..<(w * h) {
            let base = p * channels
            if channels == 1 {
                rgb += [pixels[base], pixels[base], pixels[base]]
            } else {
                rgb += pixels[base..<(base + 3)]
            }
        }
        (width, height, self.rgb) = (w, h, rgb)
    }
}
