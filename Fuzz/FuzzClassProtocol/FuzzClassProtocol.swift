import Foundation
import UnrollClass

/// libFuzzer entry point: the input is bytes a peer sends. Its first byte chooses the reader (even: the room reading
/// a follower, odd: a follower reading a room) and how the rest is cut into reads (1 to 64 bytes each, as a socket
/// might deliver them).
///
/// The bytes go through `FrameReader` and the message validators, the code the room and the follower run on every
/// byte they receive. Every message that is accepted must encode back to exactly the bytes it was read from, and
/// its names and reasons, once made printable, must hold no control character. Any trap, crash or sanitizer report
/// is a bug; a thrown `ClassError` is not (the peer is dropped).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzClassProtocol(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: bytes, count: count))
    let readByRoom = input[0] & 1 == 0
    let chunk = Int(input[0] >> 2) + 1
    var reader = FrameReader(readByRoom: readByRoom)
    var offset = 1
    var consumed = 1
    while offset < input.count {
        let end = min(input.count, offset + chunk)
        reader.append(input[offset..<end])
        offset = end
        do {
            while let frame = try reader.next() {
                let original = Array(input[consumed..<consumed + Wire.headerSize + frame.payload.count])
                consumed += original.count
                if readByRoom {
                    let message = try FollowerMessage(kind: frame.kind, payload: frame.payload)
                    check(message.frame == original, "a follower message did not encode back to its bytes")
                    if case .hello(_, let name) = message { checkPrintable(name) }
                } else {
                    let message = try RoomMessage(kind: frame.kind, payload: frame.payload)
                    check(message.frame == original, "a room message did not encode back to its bytes")
                    switch message {
                    case .welcome(let presenter, _): checkPrintable(presenter)
                    case .dropped(let reason): checkPrintable(reason)
                    default: break
                    }
                }
            }
        } catch {
            check(!error.description.isEmpty, "an error without a message")
            return 0
        }
    }
    return 0
}

/// Stops the fuzzer with `message` when `condition` fails.
func check(_ condition: Bool, _ message: String) {
    if !condition { fatalError(message) }
}

/// Text from a peer, made printable as the room and the follower do, holds no control character.
func checkPrintable(_ text: String) {
    let shown = Wire.printable(text, limit: 200)
    check(
        !shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
        "a control character survived Wire.printable")
}
