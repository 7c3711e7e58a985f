import Foundation

/// A room's join code as the presenter shows it and students type it (e.g. "K7QD-7Q4K-M2XD"); parsing is
/// case-insensitive and ignores spaces and dashes. Twelve symbols from a 30-symbol alphabet without look-alikes (no
/// 0/O, 1/I/L, U), all drawn from the system's cryptographic generator:
///
/// - the first four are the room id: public (they name the room's folder, which every user can see in
///   /proc/net/unix), and independent of the rest;
/// - the last eight are the secret, 30⁸ ≈ 2³⁹·³ codes: never written anywhere, never sent; a follower proves it
///   knows them with a fresh nonce and its HMAC (`helloProof`), which the room checks in constant time and accepts
///   once (`ProofLedger`).
public struct JoinCode: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The symbols a code is made of.
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// How many symbols name the room (public).
    static let roomLength = 4
    /// How many symbols are secret.
    static let secretLength = 8
    /// How many symbols a code has.
    static let length = roomLength + secretLength

    /// The twelve symbols, upper case, without dashes.
    let symbols: String

    /// Parses a code: case-insensitive, spaces and dashes ignored; nil when it is not a well-formed code.
    public init?(_ text: String) {
        let kept = text.uppercased().filter { $0 != " " && $0 != "-" }
        guard kept.count == Self.length, kept.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        symbols = kept
    }

    /// Parses a code or says why not: `ClassError.malformedCode` with the text.
    public static func parse(_ text: String) throws(ClassError) -> JoinCode {
        guard let code = JoinCode(text) else { throw .malformedCode(text) }
        return code
    }

    /// A new code from the system's cryptographic random generator.
    public static func random() -> JoinCode {
        var generator = SystemRandomNumberGenerator()
        let text = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        return JoinCode(text) ?? JoinCode(unchecked: text)
    }

    /// The same secret under a new random room id (when the id's folder is taken).
    func withNewRoom() -> JoinCode {
        JoinCode(unchecked: String(Self.random().symbols.prefix(Self.roomLength)) + symbols.dropFirst(Self.roomLength))
    }

    private init(unchecked symbols: String) { self.symbols = symbols }

    /// The code as shown: three groups of four joined by dashes ("K7QD-7Q4K-M2XD"); the first is the room id.
    public var description: String {
        let parts = [symbols.prefix(4), symbols.dropFirst(4).prefix(4), symbols.dropFirst(8)]
        return parts.map(String.init).joined(separator: "-")
    }

    /// The room id: the first four symbols, the name of the room's folder. Public, and independent of the secret.
    var roomName: String { String(symbols.prefix(Self.roomLength)) }

    /// The length of a hello's nonce, in bytes.
    static let nonceBytes = 16

    /// A fresh random nonce.
    static func nonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<nonceBytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The MAC of `nonce` under this code: HMAC-SHA256 keyed with "unroll-class-v3:" and the whole code (room id and
    /// secret) over "unroll-class-v3" and the nonce.
    func proof(_ nonce: [UInt8]) -> [UInt8] {
        HMAC.sha256(key: Array("unroll-class-v3:\(symbols)".utf8), message: Array("unroll-class-v3".utf8) + nonce)
    }

    /// What a hello carries instead of the code: a fresh random nonce and its MAC (`proof`), 48 bytes. The nonce is
    /// new for every hello, so no table of proofs can be computed in advance and a room accepts each proof once.
    func helloProof() -> [UInt8] {
        let nonce = Self.nonce()
        return nonce + proof(nonce)
    }

    /// Whether `bytes` (a hello's proof, as a peer sent it) is a nonce and its MAC under this code, the MAC compared
    /// in constant time over all 32 bytes.
    func accepts(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == Self.nonceBytes + 32 else { return false }
        let mine = proof(Array(bytes.prefix(Self.nonceBytes)))
        let theirs = bytes.suffix(32)
        var difference: UInt8 = 0
        for (index, byte) in zip(mine.indices, theirs) { difference |= mine[index] ^ byte }
        return difference == 0
    }
}

/// The nonces of the proofs a room has accepted, so that a recorded hello replayed later is refused. It keeps the
/// newest `capacity` (65,536: about 1 MB at most); a replay of a hello older than that many joins is accepted as a
/// new one (the follower it earns can do nothing a follower with the code could not).
struct ProofLedger {
    static let capacity = 65_536
    private var seen: Set<[UInt8]> = []
    private var order: [[UInt8]] = []
    private var oldest = 0

    /// Records the nonce of `proof`; false when it was seen before (a replay).
    mutating func admit(_ proof: [UInt8]) -> Bool {
        let nonce = Array(proof.prefix(JoinCode.nonceBytes))
        guard seen.insert(nonce).inserted else { return false }
        if order.count < Self.capacity {
            order.append(nonce)
        } else {
            seen.remove(order[oldest])
            order[oldest] = nonce
            oldest = (oldest + 1) % Self.capacity
        }
        return true
    }
}

/// HMAC (RFC 2104) over SHA-256: the join code's proof.
enum HMAC {
    static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = SHA256.hash(block.map { $0 ^ 0x36 } + message)
        return SHA256.hash(block.map { $0 ^ 0x5c } + inner)
    }
}

/// SHA-256 (FIPS 180-4), for HMAC.
enum SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    ]

    /// The 32-byte digest of `message`.
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
        ]
        var data = message + [0x80]
        while data.count % 64 != 56 { data.append(0) }
        let bits = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            data.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for block in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                w[i] = data[block + 4 * i..<block + 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            for (i, value) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ value }
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }
}
