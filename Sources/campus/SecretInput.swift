import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Secrets a command needs (a password, a token) come from a file, the environment or standard
/// input — never from its arguments, which land in shell history and in every `ps` listing.
enum SecretInput {
    /// The file's text without its final line break; fails naming `option` when it cannot be read or is empty.
    static func file(_ path: String, option: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(option): cannot read the file \(path).") }
        let text = withoutFinalLineBreak(String(decoding: data, as: UTF8.self))
        guard !text.isEmpty else { throw ValidationError("\(option): the file \(path) is empty.") }
        return text
    }

    /// The environment variable's value, nil when unset or empty.
    static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// One line from standard input. At a terminal it asks with `prompt` (twice when `confirm`)
    /// without echoing what is typed.
    static func standardInput(prompt: String, confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else { throw ValidationError("No password on standard input.") }
            return line
        }
        let first = try readHidden(prompt)
        if confirm, try readHidden("Again, to be sure: ") != first { throw ValidationError("The two passwords differ; nothing was changed.") }
        return first
    }

    private static func readHidden(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("No password was typed.") }
        return line
    }

    private static func withoutFinalLineBreak(_ text: String) -> String {
        if text.hasSuffix("\r\n") { return String(text.dropLast(2)) }
        if text.hasSuffix("\n") { return String(text.dropLast()) }
        return text
    }
}
