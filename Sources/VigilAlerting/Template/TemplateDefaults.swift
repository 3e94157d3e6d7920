/// Alertmanager's built-in templates (`template/default.tmpl` of Alertmanager 0.25–0.27) for the
/// parts Vigil's notifiers use: the shared `__subject` family, the Slack defaults and the e-mail
/// subject.
///
/// The bodies must render byte for byte what Alertmanager renders, so their whitespace is part of
/// the contract: `__subject` ends with a space when all common labels are group labels, and
/// `__text_alert_list` puts each label on its own ` - name = value` line.
enum TemplateDefaults {
    static let sourceName = "default.tmpl"

    /// Names of every template defined here, for documentation and tests.
    static let names = [
        "__alertmanager", "__alertmanagerURL", "__subject", "__description", "__text_alert_list",
        "slack.default.title", "slack.default.username", "slack.default.fallback", "slack.default.callbackid",
        "slack.default.pretext", "slack.default.titlelink", "slack.default.iconemoji", "slack.default.iconurl",
        "slack.default.text", "slack.default.footer", "email.default.subject",
    ]

    static let text = #"""
{{/* Shared pieces. */}}
{{ define "__alertmanager" }}Alertmanager{{ end }}
{{ define "__alertmanagerURL" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}
{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}
{{ define "__description" }}{{ end }}
{{ define "__text_alert_list" }}{{ range . }}Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Source: {{ .GeneratorURL }}
{{ end }}{{ end }}

{{/* Slack: the defaults of slack_configs fields. */}}
{{ define "slack.default.title" }}{{ template "__subject" . }}{{ end }}
{{ define "slack.default.username" }}{{ template "__alertmanager" . }}{{ end }}
{{ define "slack.default.fallback" }}{{ template "slack.default.title" . }} | {{ template "slack.default.titlelink" . }}{{ end }}
{{ define "slack.default.callbackid" }}{{ end }}
{{ define "slack.default.pretext" }}{{ end }}
{{ define "slack.default.titlelink" }}{{ template "__alertmanagerURL" . }}{{ end }}
{{ define "slack.default.iconemoji" }}{{ end }}
{{ define "slack.default.iconurl" }}{{ end }}
{{ define "slack.default.text" }}{{ end }}
{{ define "slack.default.footer" }}{{ end }}

{{/* E-mail. */}}
{{ define "email.default.subject" }}{{ template "__subject" . }}{{ end }}
"""#
}
