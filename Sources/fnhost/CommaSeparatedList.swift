import ArgumentParser
import Foundation

/// An option whose value is a comma-separated list: cases of an enum (`--designs as-built,merged`, `--scenarios
/// queue,fifo`) or numbers (`--threads 1,5,10`, `--keep-alives 0,60`): one parser, so every such option refuses a bad
/// entry the same way, naming the option (and, for names, the values it takes).
enum CommaSeparatedList {
    /// The numbers `text` lists, in its order; spaces around an entry, and empty entries (`1,,5`), are ignored. The
    /// caller checks the list's length and range.
    /// - Throws: `ValidationError` naming `option` for an entry that is not a number.
    static func numbers<Number: LosslessStringConvertible>(_ text: String, option: String) throws -> [Number] {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try entries.map { entry in
            guard let number = Number(entry) else {
                throw ValidationError(
                    "\(option): \"\(entry)\" is not a number (a comma-separated list, got \"\(text)\")")
            }
            return number
        }
    }

    /// The cases `text` names, in its order; spaces around a name, and empty names (`a,,b`), are ignored.
    /// - Throws: `ValidationError` for an empty list or an unknown name, naming `option` and the allowed values.
    static func parse<Choice: RawRepresentable & CaseIterable>(_ text: String, option: String) throws -> [Choice]
    where Choice.RawValue == String {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else {
            throw ValidationError("\(option) must name at least one of \(allowed(Choice.self)), got \"\(text)\"")
        }
        return try names.map { name in
            guard let choice = Choice(rawValue: name) else {
                throw ValidationError(
                    "\(option): unknown value \"\(name)\"; choose from \(allowed(Choice.self)) (comma-separated)")
            }
            return choice
        }
    }

    /// Every case's name, comma-separated: the option's default and its help.
    static func all<Choice: RawRepresentable & CaseIterable>(_: Choice.Type, separator: String = ",") -> String
    where Choice.RawValue == String {
        Choice.allCases.map(\.rawValue).joined(separator: separator)
    }

    /// The allowed names, for messages: `as-built, merged, gateway`.
    static func allowed<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type) -> String
    where Choice.RawValue == String {
        all(type, separator: ", ")
    }
}
