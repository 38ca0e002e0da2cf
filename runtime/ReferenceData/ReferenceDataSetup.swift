import FnhostSimulation
import FnhostWire
import LambdaRuntime
import WorkerCache

/// The Init phase shared by org-status and coverage: load a CSV into a ``ReferenceStore``, put a worker cache in
/// front of it, all configured from the worker's environment, and log what was set up.
public enum ReferenceDataSetup {
    /// - Parameters:
    ///   - name: what the records are, for logs and errors ("organisations").
    ///   - file: the CSV, relative to the function's directory.
    ///   - parse: turns the table into records by key; throws on the first bad row.
    public static func load<Record: Codable & Sendable>(
        name: String, file: String, columns: [String], context: InitContext,
        parse: (CSVTable) throws(ReferenceDataError) -> [String: Record]
    ) throws(HandlerError) -> CachedReferenceData<Record> {
        let path = context.path(file)
        let clock = ContinuousClock()
        let started = clock.now
        let records: [String: Record]
        do {
            records = try parse(try CSVTable(path: path, expectedColumns: columns))
        } catch {
            throw HandlerError(type: "ReferenceDataError", message: error.description)
        }
        let elapsed = started.duration(to: clock.now)
        let loadMs = Int64(elapsed.inMilliseconds)
        let latency = try StoreLatency.fromEnvironment(context.environment, function: context.functionName)
        let store = ReferenceStore(name: name, records: records, latency: latency)

        let settings = CacheSettings.fromEnvironment(context.environment, function: context.functionName)
        for problem in settings.problems {
            context.log("warning: cache setting ignored, default kept: \(problem)")
        }
        let cache = ReadThroughCache<Record>(settings: settings)
        if let problem = cache.configurationError {
            context.log("warning: shared cache tier off: \(problem)")
        }
        context.log(
            "loaded \(records.count) \(name) from \(path) in \(loadMs) ms; store latency \(latency.distribution.spec) "
                + "at time scale \(latency.timeScale), seed \(latency.streamSeed); worker cache \(settings.capacity) entries, "
                + "ttl \(settings.ttlSeconds)s; shared tier \(cache.shared == nil ? "off" : settings.redisURL ?? "on")"
        )
        return CachedReferenceData(store: store, cache: cache)
    }
}
