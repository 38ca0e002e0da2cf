import FnhostEventSources
import FnhostManifest
import FnhostQueues
import FnhostStore
import FnhostWire
import Foundation

/// Lambda's event source mapping API on fnhost's store: Create, List, Get, Update and Delete with Lambda's rules
/// and errors, and the mappings the manifests declare, brought into the store at every start. Every change is
/// committed before the answer, and the supervisor is told so the pollers follow.
struct EventSourceMappingService: Sendable {
    let store: Store
    let functions: [String: FunctionManifest]
    let region: String
    let kinds: EventSourceKinds
    let supervisor: MappingSupervisor
    let metrics: EventSourceMetrics

    static let defaultPageSize = 100

    // MARK: Rows

    static func mapping(_ row: StoredMapping) -> EventSourceMapping? { EventSourceMapping(stored: row) }

    static func row(_ m: EventSourceMapping) -> StoredMapping { m.stored }

    static func storeFailure(_ error: any Error) -> ServiceError {
        ServiceError(type: "ServiceException", status: 500, message: "fnhost's store failed: \(error)")
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: Operations

    func create(_ body: [String: JSONValue]) async throws(ServiceError) -> JSONValue {
        try Self.refuseUnsupported(body)
        guard case .string(let arn)? = body["EventSourceArn"] else {
            throw MappingError.invalidParameter("EventSourceArn is required: the ARN of an SQS queue or a stream.")
        }
        guard let kind = EventSourceKind(arn: arn) else {
            throw MappingError.invalidParameter(
                "Unrecognized event source, must be kinesis, dynamodb stream or sqs: \(arn.prefix(200))")
        }
        let function = try self.function(body["FunctionName"])
        var settings = MappingSettings.defaults(for: kind)
        try settings.apply(body)
        let fifo = try await source(arn, kind: kind)
        try settings.validate(kind: kind, fifo: fifo, given: Set(body.keys))
        try await checkDestination(settings)
        let mapping = EventSourceMapping(
            uuid: UUID().uuidString.lowercased(), function: function, eventSourceARN: arn, kind: kind,
            state: .resting(enabled: settings.enabled), settings: settings, lastModified: Self.nowMs())
        let created: Store.MappingCreation
        do { created = try await store.createMapping(Self.row(mapping)) } catch { throw Self.storeFailure(error) }
        if case .conflict(let existing) = created {
            throw MappingError.conflict(kind: kind, sourceARN: arn, function: function, existing: existing.uuid)
        }
        await supervisor.refresh()
        return mapping.configuration(region: region, state: .creating)
    }

    func get(_ uuid: String) async throws(ServiceError) -> JSONValue {
        try await load(uuid).configuration(region: region)
    }

    func list(query: [String: String]) async throws(ServiceError) -> JSONValue {
        var size = Self.defaultPageSize
        if let text = query["MaxItems"] {
            guard let n = Int(text), (1...10_000).contains(n) else {
                throw MappingError.validation(
                    field: "maxItems", value: text, constraint: "Member must have value between 1 and 10000")
            }
            size = n
        }
        var function: String?
        if let text = query["FunctionName"], !text.isEmpty {
            guard let reference = FunctionReference(parsing: text) else {
                throw MappingError.invalidParameter("Invalid function name: \(text.prefix(140))")
            }
            function = reference.name
        }
        let rows: [StoredMapping]
        do { rows = try await store.mappings() } catch { throw Self.storeFailure(error) }
        let source = query["EventSourceArn"]
        let all = rows.compactMap(Self.mapping).filter { mapping in
            (source == nil || mapping.eventSourceARN == source) && (function == nil || mapping.function == function)
        }
        var start = 0
        if let marker = query["Marker"], !marker.isEmpty {
            guard let i = all.firstIndex(where: { $0.uuid == marker }) else {
                throw MappingError.invalidParameter("Invalid marker: \(marker.prefix(100))")
            }
            start = i
        }
        let page = all[start..<min(all.count, start + size)]
        var out: [String: JSONValue] = [
            "EventSourceMappings": .array(page.map { $0.configuration(region: region) })
        ]
        if start + size < all.count { out["NextMarker"] = .string(all[start + size].uuid) }
        return .object(out)
    }

    func update(_ uuid: String, _ body: [String: JSONValue]) async throws(ServiceError) -> JSONValue {
        try Self.refuseUnsupported(body)
        var mapping = try await load(uuid)
        try refuseDeclared(mapping)
        for field in MappingSettings.createOnlyFields.intersection(body.keys).sorted() {
            throw MappingError.invalidParameter("\(field) cannot be changed: delete the mapping and create it again.")
        }
        if body["FunctionName"] != nil { mapping.function = try function(body["FunctionName"]) }
        try mapping.settings.apply(body)
        let fifo = try await source(mapping.eventSourceARN, kind: mapping.kind)
        try mapping.settings.validate(kind: mapping.kind, fifo: fifo, given: Set(body.keys))
        try await checkDestination(mapping.settings)
        mapping.state = .resting(enabled: mapping.settings.enabled)
        mapping.lastModified = Self.nowMs()
        let updated: Bool
        do { updated = try await store.updateMapping(Self.row(mapping)) } catch { throw Self.storeFailure(error) }
        guard updated else { throw MappingError.notFound() }
        await supervisor.refresh()
        return mapping.configuration(region: region, state: .updating)
    }

    func delete(_ uuid: String) async throws(ServiceError) -> JSONValue {
        let mapping = try await load(uuid)
        try refuseDeclared(mapping)
        do { try await store.deleteMapping(uuid: uuid) } catch { throw Self.storeFailure(error) }
        await supervisor.refresh()
        return mapping.configuration(region: region, state: .deleting)
    }

    // MARK: Checks

    func load(_ uuid: String) async throws(ServiceError) -> EventSourceMapping {
        let row: StoredMapping?
        do { row = try await store.mapping(uuid: uuid) } catch { throw Self.storeFailure(error) }
        guard let row, let mapping = Self.mapping(row) else { throw MappingError.notFound() }
        return mapping
    }

    func refuseDeclared(_ mapping: EventSourceMapping) throws(ServiceError) {
        guard mapping.origin == .manifest else { return }
        throw MappingError.declaredInManifest(mapping.uuid, file: functions[mapping.function]?.file ?? "its manifest")
    }

    static func refuseUnsupported(_ body: [String: JSONValue]) throws(ServiceError) {
        for field in MappingSettings.unsupportedFields.intersection(body.keys).sorted() {
            throw MappingError.invalidParameter("fnhost does not support \(field) on event source mappings.")
        }
    }

    /// The function a `FunctionName` (name, partial or full ARN) names, or Lambda's not-found.
    func function(_ value: JSONValue?) throws(ServiceError) -> String {
        guard case .string(let text)? = value else {
            throw MappingError.invalidParameter("FunctionName is required: the name or ARN of a function.")
        }
        guard let reference = FunctionReference(parsing: text) else {
            throw MappingError.invalidParameter("Invalid function name: \(text.prefix(140))")
        }
        guard reference.isLatest, functions[reference.name] != nil else {
            throw MappingError.functionNotFound(reference.arn(region: region))
        }
        return reference.name
    }

    /// Checks the source exists (when this build can look sources of its kind up); whether it is a FIFO queue.
    func source(_ arn: String, kind: EventSourceKind) async throws(ServiceError) -> Bool {
        guard let catalog = kinds.catalogs[kind] else { return false }
        let info: EventSourceInfo?
        do { info = try await catalog.describe(sourceARN: arn) } catch { throw Self.storeFailure(error) }
        guard let info else { throw MappingError.sourceNotFound(arn) }
        return info.fifo
    }

    /// An on-failure destination must be an existing fnhost queue.
    func checkDestination(_ settings: MappingSettings) async throws(ServiceError) {
        guard let destination = settings.onFailureDestination else { return }
        _ = try await source(destination, kind: .sqs)
    }

    // MARK: Manifests

    /// Brings the manifests' declarations into the store: each becomes (or stays) a mapping with a UUID made from
    /// its function and source; a declared queue that does not exist is created with SQS's defaults; declarations
    /// removed from a manifest are deleted. Returns notes for the log.
    func syncDeclarations() async throws -> [String] {
        var notes: [String] = []
        var declared: Set<String> = []
        let existing = try await store.mappings()
        for manifest in functions.values.sorted(by: { $0.name < $1.name }) {
            for declaration in manifest.eventSources {
                let arn = declaration.sourceARN(region: region)
                let uuid = EventSourceMapping.declaredUUID(function: manifest.name, sourceARN: arn)
                if let other = existing.first(where: {
                    $0.function == manifest.name && $0.sourceARN == arn && $0.uuid != uuid
                }) {
                    notes.append(
                        "fnhost: \(manifest.file): \(declaration.source) is already mapped to \(manifest.name) through the API (UUID \(other.uuid)); the declaration is skipped until that mapping is deleted"
                    )
                    continue
                }
                declared.insert(uuid)
                if declaration.kind == .sqs {
                    if try await ensureQueue(declaration.source) {
                        notes.append("fnhost: created queue \(declaration.source) for \(manifest.name)'s eventSources")
                    }
                }
                if let destination = declaration.settings.onFailureDestination,
                    let name = QueueARN(destination)?.name, try await ensureQueue(name)
                {
                    notes.append("fnhost: created queue \(name), \(manifest.name)'s on-failure destination")
                }
                let mapping = EventSourceMapping(
                    uuid: uuid, function: manifest.name, eventSourceARN: arn, kind: declaration.kind,
                    state: .resting(enabled: declaration.settings.enabled), settings: declaration.settings,
                    origin: .manifest, lastModified: Self.nowMs())
                try await store.saveMapping(Self.row(mapping))
            }
        }
        for row in existing
        where row.origin == EventSourceMapping.Origin.manifest.rawValue && !declared.contains(row.uuid) {
            try await store.deleteMapping(uuid: row.uuid)
        }
        return notes
    }

    /// Creates the queue with SQS's defaults unless it exists; whether it was created.
    func ensureQueue(_ name: String) async throws -> Bool {
        if try await store.queue(named: name) != nil { return false }
        let attributes = try QueueAttributes.forNewQueue(
            name: name, attributes: name.hasSuffix(".fifo") ? ["FifoQueue": "true"] : [:])
        _ = try await store.createQueue(name, attributes: SQSService.encode(attributes), now: Self.nowMs())
        return true
    }
}
