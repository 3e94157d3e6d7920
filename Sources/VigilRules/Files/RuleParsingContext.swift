/// What the readers of one rule file share: the template check, the name of the rule being read
/// (templates are checked under it), and the SLO names seen so far (unique in the file).
final class RuleParsingContext {
    private let check: RuleFile.TemplateCheck?
    /// The `alert` of the rule being read; the group's name while group labels are read.
    var alertName = ""
    /// SLO names already defined in the file, with where (`file:line`).
    var sloLocations: [String: String] = [:]

    init(templateCheck: RuleFile.TemplateCheck?) {
        check = templateCheck
    }

    /// Why `text` is not a valid label or annotation template, or `nil` when it is (or nothing checks).
    func templateProblem(in text: String) -> String? {
        guard let check else { return nil }
        do {
            try check(text, alertName)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
