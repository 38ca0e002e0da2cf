#if canImport(Glibc)
import Glibc
#endif

extension HostConfiguration {
    /// Where the functions are when neither `--functions` nor `FNHOST_FUNCTIONS_DIR` says: `./functions` when the
    /// current directory has one, else the `functions/` of the repository the running binary was built in, that is
    /// the first folder above the binary that holds a `functions/` folder beside a `Package.swift`.
    ///
    /// The search starts from the binary's real folder (`/proc/self/exe`), so `.build/release/fnhost` finds the
    /// repository from any directory although `.build/release` links to `.build/x86_64-unknown-linux-gnu/release`,
    /// one level deeper than it reads.
    /// - Parameters:
    ///   - currentDirectory: the absolute path of the current directory.
    ///   - executableDirectory: the absolute, symlink-free folder of the running binary.
    ///   - isDirectory, isFile: how to look at the file system (a test passes its own).
    /// - Throws: ``FunctionsDirectoryNotFound``, naming every folder tried.
    public static func locateFunctionsDirectory(
        currentDirectory: String = HostConfiguration.absolute("."),
        executableDirectory: String = HostConfiguration.executableDirectory(),
        isDirectory: (String) -> Bool = HostConfiguration.isDirectory,
        isFile: (String) -> Bool = HostConfiguration.isRegularFile
    ) throws(FunctionsDirectoryNotFound) -> String {
        let here = join(currentDirectory, "functions")
        if isDirectory(here) { return here }
        var tried: [String] = []
        var folder = executableDirectory
        while true {
            tried.append(folder)
            let functions = join(folder, "functions")
            if isDirectory(functions) && isFile(join(folder, "Package.swift")) { return functions }
            guard folder != "/", folder.hasPrefix("/"), let slash = folder.lastIndex(of: "/") else { break }
            folder = slash == folder.startIndex ? "/" : String(folder[..<slash])
        }
        throw FunctionsDirectoryNotFound(currentDirectory: currentDirectory, searched: tried)
    }

    /// Whether `path` is a directory (symbolic links followed).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` is a regular file (symbolic links followed).
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// No functions folder was named (`--functions`, `FNHOST_FUNCTIONS_DIR`) and none was found where fnhost looks for
/// one; the message lists the folders tried and how to name one.
public struct FunctionsDirectoryNotFound: Error, Sendable, Equatable, CustomStringConvertible {
    /// The current directory, where `./functions` was looked for first.
    public var currentDirectory: String
    /// The folders above the binary that were searched for `functions/` beside `Package.swift`, nearest first.
    public var searched: [String]

    public init(currentDirectory: String, searched: [String]) {
        self.currentDirectory = currentDirectory
        self.searched = searched
    }

    public var description: String {
        "cannot find the functions folder: there is no ./functions in \(currentDirectory), and none of the folders "
            + "above the fnhost binary holds functions/ beside a Package.swift (tried \(searched.joined(separator: ", "))); "
            + "name it with --functions DIR or FNHOST_FUNCTIONS_DIR"
    }
}
