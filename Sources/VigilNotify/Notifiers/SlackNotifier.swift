import Foundation
import Logging
import VigilAlerting

/// `slack_configs`: one attachment posted to a Slack incoming webhook, as Alertmanager 0.25's
/// `notify/slack` builds it.
struct SlackNotifier: Notifier {
    /// Slack's limit on attachment titles, in characters (Alertmanager's `maxTitleLenRunes`).
    static let maxTitleLength = 1_024

    let config: SlackConfig
    let templates: TemplateSet
    let sender: HTTPSender
    let logger: Logger

    var sendsResolved: Bool { config.sendResolved }

    func notify(_ request: NotificationRequest) async throws(NotifyError) {
        let (body, channel) = try payload(for: request)
        let url = try apiURL()
        let response = try await sender.postJSON(body, to: url)
        if let failure = response.failure(context: "channel \"\(channel)\"") { throw failure }
    }

    /// The JSON body, every templated field rendered with the group's data, and the channel it names.
    func payload(for request: NotificationRequest) throws(NotifyError) -> (body: String, channel: String) {
        let data = request.templateData()
        let (title, truncated) = Self.truncate(try render(config.title, data), to: Self.maxTitleLength)
        if truncated {
            logger.warning("Truncated title", metadata: ["notify.group_key": "\(request.groupKey)", "notify.max_runes": "\(Self.maxTitleLength)"])
        }
        var attachment: [(String, GoJSON)] = []
        optional("title", title, into: &attachment)
        optional("title_link", try render(config.titleLink, data), into: &attachment)
        optional("pretext", try render(config.pretext, data), into: &attachment)
        attachment.append(("text", .string(try render(config.text, data))))
        attachment.append(("fallback", .string(try render(config.fallback, data))))
        attachment.append(("callback_id", .string(try render(config.callbackID, data))))
        if !config.fields.isEmpty {
            var fields: [GoJSON] = []
            for field in config.fields {
                var members: [(String, GoJSON)] = []
                optional("title", try render(field.title, data), into: &members)
                optional("value", try render(field.value, data), into: &members)
                members.append(("short", .bool(field.short ?? config.shortFields)))
                fields.append(.object(members))
            }
            attachment.append(("fields", .array(fields)))
        }
        if !config.actions.isEmpty {
            var actions: [GoJSON] = []
            for action in config.actions {
                actions.append(.object(try renderAction(action, data)))
            }
            attachment.append(("actions", .array(actions)))
        }
        optional("image_url", try render(config.imageURL, data), into: &attachment)
        optional("thumb_url", try render(config.thumbURL, data), into: &attachment)
        attachment.append(("footer", .string(try render(config.footer, data))))
        optional("color", try render(config.color, data), into: &attachment)
        let markdownIn = config.mrkdwnIn.isEmpty ? ["fallback", "pretext", "text"] : config.mrkdwnIn
        attachment.append(("mrkdwn_in", .array(markdownIn.map { .string($0) })))

        var message: [(String, GoJSON)] = []
        let channel = try render(config.channel, data)
        optional("channel", channel, into: &message)
        optional("username", try render(config.username, data), into: &message)
        optional("icon_emoji", try render(config.iconEmoji, data), into: &message)
        optional("icon_url", try render(config.iconURL, data), into: &message)
        if config.linkNames { message.append(("link_names", .bool(true))) }
        message.append(("attachments", .array([.object(attachment)])))
        return (GoJSON.object(message).encoded, channel)
    }

    private func renderAction(_ action: SlackConfig.Action, _ data: TemplateData) throws(NotifyError) -> [(String, GoJSON)] {
        var members: [(String, GoJSON)] = []
        for (key, template) in [("type", action.type), ("text", action.text), ("url", action.url), ("style", action.style), ("name", action.name), ("value", action.value)] {
            optional(key, try render(template, data), into: &members)
        }
        if let confirm = action.confirm {
            var confirmation: [(String, GoJSON)] = []
            for (key, template) in [("text", confirm.text), ("title", confirm.title), ("ok_text", confirm.okText), ("dismiss_text", confirm.dismissText)] {
                optional(key, try render(template, data), into: &confirmation)
            }
            members.append(("confirm", .object(confirmation)))
        }
        return members
    }

    /// Go's `omitempty` on a string field.
    private func optional(_ key: String, _ value: String, into members: inout [(String, GoJSON)]) {
        if !value.isEmpty { members.append((key, .string(value))) }
    }

    private func render(_ template: String, _ data: TemplateData) throws(NotifyError) -> String {
        guard !template.isEmpty else { return "" }
        do {
            return try templates.render(template, data: data)
        } catch {
            throw NotifyError(code: .template, message: "\(error)", isRetryable: false)
        }
    }

    /// The webhook URL, read from its file at each notification when `api_url_file` is used.
    private func apiURL() throws(NotifyError) -> URL {
        switch config.apiURL {
        case .inline(let secret):
            return secret.value
        case .file(let path):
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw NotifyError(code: .configuration, message: "unable to read Slack API URL file \(path)", isRetryable: false)
            }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host?.isEmpty == false else {
                throw NotifyError(code: .configuration, message: "the Slack API URL in \(path) is not an http(s) URL", isRetryable: false)
            }
            return url
        }
    }

    /// Go's `TruncateInRunes`: at most `limit` Unicode scalars, the last replaced by `…` when cut.
    static func truncate(_ text: String, to limit: Int) -> (String, Bool) {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return (text, false) }
        if limit <= 3 {
            return (String(String.UnicodeScalarView(scalars.prefix(limit))), true)
        }
        return (String(String.UnicodeScalarView(scalars.prefix(limit - 1))) + "…", true)
    }
}
