/// A bounded in-memory cache that evicts the least recently used entry and treats entries older than a TTL as absent.
///
/// This is the per-worker tier: a Lambda environment keeps its memory between invocations, so a worker that has seen
/// a key answers it again without leaving the process. Lookups, insertions and removals are O(1): a dictionary from
/// key to slot, and a doubly linked recency list threaded through an array of slots (no per-entry allocation).
///
/// Time is passed in (`now`, any monotonic origin) rather than read from a clock, so tests can move it by hand.
/// A value type, not synchronised: wrap it in a `Mutex` to share it (as `ReadThroughCache` does).
public struct LRUCache<Key: Hashable, Value> {
    /// The most entries kept; 0 keeps nothing.
    public let capacity: Int
    /// How long an entry stays valid after it was inserted.
    public let ttl: Duration

    fileprivate struct Slot {
        var key: Key?
        var value: Value?
        var expires: Duration
        var newer: Int
        var older: Int
    }

    private var slots: [Slot] = []
    private var slotByKey: [Key: Int] = [:]
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1

    public init(capacity: Int, ttl: Duration) {
        self.capacity = Swift.max(0, capacity)
        self.ttl = ttl
        slotByKey.reserveCapacity(Swift.min(self.capacity, 1024))
    }

    /// The number of entries held, including expired ones not yet noticed.
    public var count: Int { slotByKey.count }

    /// The value for `key` if present and not expired, making it the most recently used; an expired entry is removed.
    public mutating func value(forKey key: Key, now: Duration) -> Value? {
        guard let slot = slotByKey[key] else { return nil }
        guard slots[slot].expires > now else {
            remove(slot: slot)
            return nil
        }
        moveToNewest(slot)
        return slots[slot].value
    }

    /// Stores `value` for `key` until `now + ttl`, as the most recently used entry.
    ///
    /// - Returns: the key evicted to make room, if any.
    @discardableResult
    public mutating func insert(_ value: Value, forKey key: Key, now: Duration) -> Key? {
        guard capacity > 0 else { return nil }
        if let slot = slotByKey[key] {
            slots[slot].value = value
            slots[slot].expires = now + ttl
            moveToNewest(slot)
            return nil
        }
        var evicted: Key?
        if slotByKey.count >= capacity {
            evicted = slots[oldest].key
            remove(slot: oldest)
        }
        let entry = Slot(key: key, value: value, expires: now + ttl, newer: -1, older: -1)
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[slot] = entry
        } else {
            slot = slots.count
            slots.append(entry)
        }
        slotByKey[key] = slot
        linkAsNewest(slot)
        return evicted
    }

    /// Forgets `key`.
    public mutating func removeValue(forKey key: Key) {
        if let slot = slotByKey[key] { remove(slot: slot) }
    }

    /// Forgets everything.
    public mutating func removeAll() {
        slots.removeAll()
        slotByKey.removeAll()
        freeSlots.removeAll()
        newest = -1
        oldest = -1
    }

    /// The keys from most to least recently used (O(n); for tests and diagnostics).
    public var keysByRecency: [Key] {
        var keys: [Key] = []
        var slot = newest
        while slot >= 0 {
            if let key = slots[slot].key { keys.append(key) }
            slot = slots[slot].older
        }
        return keys
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        if let key = slots[slot].key { slotByKey[key] = nil }
        slots[slot].key = nil
        slots[slot].value = nil
        freeSlots.append(slot)
    }

    private mutating func moveToNewest(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func linkAsNewest(_ slot: Int) {
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let newer = slots[slot].newer
        let older = slots[slot].older
        if newer >= 0 { slots[newer].older = older } else { newest = older }
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
        slots[slot].newer = -1
        slots[slot].older = -1
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}
extension LRUCache.Slot: Sendable where Key: Sendable, Value: Sendable {}
