"""boto3 against a real `fnhost serve`: one scenario per run, `python3 scenarios.py PORT SCENARIO [ARGS]`.

Each scenario asserts what Kinesis does and exits non-zero with the failed assertion on stderr; the Swift tests in
Tests/FnhostServerTests/KinesisTests.swift run them. Dummy credentials, nothing of the developer's AWS set-up.
"""
import base64
import datetime
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fnhost_boto import client, endpoint, error_of, unique  # noqa: E402

PORT = sys.argv[1]
ENDPOINT = endpoint(PORT)
kinesis = client("kinesis", PORT)


def expected_shard(key, shards):
    """The shard Kinesis puts a key in: MD5 as a 128-bit integer, in the evenly split ranges of the stream."""
    h = int(hashlib.md5(key.encode()).hexdigest(), 16)
    for s in shards:
        r = s["HashKeyRange"]
        if int(r["StartingHashKey"]) <= h <= int(r["EndingHashKey"]):
            return s["ShardId"]
    raise AssertionError("no shard holds %d" % h)


def read_all(stream, shard, kind="TRIM_HORIZON", **extra):
    it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType=kind, **extra)["ShardIterator"]
    out = kinesis.get_records(ShardIterator=it, Limit=10000)
    return out["Records"], out["NextShardIterator"]


def streams():
    name = unique("life")
    kinesis.create_stream(StreamName=name, ShardCount=3)
    assert error_of(kinesis.create_stream, StreamName=name, ShardCount=3) == ("ResourceInUseException", 400)
    s = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert s["StreamStatus"] == "ACTIVE" and s["OpenShardCount"] == 3 and s["RetentionPeriodHours"] == 24, s
    assert s["StreamARN"] == "arn:aws:kinesis:us-east-1:000000000000:stream/" + name, s
    assert isinstance(s["StreamCreationTimestamp"], datetime.datetime), s
    kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    assert [x["ShardId"] for x in shards] == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    assert shards[0]["HashKeyRange"]["StartingHashKey"] == "0"
    assert shards[2]["HashKeyRange"]["EndingHashKey"] == str(2 ** 128 - 1)
    assert shards[1]["HashKeyRange"]["StartingHashKey"] == "113427455640312821154458202477256070485", shards
    page = kinesis.list_shards(StreamName=name, MaxResults=2)
    assert len(page["Shards"]) == 2 and "NextToken" in page, page
    rest = kinesis.list_shards(NextToken=page["NextToken"])
    assert [x["ShardId"] for x in rest["Shards"]] == ["shardId-000000000002"], rest
    by_arn = kinesis.list_shards(StreamARN=s["StreamARN"])["Shards"]
    assert len(by_arn) == 3
    assert name in kinesis.list_streams()["StreamNames"]
    d = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    assert len(d["Shards"]) == 3 and d["HasMoreShards"] is False, d
    kinesis.delete_stream(StreamName=name)
    assert error_of(kinesis.describe_stream_summary, StreamName=name) == ("ResourceNotFoundException", 400)
    assert error_of(kinesis.delete_stream, StreamName=name) == ("ResourceNotFoundException", 400)
    print("ok")


def put():
    name = unique("put")
    kinesis.create_stream(StreamName=name, ShardCount=4)
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    keys = ["user-%d" % i for i in range(40)]
    placed = {}
    for key in keys[:10]:
        r = kinesis.put_record(StreamName=name, Data=("one %s" % key).encode(), PartitionKey=key)
        assert r["ShardId"] == expected_shard(key, shards), (key, r)
        assert r["SequenceNumber"].isdigit(), r
        placed.setdefault(r["ShardId"], []).append((r["SequenceNumber"], key))
    r = kinesis.put_records(StreamName=name, Records=[{"Data": ("batch %s" % k).encode(), "PartitionKey": k} for k in keys])
    assert r["FailedRecordCount"] == 0 and len(r["Records"]) == 40, r
    for key, rec in zip(keys, r["Records"]):
        assert rec["ShardId"] == expected_shard(key, shards), (key, rec)
        placed.setdefault(rec["ShardId"], []).append((rec["SequenceNumber"], key))
    # The same key always lands in the same shard.
    again = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="user-3")
    assert again["ShardId"] == expected_shard("user-3", shards)
    placed[again["ShardId"]].append((again["SequenceNumber"], "user-3"))
    # ExplicitHashKey picks the shard whose range holds it.
    e = kinesis.put_record(StreamName=name, Data=b"e", PartitionKey="any", ExplicitHashKey=str(2 ** 128 - 1))
    assert e["ShardId"] == "shardId-000000000003", e
    placed[e["ShardId"]].append((e["SequenceNumber"], "any"))
    for shard in shards:
        sid = shard["ShardId"]
        records, _ = read_all(name, sid)
        got = [(x["SequenceNumber"], x["PartitionKey"]) for x in records]
        want = sorted(placed.get(sid, []), key=lambda p: int(p[0]))
        assert got == want, (sid, got, want)
        seqs = [int(x["SequenceNumber"]) for x in records]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
        for x in records:
            assert isinstance(x["Data"], bytes) and isinstance(x["ApproximateArrivalTimestamp"], datetime.datetime)
    print("ok")


def iterators():
    name = unique("iter")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    sid = "shardId-000000000000"
    seqs = []
    for i in range(5):
        seqs.append(kinesis.put_record(StreamName=name, Data=b"r%d" % i, PartitionKey="k")["SequenceNumber"])
    records, _ = read_all(name, sid, "TRIM_HORIZON")
    assert [x["Data"] for x in records] == [b"r0", b"r1", b"r2", b"r3", b"r4"], records
    records, _ = read_all(name, sid, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[2])
    assert [x["Data"] for x in records] == [b"r2", b"r3", b"r4"], records
    records, _ = read_all(name, sid, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[2])
    assert [x["Data"] for x in records] == [b"r3", b"r4"], records
    records, latest = read_all(name, sid, "LATEST")
    assert records == [], records
    kinesis.put_record(StreamName=name, Data=b"r5", PartitionKey="k")
    out = kinesis.get_records(ShardIterator=latest)
    assert [x["Data"] for x in out["Records"]] == [b"r5"], out
    assert out["MillisBehindLatest"] == 0, out
    # Reading on from NextShardIterator gives nothing new, then the next record.
    out = kinesis.get_records(ShardIterator=out["NextShardIterator"])
    assert out["Records"] == [], out
    # botocore sends AT_TIMESTAMP's Timestamp in whole seconds: start a new second before the next record.
    time.sleep(1.1 - time.time() % 1)
    mark = datetime.datetime.fromtimestamp(int(time.time()), datetime.timezone.utc)
    kinesis.put_record(StreamName=name, Data=b"r6", PartitionKey="k")
    records, _ = read_all(name, sid, "AT_TIMESTAMP", Timestamp=mark)
    assert [x["Data"] for x in records] == [b"r6"], records
    # Limit and paging.
    it = kinesis.get_shard_iterator(StreamName=name, ShardId=sid, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    first = kinesis.get_records(ShardIterator=it, Limit=2)
    assert [x["Data"] for x in first["Records"]] == [b"r0", b"r1"] and first["MillisBehindLatest"] >= 0, first
    second = kinesis.get_records(ShardIterator=first["NextShardIterator"], Limit=2)
    assert [x["Data"] for x in second["Records"]] == [b"r2", b"r3"], second
    print("ok")


def errors():
    name = unique("err")
    kinesis.create_stream(StreamName=name, ShardCount=2)
    sid = "shardId-000000000000"
    missing = unique("missing")
    assert error_of(kinesis.put_record, StreamName=missing, Data=b"x", PartitionKey="k")[0] == "ResourceNotFoundException"
    assert error_of(kinesis.list_shards, StreamName=missing)[0] == "ResourceNotFoundException"
    assert error_of(kinesis.get_shard_iterator, StreamName=name, ShardId="shardId-000000000009",
                    ShardIteratorType="TRIM_HORIZON")[0] == "ResourceNotFoundException"
    # Over 1 MiB of data: refused, nothing stored.
    code = error_of(kinesis.put_record, StreamName=name, Data=b"x" * (1024 * 1024 + 1), PartitionKey="k")
    assert code == ("ValidationException", 400), code
    # Data and key together over 1 MiB.
    code = error_of(kinesis.put_record, StreamName=name, Data=b"x" * (1024 * 1024), PartitionKey="kk")
    assert code == ("InvalidArgumentException", 400), code
    # More than 500 records (botocore does not check the count itself).
    code = error_of(kinesis.put_records, StreamName=name,
                    Records=[{"Data": b"x", "PartitionKey": "k"}] * 501)
    assert code[0] == "ValidationException", code
    # botocore refuses a 257-character key itself; the server does too (raw request below).
    assert error_of(kinesis.put_record, StreamName=name, Data=b"x", PartitionKey="k" * 257)[0] in (
        "ParamValidation", "ValidationException")
    records, _ = read_all(name, sid)
    records += read_all(name, "shardId-000000000001")[0]
    assert records == [], records
    # Iterators: malformed, of another shard, unknown type.
    assert error_of(kinesis.get_records, ShardIterator="bm90IGFuIGl0ZXJhdG9y")[0] == "InvalidArgumentException"
    seq = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k", ExplicitHashKey="0")["SequenceNumber"]
    code = error_of(kinesis.get_shard_iterator, StreamName=name, ShardId="shardId-000000000001",
                    ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=seq)
    assert code[0] == "InvalidArgumentException", code
    code = error_of(kinesis.get_shard_iterator, StreamName=name, ShardId=sid, ShardIteratorType="AT_SEQUENCE_NUMBER")
    assert code[0] == "InvalidArgumentException", code
    # An iterator of a deleted stream.
    it = kinesis.get_shard_iterator(StreamName=name, ShardId=sid, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    kinesis.delete_stream(StreamName=name)
    assert error_of(kinesis.get_records, ShardIterator=it)[0] == "ResourceNotFoundException"
    print("ok")


def raw():
    """Requests botocore would never send: malformed bodies, unknown operations, CBOR."""
    import json
    import urllib.request

    def call(target, body, content_type="application/x-amz-json-1.1"):
        req = urllib.request.Request(ENDPOINT + "/", data=body, method="POST",
                                     headers={"X-Amz-Target": target, "Content-Type": content_type})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())
    status, body = call("Kinesis_20131202.PutRecord", b"{not json")
    assert status == 400 and body["__type"] == "SerializationException", (status, body)
    status, body = call("Kinesis_20131202.MergeShards", b"{}")
    assert status == 400 and body["__type"] == "UnknownOperationException", (status, body)
    status, body = call("Kinesis_20131202.PutRecord", b"\xbf\xff", "application/x-amz-cbor-1.1")
    assert status == 400 and "CBOR" in body["message"], (status, body)
    name = unique("raw")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    status, body = call("Kinesis_20131202.PutRecord", json.dumps(
        {"StreamName": name, "Data": "eA==", "PartitionKey": "k" * 257}).encode())
    assert status == 400 and body["__type"] == "ValidationException", (status, body)
    status, body = call("Kinesis_20131202.GetRecords", json.dumps({"ShardIterator": "x" * 513}).encode())
    assert status == 400 and body["__type"] == "ValidationException", (status, body)
    print("ok")


def retention():
    """Run against a server with a small time scale: 24 h of retention is a few real seconds."""
    seconds = float(sys.argv[3])
    name = unique("ret")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    sid = "shardId-000000000000"
    kinesis.put_record(StreamName=name, Data=b"old", PartitionKey="k")
    records, _ = read_all(name, sid)
    assert [x["Data"] for x in records] == [b"old"], records
    time.sleep(seconds + 0.5)
    kinesis.put_record(StreamName=name, Data=b"new", PartitionKey="k")
    records, _ = read_all(name, sid)
    assert [x["Data"] for x in records] == [b"new"], records
    print("ok")


def mapping():
    """A Kinesis event source mapping through Lambda's API on a function that fails every batch holding POISON:
    bisection and one retry isolate the record, its invocation record lands in the on-failure queue, every good
    record is processed. ARGS: FUNCTION LOG (the file the fixture appends each batch to)."""
    function, log = sys.argv[3], sys.argv[4]
    lam = client("lambda", PORT)
    sqs = client("sqs", PORT)
    name = unique("orders")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    parked = sqs.create_queue(QueueName=unique("parked"))["QueueUrl"]
    parked_arn = sqs.get_queue_attributes(QueueUrl=parked, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    datas = [b"r1", b"r2", b"r3", b"r4", b"r5", b"POISON", b"r7", b"r8"]
    kinesis.put_records(StreamName=name, Records=[{"Data": d, "PartitionKey": "k"} for d in datas])
    m = lam.create_event_source_mapping(
        FunctionName=function, EventSourceArn=arn, StartingPosition="TRIM_HORIZON", BatchSize=8,
        MaximumBatchingWindowInSeconds=1, BisectBatchOnFunctionError=True, MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": parked_arn}})
    assert m["EventSourceArn"] == arn and m["BisectBatchOnFunctionError"] is True, m
    deadline = time.time() + 60
    messages = []
    while time.time() < deadline and not messages:
        messages = sqs.receive_message(QueueUrl=parked, WaitTimeSeconds=1).get("Messages", [])
    assert messages, "nothing reached the on-failure queue; the function saw: %s" % open(log).read()
    record = json.loads(messages[0]["Body"])
    info = record["KinesisBatchInfo"]
    assert info["batchSize"] == 1 and info["streamArn"] == arn, record
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted", record
    assert record["requestContext"]["functionArn"].endswith(":function:" + function), record
    good = [base64.b64encode(d).decode() for d in datas if d != b"POISON"]
    while time.time() < deadline:
        seen = [w for line in open(log) if line.startswith("ok ") for w in line.split()[1:]]
        if seen == good:
            break
        time.sleep(0.2)
    assert seen == good, (seen, good)
    lam.delete_event_source_mapping(UUID=m["UUID"])
    print("ok")


{"streams": streams, "put": put, "iterators": iterators, "errors": errors, "raw": raw, "retention": retention,
 "mapping": mapping}[
    sys.argv[2]]()
