import Testing
@testable import UnrollUI
