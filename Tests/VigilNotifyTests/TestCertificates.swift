import Foundation
import NIOSSL

/// A private CA, a server certificate for `alerts.internal` only (not for 127.0.0.1) and a
/// client certificate, made with `openssl` in a temporary folder.
struct TestCertificates {
    static let serverName = "alerts.internal"

    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    let directory: URL
    var caFile: String { path("ca.pem") }
    var serverCertificate: String { path("server.pem") }
    var serverKey: String { path("server.key") }
    var clientCertificate: String { path("client.pem") }
    var clientKey: String { path("client.key") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func make() throws -> TestCertificates {
        let certificates = TestCertificates(directory: try Fixtures.temporaryDirectory())
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try certificates.run(["req", "-x509"] + curve + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Vigil Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        for (name, subject, extensions) in [
            ("server", "/CN=\(serverName)", "subjectAltName=DNS:\(serverName)\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"),
            ("client", "/CN=vigil-client", "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n"),
        ] {
            try extensions.write(toFile: certificates.path("\(name).ext"), atomically: true, encoding: .utf8)
            try certificates.run(["req", "-new"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try certificates.run([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
            ])
        }
        return certificates
    }

    /// The server's TLS context; with `requireClientCertificate`, clients must present a certificate of the CA.
    func serverContext(requireClientCertificate: Bool = false) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: serverKey, format: .pem)))
        if requireClientCertificate {
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        guard let openssl = Self.openssl else {
            throw CocoaError(.executableNotLoadable, userInfo: [NSLocalizedDescriptionKey: "openssl is not installed (scripts/test installs it)"])
        }
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")) failed"])
        }
    }
}
