import Foundation
import Hummingbird
import VigilAlerting

extension AlertmanagerAPI {
    func status() async throws -> Response {
        let config = await engine.config
        return Self.json([
            "cluster": ["status": "disabled", "peers": [] as [Any]] as [String: Any],
            "config": ["original": config.original],
            "uptime": RFC3339.format(engine.startedAt),
            "versionInfo": [
                "version": version, "branch": "", "revision": "", "buildUser": "", "buildDate": "", "goVersion": "vigil",
            ],
        ] as [String: Any])
    }

    func receivers() async throws -> Response {
        Self.json(await engine.config.receivers.map { ["name": $0.name] })
    }
}
