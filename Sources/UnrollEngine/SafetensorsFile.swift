import FoundationEssentials

/// A safetensors file: named tensors and string metadata, as Hugging Face's
/// `safetensors` library and `safetensors.torch.save_file` write them.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// (`{"name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, "__metadata__": {...}}`),
/// then the data buffer, row-major and little-endian, with offsets relative to
/// its start. Reading checks everything before touching the data: the header
/// length against the file, the JSON, each dtype, shape and offset pair, that
/// the byte count matches the shape, and that tensors neither overlap nor leave
/// holes in the buffer. Values are converted to `Double` (F16, BF16, F32 and F64
/// are read; other dtypes are refused by name).
public struct SafetensorsFile: Sendable, Equatable {
    /// One tensor: its name, the dtype it was stored in, its shape and its values (row-major).
    public struct Tensor: Sendable, Equatable {
        /// The name, e.g. `weight_hh_l0`.
        public var name: String
        /// The stored dtype, e.g. `F32`.
        public var dtype: String
        /// The shape, outermost first; `[]` is a scalar.
        public var shape: [Int]
        /// The values, row-major, converted to Double.
        public var values: [Double]

        /// A tensor.
        /// - Precondition: `values.count` is the product of `shape`.
        public init(name: String, dtype: String, shape: [Int], values: [Double]) {
            precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.values = values
        }
    }

    /// The dtypes Unroll reads, with their byte widths.
    public static let readableDtypes: [String: Int] = ["F16": 2, "BF16": 2, "F32": 4, "F64": 8]
    /// The largest header accepted (the reference implementation's limit).
    public static let maximumHeaderLength = 100_000_000

    /// The tensors, in the order of their data.
    public var tensors: [Tensor]
    /// The `__metadata__` string map (PyTorch's writer puts `"format": "pt"`).
    public var metadata: [String: String]

    /// A file holding `tensors` and `metadata`.
    public init(tensors: [Tensor], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, or nil.
    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// Parses a safetensors file's bytes.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - path: the file's name, for messages.
    /// - Throws: `SafetensorsError` naming the file and, where there is one, the tensor and byte offset.
    /// - Complexity: O(file size).
    public init(bytes: [UInt8], path: String) throws(SafetensorsError) {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(path: path, message: message) }
        guard bytes.count >= 8 else {
            throw fail("file is \(bytes.count) bytes: too short for the 8-byte header length")
        }
        var declared: UInt64 = 0
        for i in (0..<8).reversed() { declared = declared << 8 | UInt64(bytes[i]) }
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw fail("header length \(declared) is over the \(Self.maximumHeaderLength)-byte limit")
        }
        let headerLength = Int(declared)
        guard headerLength >= 2 else { throw fail("header length \(headerLength) is too short for a JSON object") }
        guard 8 + headerLength <= bytes.count else {
            throw fail("header length \(headerLength) runs past the end of the \(bytes.count)-byte file (truncated?)")
        }
        let headerBytes = bytes[8..<(8 + headerLength)]
        guard headerBytes.first == UInt8(ascii: "{") else { throw fail("byte 8: the header does not start with '{'") }
        let header: [String: HeaderEntry]
        do {
            header = try JSONDecoder().decode([String: HeaderEntry].self, from: Data(headerBytes))
        } catch let error as DecodingError {
            throw fail("header: \(Self.describe(error))")
        } catch {
            throw fail("header is not valid JSON")
        }
        if let name = Self.duplicateKey(in: headerBytes) {
            throw fail("header: the name '\(name)' is given twice")
        }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var entries: [(name: String, entry: TensorEntry)] = []
        var metadata: [String: String] = [:]
        for (name, value) in header {
            switch value {
            case .metadata(let m): metadata = m
            case .tensor(let t): entries.append((name, t))
            }
        }
        entries.sort { ($0.entry.begin, $0.entry.end, $0.name) < ($1.entry.begin, $1.entry.end, $1.name) }

        var tensors: [Tensor] = []
        var covered = 0
        for (name, e) in entries {
            guard let width = Self.readableDtypes[e.dtype] else {
                let known = Self.readableDtypes.keys.sorted().joined(separator: ", ")
                throw fail("tensor '\(name)': dtype \(e.dtype) is not one Unroll reads (\(known))")
            }
            guard e.shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor '\(name)': shape \(e.shape) has a negative size")
            }
            var count = 1
            for d in e.shape {
                let (p, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, p <= dataLength else {
                    throw fail(
                        "tensor '\(name)': shape \(e.shape) needs more bytes than the file's \(dataLength)-byte buffer")
                }
                count = p
            }
            guard e.begin >= 0, e.begin <= e.end else {
                throw fail("tensor '\(name)': data_offsets [\(e.begin), \(e.end)] are not an increasing pair")
            }
            guard e.end <= dataLength else {
                throw fail(
                    "tensor '\(name)': data_offsets [\(e.begin), \(e.end)] run past the \(dataLength)-byte buffer (truncated?)"
                )
            }
            guard e.end - e.begin == count * width else {
                throw fail(
                    "tensor '\(name)': \(e.end - e.begin) bytes for shape \(e.shape) of \(e.dtype), which needs \(count * width)"
                )
            }
            guard e.begin >= covered else {
                throw fail(
                    "tensor '\(name)': data_offsets [\(e.begin), \(e.end)] overlap the previous tensor, which ends at \(covered)"
                )
            }
            guard e.begin == covered else {
                throw fail("tensor '\(name)': bytes \(covered)..<\(e.begin) of the buffer belong to no tensor")
            }
            covered = e.end
            let start = dataStart + e.begin
            let values = (0..<count).map { Self.decode(bytes, at: start + $0 * width, dtype: e.dtype) }
            tensors.append(Tensor(name: name, dtype: e.dtype, shape: e.shape, values: values))
        }
        guard covered == dataLength else {
            throw fail("bytes \(covered)..<\(dataLength) of the buffer belong to no tensor")
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// The file's bytes, every tensor stored as `dtype` (`F32` or `F64`), in `tensors` order.
    ///
    /// The header's keys are sorted and it is padded with spaces to a multiple of 8 bytes,
    /// as the reference writer does.
    /// - Precondition: `dtype` is `F32` or `F64`.
    public func encoded(dtype: String = "F32") -> [UInt8] {
        precondition(dtype == "F32" || dtype == "F64", "writes F32 or F64")
        let width = dtype == "F32" ? 4 : 8
        var header: [String: HeaderEntry] = [:]
        var data: [UInt8] = []
        for t in tensors {
            let begin = data.count
            data.reserveCapacity(begin + t.values.count * width)
            for v in t.values {
                if width == 4 {
                    withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { data.append(contentsOf: $0) }
                } else {
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
            }
            header[t.name] = .tensor(TensorEntry(dtype: dtype, shape: t.shape, begin: begin, end: data.count))
        }
        if !metadata.isEmpty { header["__metadata__"] = .metadata(metadata) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a dictionary of strings, ints and string maps cannot fail.
        var json = [UInt8]((try? encoder.encode(header)) ?? Data("{}".utf8))
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + data.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        out.append(contentsOf: data)
        return out
    }

    private static func decode(_ bytes: [UInt8], at offset: Int, dtype: String) -> Double {
        func word<U: FixedWidthInteger>(_: U.Type) -> U {
            var w: U = 0
            for i in (0..<MemoryLayout<U>.size).reversed() { w = w << 8 | U(bytes[offset + i]) }
            return w
        }
        switch dtype {
        case "F64": return Double(bitPattern: word(UInt64.self))
        case "F32": return Double(Float(bitPattern: word(UInt32.self)))
        case "BF16": return Double(Float(bitPattern: UInt32(word(UInt16.self)) << 16))
        default: return Double(Float16(bitPattern: word(UInt16.self)))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : "at \(p.dropFirst(p.hasPrefix(".") ? 1 : 0)): "
        }
        switch error {
        case .dataCorrupted(let c):
            return path(c) + (c.underlyingError.map { _ in "not valid JSON" } ?? c.debugDescription)
        case .keyNotFound(let k, let c): return path(c) + "missing \"\(k.stringValue)\""
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return path(c) + c.debugDescription
        @unknown default: return "not a valid safetensors header"
        }
    }
}

/// One entry of a safetensors header: a tensor's description or the metadata map.
enum HeaderEntry: Codable, Equatable {
    case tensor(TensorEntry)
    case metadata([String: String])

    init(from decoder: any Decoder) throws {
        if decoder.codingPath.last?.stringValue == "__metadata__" {
            self = .metadata(try [String: String](from: decoder))
        } else {
            self = .tensor(try TensorEntry(from: decoder))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .tensor(let t): try t.encode(to: encoder)
        case .metadata(let m): try m.encode(to: encoder)
        }
    }
}

/// A tensor's header entry: dtype, shape and `[begin, end)` in the data buffer.
struct TensorEntry: Codable, Equatable {
    var dtype: String
    var shape: [Int]
    var begin: Int
    var end: Int

    private enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }

    init(dtype: String, shape: [Int], begin: Int, end: Int) {
        (self.dtype, self.shape, self.begin, self.end) = (dtype, shape, begin, end)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dtype = try c.decode(String.self, forKey: .dtype)
        shape = try c.decode([Int].self, forKey: .shape)
        let offsets = try c.decode([Int].self, forKey: .dataOffsets)
        guard offsets.count == 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .dataOffsets, in: c,
                debugDescription: "data_offsets has \(offsets.count) numbers, not 2")
        }
        (begin, end) = (offsets[0], offsets[1])
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dtype, forKey: .dtype)
        try c.encode(shape, forKey: .shape)
        try c.encode([begin, end], forKey: .dataOffsets)
    }
}
