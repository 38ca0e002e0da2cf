"""boto3 against a real `fnhost serve` serving the sqs-batch fixture: event source mappings, one scenario per run.

`python3 mappings.py PORT STATE_DIR SCENARIO [ARGS]`. sqs-batch appends every message it processed to
STATE_DIR/processed.log (fsynced before it answers) and every batch to processed.log.batches; a scenario reads them
to tell processed from returned. Each scenario exits non-zero with the failed assertion; the Swift tests in
Tests/FnhostServerTests/EventSourceMappingTests.swift run them. Dummy credentials.
"""
import json
import os
import sys
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fnhost_boto import ACCOUNT, client, endpoint, error_of, unique  # noqa: E402

PORT, STATE = sys.argv[1], sys.argv[2]
ENDPOINT = endpoint(PORT)
sqs = client("sqs", PORT)
lam = client("lambda", PORT)
LOG = os.path.join(STATE, "processed.log")


def arn(name):
    return "arn:aws:sqs:us-east-1:%s:%s" % (ACCOUNT, name)


def queue(name, **attributes):
    return sqs.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]


def processed(queue_name=None):
    """The processed log's entries (of messages whose body names the queue, when given)."""
    if not os.path.exists(LOG):
        return []
    entries = [json.loads(line) for line in open(LOG) if line.strip()]
    if queue_name:
        entries = [e for e in entries if json.loads(e["body"]).get("queue") == queue_name]
    return entries


def wait(condition, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out after %ss waiting for %s" % (seconds, what))


def drain(url):
    """Every message of a queue (a dead-letter queue), received and deleted."""
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
        if not got:
            return out
        out += got
        sqs.delete_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])


def send(url, bodies, **extra):
    ids = []
    for body in bodies:
        ids.append(sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body), **extra)["MessageId"])
    return ids


def counts(url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def api():
    """Create, List, Get, Update and Delete as boto3 sends and reads them, and their errors."""
    name = unique("api")
    queue(name)
    created = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=5,
                                              Enabled=False)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202, created
    assert created["State"] == "Creating" and created["BatchSize"] == 5, created
    assert created["FunctionArn"] == "arn:aws:lambda:us-east-1:%s:function:sqs-batch" % ACCOUNT, created
    assert created["EventSourceArn"] == arn(name) and created["MaximumBatchingWindowInSeconds"] == 0, created
    assert "StartingPosition" not in created and "MaximumRetryAttempts" not in created, created
    u = created["UUID"]
    got = lam.get_event_source_mapping(UUID=u)
    assert got["State"] == "Disabled" and got["UUID"] == u and got["FunctionResponseTypes"] == [], got
    assert isinstance(got["LastModified"], __import__("datetime").datetime), got
    # One mapping per function and queue.
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(name), FunctionName="sqs-batch") == \
        ("ResourceConflictException", 409)
    # Listed by queue and by function; pages of MaxItems with NextMarker.
    by_queue = lam.list_event_source_mappings(EventSourceArn=arn(name))["EventSourceMappings"]
    assert [m["UUID"] for m in by_queue] == [u], by_queue
    other = unique("api")
    queue(other)
    second = lam.create_event_source_mapping(EventSourceArn=arn(other), FunctionName="sqs-batch", Enabled=False)["UUID"]
    seen, marker = [], None
    while True:
        page = lam.list_event_source_mappings(FunctionName="sqs-batch", MaxItems=1, **({"Marker": marker} if marker else {}))
        seen += [m["UUID"] for m in page["EventSourceMappings"]]
        marker = page.get("NextMarker")
        if not marker:
            break
    assert u in seen and second in seen, seen
    # Update: the fields given change; Lambda's rules still hold.
    updated = lam.update_event_source_mapping(UUID=u, BatchSize=3, FunctionResponseTypes=["ReportBatchItemFailures"],
                                              ScalingConfig={"MaximumConcurrency": 2})
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202 and updated["State"] == "Updating", updated
    got = lam.get_event_source_mapping(UUID=u)
    assert got["BatchSize"] == 3 and got["FunctionResponseTypes"] == ["ReportBatchItemFailures"], got
    assert got["ScalingConfig"] == {"MaximumConcurrency": 2} and got["State"] == "Disabled", got
    assert error_of(lam.update_event_source_mapping, UUID=u, BatchSize=100) == ("InvalidParameterValueException", 400)
    assert error_of(lam.update_event_source_mapping, UUID=u, ScalingConfig={"MaximumConcurrency": 1001}) == \
        ("ValidationException", 400)
    # Errors as Lambda answers them.
    assert error_of(lam.get_event_source_mapping, UUID=str(uuid.uuid4())) == ("ResourceNotFoundException", 404)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(name), FunctionName="nope") == \
        ("ResourceNotFoundException", 404)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(unique("missing")), FunctionName="sqs-batch") \
        == ("InvalidParameterValueException", 400)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(other), FunctionName="echo",
                    MaximumRetryAttempts=2) == ("InvalidParameterValueException", 400)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(other), FunctionName="echo",
                    BatchSize=11) == ("InvalidParameterValueException", 400)
    assert error_of(lam.create_event_source_mapping, EventSourceArn="arn:aws:sns:us-east-1:%s:t" % ACCOUNT,
                    FunctionName="echo") == ("InvalidParameterValueException", 400)
    fifo = unique("api") + ".fifo"
    queue(fifo, FifoQueue="true")
    assert error_of(lam.create_event_source_mapping, EventSourceArn=arn(fifo), FunctionName="sqs-batch",
                    BatchSize=20, MaximumBatchingWindowInSeconds=1) == ("InvalidParameterValueException", 400)
    # A Kinesis mapping: its stream must exist (fnhost's Kinesis API), and it needs a starting position.
    stream_name = unique("s")
    stream = "arn:aws:kinesis:us-east-1:%s:stream/%s" % (ACCOUNT, stream_name)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=stream, FunctionName="sqs-batch",
                    StartingPosition="LATEST") == ("InvalidParameterValueException", 400)
    client("kinesis", PORT).create_stream(StreamName=stream_name, ShardCount=1)
    assert error_of(lam.create_event_source_mapping, EventSourceArn=stream, FunctionName="sqs-batch") == \
        ("InvalidParameterValueException", 400)
    k = lam.create_event_source_mapping(EventSourceArn=stream, FunctionName="sqs-batch", StartingPosition="LATEST",
                                       Enabled=False)
    assert k["BatchSize"] == 100 and k["MaximumRetryAttempts"] == -1 and k["StartingPosition"] == "LATEST", k
    # Delete answers Deleting; the mapping is then gone.
    for m in (u, second, k["UUID"]):
        deleted = lam.delete_event_source_mapping(UUID=m)
        assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202 and deleted["State"] == "Deleting", deleted
        assert error_of(lam.get_event_source_mapping, UUID=m) == ("ResourceNotFoundException", 404)
    assert error_of(lam.delete_event_source_mapping, UUID=u) == ("ResourceNotFoundException", 404)


def redrive():
    """Success deletes; a failing message comes back after the visibility timeout with a higher receive count, and
    after maxReceiveCount it is in the dead-letter queue. Batches of one, so good messages never share its fate."""
    name = unique("redrive")
    dlq = queue(name + "-dlq")
    url = queue(name, VisibilityTimeout=3,
                RedrivePolicy=json.dumps({"deadLetterTargetArn": arn(name + "-dlq"), "maxReceiveCount": 3}))
    good = send(url, [{"queue": name, "n": i} for i in range(6)])
    poison = send(url, [{"queue": name, "fail": True}])[0]
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=1)["UUID"]
    wait(lambda: len(processed(name)) >= 6, "six good messages processed")
    parked = wait(lambda: drain(dlq), "the poison message in the dead-letter queue", seconds=30)
    assert [m["MessageId"] for m in parked] == [poison], parked
    assert int(parked[0]["Attributes"]["ApproximateReceiveCount"]) >= 3, parked
    done = processed(name)
    assert sorted(e["id"] for e in done) == sorted(good), done
    assert all(e["receiveCount"] == "1" for e in done), done
    wait(lambda: counts(url) == (0, 0), "the queue empty")
    lam.delete_event_source_mapping(UUID=u)


def whole_batch():
    """Without partial batch responses one failure returns the whole batch: its good messages reappear and are
    processed again once the failing one has gone to the dead-letter queue."""
    name = unique("whole")
    dlq = queue(name + "-dlq")
    url = queue(name, VisibilityTimeout=3,
                RedrivePolicy=json.dumps({"deadLetterTargetArn": arn(name + "-dlq"), "maxReceiveCount": 2}))
    ids = send(url, [{"queue": name, "n": 0}, {"queue": name, "failUntil": 3}, {"queue": name, "n": 2}])
    # Sent before the mapping exists, so the first receive takes all three as one batch.
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=10)["UUID"]
    # The batch fails twice (receive counts 1 and 2), then all three are past maxReceiveCount: dead-lettered.
    wait(lambda: counts(dlq)[0] == 3, "the whole batch in the dead-letter queue", seconds=30)
    assert sorted(m["MessageId"] for m in drain(dlq)) == sorted(ids)
    wait(lambda: counts(url) == (0, 0), "the queue empty")
    assert processed(name) == [], processed(name)
    lam.delete_event_source_mapping(UUID=u)


def partial():
    """With ReportBatchItemFailures only the failed message comes back; the others are deleted once."""
    name = unique("partial")
    # The visibility timeout outlasts the invocation (AWS advises 6x the function's timeout): a delete after it
    # would name a receipt handle the message no longer has, and the message would come back.
    url = queue(name, VisibilityTimeout=3)
    ids = send(url, [{"queue": name, "n": 0}, {"queue": name, "failUntil": 2}, {"queue": name, "n": 2}])
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=10,
                                        FunctionResponseTypes=["ReportBatchItemFailures"])["UUID"]
    wait(lambda: len(processed(name)) >= 3, "all three processed")
    done = processed(name)
    by_id = {e["id"]: e["receiveCount"] for e in done}
    assert len(done) == 3 and set(by_id) == set(ids), done
    assert by_id[ids[0]] == "1" and by_id[ids[2]] == "1" and by_id[ids[1]] == "2", by_id
    wait(lambda: counts(url) == (0, 0), "the queue empty")
    lam.delete_event_source_mapping(UUID=u)


def garbage():
    """An answer that is not a batch response counts as a failure of the whole batch: the messages come back."""
    name = unique("garbage")
    url = queue(name, VisibilityTimeout=1)
    send(url, [{"queue": name, "n": 0}])
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch",
                                        FunctionResponseTypes=["ReportBatchItemFailures"])["UUID"]
    wait(lambda: counts(url)[1] == 1, "the message in flight")
    lam.update_event_source_mapping(UUID=u, Enabled=False)
    # Not deleted: after its visibility timeout it is visible again, received at least once.
    wait(lambda: counts(url) == (1, 0), "the message back in the queue", seconds=15)
    got = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert int(got["Attributes"]["ApproximateReceiveCount"]) >= 2, got
    lam.delete_event_source_mapping(UUID=u)


def fifo():
    """FIFO: in order per group; a failure returns the rest of its group (not other groups) and the group goes on
    in order once the failed message succeeds."""
    name = unique("partial") + ".fifo"
    url = queue(name, FifoQueue="true", VisibilityTimeout=3, ContentBasedDeduplication="true")
    order = [("a", {"n": 1}), ("a", {"n": 2, "failUntil": 2}), ("b", {"n": 1}), ("a", {"n": 3}), ("b", {"n": 2})]
    ids = {}
    for group, body in order:
        body = dict(body, queue=name, group=group)
        ids[(group, body["n"])] = sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body),
                                                   MessageGroupId=group)["MessageId"]
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=10,
                                        FunctionResponseTypes=["ReportBatchItemFailures"])["UUID"]
    wait(lambda: len(processed(name)) >= 5, "all five processed")
    done = processed(name)
    for group in "ab":
        seen = [json.loads(e["body"])["n"] for e in done if e["group"] == group]
        assert seen == sorted(seen) and len(seen) == len(set(seen)), (group, done)
    a = {json.loads(e["body"])["n"]: e["receiveCount"] for e in done if e["group"] == "a"}
    assert a[1] == "1" and a[2] == "2" and a[3] == "2", a
    b = {json.loads(e["body"])["n"]: e["receiveCount"] for e in done if e["group"] == "b"}
    assert b == {1: "1", 2: "1"}, b
    wait(lambda: counts(url) == (0, 0), "the queue empty")
    lam.delete_event_source_mapping(UUID=u)


def gauge(text, name, **labels):
    """The value of a Prometheus sample whose labels include `labels`, or None."""
    for line in text.splitlines():
        if line.startswith(name + "{") and all('%s="%s"' % kv in line for kv in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def scaling():
    """Pollers grow with the backlog from five, up to MaximumConcurrency and never beyond; so do the function's busy
    workers; every message is processed."""
    name = unique("scale")
    url = queue(name, VisibilityTimeout=30)
    for start in range(0, 80, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": json.dumps({"queue": name, "n": i, "sleep": 0.4})}
            for i in range(start, start + 10)])
    u = lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=1,
                                        ScalingConfig={"MaximumConcurrency": 8})["UUID"]
    pollers, busy = [], []
    deadline = time.time() + 60
    while len(processed(name)) < 80 and time.time() < deadline:
        text = urllib.request.urlopen(ENDPOINT + "/metrics").read().decode()
        pollers.append(gauge(text, "fnhost_event_source_pollers", uuid=u) or 0)
        busy.append(gauge(text, "fnhost_workers", function="sqs-batch", state="busy") or 0)
        time.sleep(0.1)
    assert len(processed(name)) >= 80, len(processed(name))
    assert pollers[0] <= 5 and max(pollers) == 8, pollers
    assert max(busy) <= 8, busy
    print("pollers %s; busy workers at most %d" % (sorted(set(pollers)), max(busy)))
    lam.delete_event_source_mapping(UUID=u)


def metrics():
    """/metrics has the queue's depth, the age of its oldest message, batch outcomes per mapping and DLQ depth."""
    text = urllib.request.urlopen(ENDPOINT + "/metrics").read().decode()
    for needle in ('fnhost_event_source_batches_total{', 'outcome="success"', 'outcome="failure"',
                   'outcome="partial"', 'fnhost_queue_messages{', 'state="in_flight"',
                   'fnhost_queue_oldest_message_age_seconds{', 'fnhost_queue_dead_letters{',
                   'fnhost_event_source_messages_total{'):
        assert needle in text, (needle, [l for l in text.splitlines() if "event_source" in l or "queue" in l][:40])


def send_many():
    name, count = sys.argv[4], int(sys.argv[5])
    url = queue(name, VisibilityTimeout=int(sys.argv[6]))
    for start in range(0, count, 10):
        entries = [{"Id": str(i), "MessageBody": json.dumps({"queue": name, "n": i})}
                   for i in range(start, min(count, start + 10))]
        result = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert not result.get("Failed"), result


def map_queue():
    name, batch = sys.argv[4], int(sys.argv[5])
    print(lam.create_event_source_mapping(EventSourceArn=arn(name), FunctionName="sqs-batch", BatchSize=batch)["UUID"])


def queue_counts():
    print(json.dumps(counts(sqs.get_queue_url(QueueName=sys.argv[4])["QueueUrl"])))


globals()[sys.argv[3]]()
