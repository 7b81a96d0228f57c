/// One setting as `campus config` shows it: where its value came from, and the value unless it is a secret.
public struct SettingReading: Sendable, Equatable, Encodable {
    public enum Source: Sendable, Equatable, Encodable, CustomStringConvertible {
        case environment
        /// The `.env` file at this path.
        case dotEnv(String)
        /// Read from this file through `NAME_FILE`.
        case file(String)
        /// Not set: the built-in default.
        case defaultValue

        public var description: String {
            switch self {
            case .environment: "environment"
            case .dotEnv(let path): "\(path) file"
            case .file(let path): "file \(path)"
            case .defaultValue: "default"
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(description)
        }
    }

    public let variable: String
    public let source: Source
    /// The value in effect (the default's, when not set); nil for secrets and settings with no default.
    public let value: String?
    public let isSecret: Bool
}
