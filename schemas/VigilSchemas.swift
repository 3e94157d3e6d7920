import Foundation

/// The SQL migrations in `schemas/migrations/`, shipped as a resource bundle next to the binary.
public enum VigilSchemas {
    /// The folder holding `NNNN_name.sql` migration files.
    public static var migrationsDirectory: URL? {
        Bundle.module.url(forResource: "migrations", withExtension: nil)
    }
}
