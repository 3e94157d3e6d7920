/// Vigil's release version.
public enum VigilVersion {
    public static let current = "0.1.0"
}
