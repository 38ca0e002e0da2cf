#!/usr/bin/env python3
"""Generates the reference data behind org-status and coverage, deterministically.

    python3 functions/generate-data.py            # writes both CSV files
    python3 functions/generate-data.py --check    # verifies the committed files are what this script makes

Outputs (committed; running this again reproduces them byte for byte, on any Python 3.8+):
    functions/org-status/data/organisations.csv   ORG-0001 ... ORG-5000
    functions/coverage/data/members.csv           M-000001 ... M-050000

The mix is chosen so that, evaluated with functions/rules/rules.json on 2026-03-01 (and for a while after), most
organisations are ELIGIBLE and every rule, and so each decision, occurs. memberCount in organisations.csv is the
number of that organisation's rows in members.csv.

Randomness comes from a fixed-seed SplitMix64 and integer arithmetic only, never from `random` or floating point,
so that the output cannot drift with the Python version or the C library.
"""
import argparse
import datetime as dt
import hashlib
import os
import sys

SEED = 0x229C3838D6239F2A  # the seed story's id
ORG_COUNT = 5000
MEMBER_COUNT = 50000
REFERENCE_DAY = dt.date(2026, 3, 1)  # the README's evaluation date

HERE = os.path.dirname(os.path.abspath(__file__))
ORGS_PATH = os.path.join(HERE, "org-status", "data", "organisations.csv")
MEMBERS_PATH = os.path.join(HERE, "coverage", "data", "members.csv")


class SplitMix64:
    """A tiny, fully specified generator: the same seed gives the same stream everywhere."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, n):
        """Uniform integer in [0, n), by rejection (no modulo bias)."""
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def between(self, lo, hi):
        """Uniform integer in [lo, hi]."""
        return lo + self.below(hi - lo + 1)

    def percent(self):
        """Uniform integer in [0, 100)."""
        return self.below(100)

    def weighted(self, table):
        """Picks from [(value, weight), ...] with integer weights."""
        total = sum(w for _, w in table)
        r = self.below(total)
        for value, weight in table:
            if r < weight:
                return value
            r -= weight
        raise AssertionError("unreachable")

    def date_between(self, lo, hi):
        return dt.date.fromordinal(self.between(lo.toordinal(), hi.toordinal()))

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def month_start(d):
    return d.replace(day=1)


def month_end(d):
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


PREFIXES = [
    "Harbor", "Summit", "Cedar", "Northwind", "Bluebird", "Granite", "Meadow", "Riverbend", "Silverline", "Oakridge",
    "Pioneer", "Lakeside", "Redwood", "Beacon", "Copperfield", "Evergreen", "Sunrise", "Ironwood", "Maple", "Coastal",
    "Prairie", "Highland", "Keystone", "Willow", "Falcon", "Juniper", "Orchard", "Stonebridge", "Clearwater", "Aspen",
    "Bayview", "Crescent", "Driftwood", "Foxglove", "Golden Gate", "Hillcrest", "Ivy", "Kestrel", "Lantern", "Mesa",
]
TRADES = [
    "Logistics", "Bakery", "Dental", "Engineering", "Freight", "Foods", "Health Partners", "Hardware", "Analytics",
    "Builders", "Consulting", "Veterinary", "Print Works", "Textiles", "Software", "Landscaping", "Pharmacy", "Robotics",
    "Family Clinic", "Credit Union", "Electric", "Plumbing", "Brewing", "Architects", "Outfitters", "Marine",
    "Transit", "Solar", "Learning Center", "Media", "Farms", "Hotels", "Labs", "Motors", "Insurance Brokers",
    "Packaging", "Cleaning Services", "Security", "Legal Group", "Home Care",
]
SUFFIXES = ["LLC", "Inc.", "Co.", "Ltd.", "Cooperative", "Group", "Partners"]
REGIONS = [("US-WEST", 24), ("US-EAST", 24), ("US-CENTRAL", 16), ("US-SOUTH", 18), ("US-NORTHWEST", 9), ("US-SOUTHWEST", 9)]
PLANS = [("BRONZE", 30), ("SILVER", 35), ("GOLD", 25), ("PLATINUM", 10)]
DEPENDENTS = [(0, 45), (1, 20), (2, 18), (3, 12), (4, 5)]

DEMO_ORG = {
    "orgId": "ORG-0042", "name": "Harbor Logistics LLC", "status": "ACTIVE", "region": "US-WEST",
    "contractStart": dt.date(2024, 1, 1), "contractEnd": dt.date(2028, 12, 31), "taxIdVerified": True,
    "balanceCents": 125000, "lastAuditDate": dt.date(2025, 9, 30),
}
DEMO_MEMBER = "M-000042"


def make_names(rng):
    """Distinct names; the demo organisation's name is kept for it alone."""
    names = [f"{p} {t} {s}" for p in PREFIXES for t in TRADES for s in SUFFIXES]
    names.remove(DEMO_ORG["name"])
    rng.shuffle(names)
    return names[:ORG_COUNT]


def make_organisation(rng, number, name):
    """One organisation. Each branch is one kind of standing; percentages are of all organisations."""
    org = {"orgId": f"ORG-{number:04d}", "name": name, "region": rng.weighted(REGIONS)}
    kind = rng.weighted([
        ("good", 800), ("suspended", 35), ("pending", 40), ("terminated", 35), ("expired", 30),
        ("not-started", 10), ("renewal-window", 20), ("inverted", 2), ("no-members", 8), ("unknown-status", 2),
    ])
    start = month_start(rng.date_between(dt.date(2018, 1, 1), dt.date(2025, 12, 1)))
    end = month_end(rng.date_between(dt.date(2027, 1, 1), dt.date(2031, 12, 1)))
    status = "ACTIVE"
    if kind == "suspended":
        status = "SUSPENDED"
    elif kind == "pending":
        status = "PENDING"
        start = month_start(rng.date_between(dt.date(2025, 11, 1), dt.date(2027, 3, 1)))
    elif kind == "terminated":
        status = "TERMINATED"
        end = month_end(rng.date_between(max(start, dt.date(2023, 1, 1)), dt.date(2026, 1, 31)))
    elif kind == "expired":
        end = month_end(rng.date_between(max(start, dt.date(2025, 3, 1)), dt.date(2026, 1, 31)))
    elif kind == "not-started":
        start = month_start(rng.date_between(dt.date(2027, 1, 1), dt.date(2027, 9, 1)))
    elif kind == "renewal-window":
        end = month_end(rng.date_between(dt.date(2026, 3, 1), dt.date(2026, 4, 25)))
    elif kind == "inverted":
        end = month_end(start - dt.timedelta(days=rng.between(40, 400)))
    elif kind == "unknown-status":
        status = "DORMANT"
    org["status"] = status
    org["contractStart"] = start
    org["contractEnd"] = end

    # Independent flags, a few percent each, on any kind of organisation.
    org["taxIdVerified"] = rng.percent() >= 3
    if rng.percent() < 3:
        org["balanceCents"] = rng.between(1_000_001, 6_000_000)
    elif rng.percent() < 55:
        org["balanceCents"] = 0
    else:
        org["balanceCents"] = rng.between(1_000, 800_000)
    if rng.percent() < 4:
        org["lastAuditDate"] = rng.date_between(dt.date(2020, 1, 1), dt.date(2024, 2, 28))
    else:
        org["lastAuditDate"] = rng.date_between(dt.date(2025, 1, 2), dt.date(2026, 2, 27))
    org["hasMembers"] = kind not in ("pending", "no-members", "not-started")
    return org


def allocate_members(rng, orgs):
    """Gives each organisation that has members at least one, then shares the rest by integer weights."""
    holders = [o for o in orgs if o["hasMembers"]]
    weights = []
    for o in holders:
        bucket = rng.weighted([((1, 6), 55), ((7, 20), 30), ((21, 60), 12), ((61, 250), 3)])
        weights.append(rng.between(*bucket))
    if DEMO_ORG["orgId"] in (o["orgId"] for o in holders):
        weights[[o["orgId"] for o in holders].index(DEMO_ORG["orgId"])] = 40
    remaining = MEMBER_COUNT - len(holders)
    total = sum(weights)
    shares = [remaining * w // total for w in weights]
    leftovers = sorted(range(len(holders)), key=lambda i: (-(remaining * weights[i] % total), i))
    for i in leftovers[: remaining - sum(shares)]:
        shares[i] += 1
    for o in orgs:
        o["memberCount"] = 0
    for o, share in zip(holders, shares):
        o["memberCount"] = 1 + share
    assert sum(o["memberCount"] for o in orgs) == MEMBER_COUNT


def make_members(rng, orgs):
    by_id = {o["orgId"]: o for o in orgs}
    owners = [o["orgId"] for o in orgs for _ in range(o["memberCount"])]
    rng.shuffle(owners)
    demo_index = int(DEMO_MEMBER[2:]) - 1
    if owners[demo_index] != DEMO_ORG["orgId"]:
        j = owners.index(DEMO_ORG["orgId"])
        owners[demo_index], owners[j] = owners[j], owners[demo_index]
    rows = []
    for i, org_id in enumerate(owners):
        org = by_id[org_id]
        member_id = f"M-{i + 1:06d}"
        start_floor = org["contractStart"]
        start_ceiling = max(start_floor, min(org["contractEnd"], dt.date(2026, 2, 1)))
        start = month_start(rng.date_between(start_floor, start_ceiling))
        if start < start_floor:
            start = start_floor
        end = org["contractEnd"]
        roll = rng.percent()
        if member_id == DEMO_MEMBER:
            pass
        elif roll < 8 and (end - start).days > 200:
            # Left before the contract ended (and before the reference day).
            last = min(end, REFERENCE_DAY - dt.timedelta(days=1))
            if last > start + dt.timedelta(days=90):
                end = month_end(rng.date_between(start + dt.timedelta(days=90), last))
        elif roll < 10 and org["contractEnd"] > dt.date(2026, 6, 30):
            # Joins after the reference day.
            start = month_start(rng.date_between(dt.date(2026, 4, 1), min(org["contractEnd"], dt.date(2026, 12, 1))))
        plan = "GOLD" if member_id == DEMO_MEMBER else rng.weighted(PLANS)
        dependents = 2 if member_id == DEMO_MEMBER else rng.weighted(DEPENDENTS)
        rows.append(f"{member_id},{org_id},{plan},{start.isoformat()},{end.isoformat()},{dependents}\n")
    return rows


def org_row(o):
    balance = f"{o['balanceCents'] // 100}.{o['balanceCents'] % 100:02d}"
    fields = [
        o["orgId"], o["name"], o["status"], o["region"], o["contractStart"].isoformat(), o["contractEnd"].isoformat(),
        str(o["memberCount"]), "true" if o["taxIdVerified"] else "false", balance, o["lastAuditDate"].isoformat(),
    ]
    assert all("," not in f and '"' not in f for f in fields)
    return ",".join(fields) + "\n"


def generate():
    rng = SplitMix64(SEED)
    names = make_names(rng)
    orgs = []
    for n in range(1, ORG_COUNT + 1):
        org = make_organisation(rng, n, names[n - 1])
        if org["orgId"] == DEMO_ORG["orgId"]:
            org.update(DEMO_ORG)
            org["hasMembers"] = True
        orgs.append(org)
    allocate_members(rng, orgs)
    members = make_members(rng, orgs)
    org_text = "orgId,name,status,region,contractStart,contractEnd,memberCount,taxIdVerified,outstandingBalance,lastAuditDate\n"
    org_text += "".join(org_row(o) for o in orgs)
    member_text = "memberId,orgId,plan,coverageStart,coverageEnd,dependents\n" + "".join(members)
    return {ORGS_PATH: org_text.encode("ascii"), MEMBERS_PATH: member_text.encode("ascii")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk instead of writing")
    args = parser.parse_args()
    outputs = generate()
    stale = []
    for path, data in outputs.items():
        rel = os.path.relpath(path, os.path.dirname(HERE))
        digest = hashlib.sha256(data).hexdigest()[:16]
        if args.check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except FileNotFoundError:
                same = False
            print(f"{'ok   ' if same else 'STALE'} {rel} ({len(data)} bytes, sha256 {digest})")
            if not same:
                stale.append(rel)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            print(f"wrote {rel} ({len(data)} bytes, sha256 {digest})")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
