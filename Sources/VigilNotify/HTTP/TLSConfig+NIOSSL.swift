import NIOSSL
import VigilAlerting

extension TLSConfig {
    /// The NIOSSL client configuration, reading `ca_file`, `cert_file` and `key_file` now: as
    /// Prometheus's `NewTLSConfig`, `ca_file` replaces the system trust store.
    ///
    /// - Parameter retryable: whether a file that cannot be used makes a retryable error (at
    ///   send time, as Go's round tripper fails the request) or not (when building the notifier).
    func makeClientConfiguration(retryable: Bool) throws(NotifyError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            let roots: [NIOSSLCertificate]
            do {
                roots = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw NotifyError(code: .configuration, message: "unable to load specified CA cert \(caFile): \(error)", isRetryable: retryable)
            }
            guard !roots.isEmpty else {
                throw NotifyError(code: .configuration, message: "unable to use specified CA cert \(caFile)", isRetryable: retryable)
            }
            tls.trustRoots = .certificates(roots)
        }
        if let certFile, let keyFile {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(certFile)
                guard !chain.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
                tls.certificateChain = chain.map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw NotifyError(code: .configuration, message: "unable to use specified client cert (\(certFile)) & key (\(keyFile)): \(error)", isRetryable: retryable)
            }
        }
        if insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let minVersion { tls.minimumTLSVersion = minVersion.nioVersion }
        if let maxVersion { tls.maximumTLSVersion = maxVersion.nioVersion }
        return tls
    }
}

extension TLSConfig.Version {
    var nioVersion: TLSVersion {
        switch self {
        case .tls10: .tlsv1
        case .tls11: .tlsv11
        case .tls12: .tlsv12
        case .tls13: .tlsv13
        }
    }
}
