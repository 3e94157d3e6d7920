import Foundation

/// A Thompson NFA for a `RegexNode`: decides whether the expression matches anywhere in a text in
/// time linear in the text, as Go's RE2 engine does, where a backtracking engine can take
/// exponential time on expressions such as `(a|aa)+`.
///
/// Slower than ICU per scalar, so it only runs when ICU's backtracking runs long or the text is
/// long. Character classes are tested with ICU one scalar at a time, so both engines agree.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        case scalar(Int)
        case assertion(RegexNode.Assertion)
        case split(Int, Int)
        case jump(Int)
        case match
        case fail
    }

    private(set) var instructions: [Instruction] = []
    private var tests: [RegexNode.ScalarTest] = []
    private var classes: [Int: NSRegularExpression] = [:]

    init(_ node: RegexNode) {
        emit(node)
        instructions.append(.match)
        for (index, test) in tests.enumerated() {
            if case .icu(let text) = test { classes[index] = try? NSRegularExpression(pattern: #"\A"# + text + #"\z"#) }
        }
    }

    /// True when the expression matches some part of `text` (Go's `MatchString`).
    func matches(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var verdicts: [Int: [UInt32: Bool]] = [:]
        var current: [Int] = []
        var next: [Int] = []
        var marks = [Int](repeating: -1, count: instructions.count)
        var generation = 0
        for position in 0...scalars.count {
            // An unanchored search: a new attempt starts at every position.
            addThread(0, at: position, scalars, to: &current, marks: &marks, generation: generation)
            if current.contains(where: { if case .match = instructions[$0] { true } else { false } }) { return true }
            guard position < scalars.count else { break }
            generation += 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                guard case .scalar(let index) = instructions[pc] else { continue }
                if passes(index, scalars[position], verdicts: &verdicts) {
                    addThread(pc + 1, at: position + 1, scalars, to: &next, marks: &marks, generation: generation)
                }
            }
            swap(&current, &next)
        }
        return false
    }

    // MARK: Simulation

    private func addThread(_ pc: Int, at position: Int, _ scalars: [Unicode.Scalar], to list: inout [Int], marks: inout [Int], generation: Int) {
        guard marks[pc] != generation else { return }
        marks[pc] = generation
        switch instructions[pc] {
        case .jump(let target):
            addThread(target, at: position, scalars, to: &list, marks: &marks, generation: generation)
        case .split(let first, let second):
            addThread(first, at: position, scalars, to: &list, marks: &marks, generation: generation)
            addThread(second, at: position, scalars, to: &list, marks: &marks, generation: generation)
        case .assertion(let assertion):
            if holds(assertion, at: position, scalars) {
                addThread(pc + 1, at: position, scalars, to: &list, marks: &marks, generation: generation)
            }
        case .scalar, .match:
            list.append(pc)
        case .fail:
            break
        }
    }

    private func holds(_ assertion: RegexNode.Assertion, at position: Int, _ scalars: [Unicode.Scalar]) -> Bool {
        let before = position > 0 ? scalars[position - 1] : nil
        let after = position < scalars.count ? scalars[position] : nil
        switch assertion {
        case .beginText: return position == 0
        case .endText: return position == scalars.count
        case .beginLine: return before == nil || before == "\n"
        case .endLine: return after == nil || after == "\n"
        case .wordBoundary: return Self.isWord(before) != Self.isWord(after)
        case .notWordBoundary: return Self.isWord(before) == Self.isWord(after)
        }
    }

    private func passes(_ index: Int, _ scalar: Unicode.Scalar, verdicts: inout [Int: [UInt32: Bool]]) -> Bool {
        switch tests[index] {
        case .rune(let rune): return scalar.value == rune
        case .notNewline: return scalar != "\n"
        case .any: return true
        case .icu:
            if let known = verdicts[index]?[scalar.value] { return known }
            let text = String(scalar)
            let verdict = classes[index]?.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
            verdicts[index, default: [:]][scalar.value] = verdict
            return verdict
        }
    }

    /// Go's ASCII word characters for `\b`.
    private static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar == "_" || ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    // MARK: Compilation

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .scalar(let test):
            let index = tests.firstIndex(of: test) ?? { tests.append(test); return tests.count - 1 }()
            instructions.append(.scalar(index))
        case .assertion(let assertion):
            instructions.append(.assertion(assertion))
        case .never:
            instructions.append(.fail)
        case .concat(let parts):
            for part in parts { emit(part) }
        case .alternate(let branches):
            var exits: [Int] = []
            for (offset, branch) in branches.enumerated() {
                guard offset < branches.count - 1 else {
                    emit(branch)
                    break
                }
                let split = instructions.count
                instructions.append(.fail)
                emit(branch)
                exits.append(instructions.count)
                instructions.append(.fail)
                instructions[split] = .split(split + 1, instructions.count)
            }
            for exit in exits { instructions[exit] = .jump(instructions.count) }
        case .repetition(let sub, let min, let max):
            for _ in 0..<min { emit(sub) }
            if max < 0 {
                // A loop: split into the body or past it; the body jumps back.
                let split = instructions.count
                instructions.append(.fail)
                emit(sub)
                instructions.append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            } else if max > min {
                var skips: [Int] = []
                for _ in min..<max {
                    skips.append(instructions.count)
                    instructions.append(.fail)
                    emit(sub)
                }
                for skip in skips { instructions[skip] = .split(skip + 1, instructions.count) }
            }
        }
    }
}
