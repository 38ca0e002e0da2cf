"""boto3 against a real `fnhost serve`: one scenario per run, `python3 scenarios.py PORT SCENARIO [ARGS]`.

Each scenario asserts what SQS does and exits non-zero with the failed assertion on stderr; the Swift tests in
Tests/FnhostServerTests/SQSTests.swift run them. Dummy credentials, nothing of the developer's AWS set-up.
"""
import hashlib
import json
import os
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fnhost_boto import client, endpoint, error_of, unique  # noqa: E402

PORT = sys.argv[1]
ENDPOINT = endpoint(PORT)
sqs = client("sqs", PORT)


def attributes(url, *names):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]


def queues():
    name = unique("life")
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "7"})["QueueUrl"]
    assert url == "%s/000000000000/%s" % (ENDPOINT, name), url
    # Creating it again with the same attributes gives the same URL; with different ones, QueueAlreadyExists.
    assert sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "7"})["QueueUrl"] == url
    assert error_of(sqs.create_queue, QueueName=name, Attributes={"VisibilityTimeout": "8"}) == ("QueueAlreadyExists", 400)
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
    assert url in sqs.list_queues(QueueNamePrefix="life-").get("QueueUrls", [])
    assert name not in json.dumps(sqs.list_queues(QueueNamePrefix="zzz"))
    a = attributes(url)
    assert a["VisibilityTimeout"] == "7" and a["DelaySeconds"] == "0" and a["MessageRetentionPeriod"] == "345600", a
    assert a["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:" + name, a
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "3", "ReceiveMessageWaitTimeSeconds": "2"})
    a = attributes(url, "VisibilityTimeout", "ReceiveMessageWaitTimeSeconds")
    assert a == {"VisibilityTimeout": "3", "ReceiveMessageWaitTimeSeconds": "2"}, a
    assert error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"VisibilityTimeout": "99999"})[0] == "InvalidAttributeValue"
    assert error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"Colour": "blue"})[0] == "InvalidAttributeName"
    assert error_of(sqs.create_queue, QueueName="bad name!")[0] == "InvalidParameterValue"
    sqs.send_message(QueueUrl=url, MessageBody="x")
    sqs.purge_queue(QueueUrl=url)
    assert attributes(url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "0"
    sqs.delete_queue(QueueUrl=url)
    assert error_of(sqs.get_queue_url, QueueName=name) == ("AWS.SimpleQueueService.NonExistentQueue", 400)
    assert url not in sqs.list_queues().get("QueueUrls", [])


def visibility():
    url = sqs.create_queue(QueueName=unique("vis"))["QueueUrl"]
    body = "héllo, queue"
    sent = sqs.send_message(
        QueueUrl=url, MessageBody=body,
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"},
                           "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    assert sent["MD5OfMessageBody"] == hashlib.md5(body.encode()).hexdigest(), sent
    before = int(time.time() * 1000)
    r = sqs.receive_message(QueueUrl=url, VisibilityTimeout=1, MessageSystemAttributeNames=["All"],
                            MessageAttributeNames=["All"])["Messages"]
    assert len(r) == 1 and r[0]["MessageId"] == sent["MessageId"] and r[0]["Body"] == body, r
    assert r[0]["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert r[0]["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"], r
    assert r[0]["MessageAttributes"]["blob"]["BinaryValue"] == b"\x00\x01", r
    assert r[0]["Attributes"]["ApproximateReceiveCount"] == "1", r
    assert abs(int(r[0]["Attributes"]["SentTimestamp"]) - before) < 5000, r
    a = attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
    assert a == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "1"}, a
    # Hidden until the visibility timeout passes, then back with a new receipt handle and a higher count.
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.3)
    again = sqs.receive_message(QueueUrl=url, VisibilityTimeout=30, AttributeNames=["All"])["Messages"]
    assert again[0]["MessageId"] == sent["MessageId"] and again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again[0]["ReceiptHandle"] != r[0]["ReceiptHandle"]
    assert again[0]["Attributes"]["ApproximateFirstReceiveTimestamp"] == r[0]["Attributes"]["ApproximateFirstReceiveTimestamp"]
    # ChangeMessageVisibility to 0 makes it visible at once.
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"], VisibilityTimeout=0)
    third = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    assert third[0]["Attributes"] == {"ApproximateReceiveCount": "3"}, third
    sqs.delete_message(QueueUrl=url, ReceiptHandle=third[0]["ReceiptHandle"])
    a = attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
    assert a == {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"}, a
    # Delay: invisible (and counted as delayed) until DelaySeconds pass.
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
    assert attributes(url, "ApproximateNumberOfMessagesDelayed")["ApproximateNumberOfMessagesDelayed"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.2)
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "later"


def redrive():
    dlq = sqs.create_queue(QueueName=unique("dead"))["QueueUrl"]
    arn = attributes(dlq, "QueueArn")["QueueArn"]
    src = sqs.create_queue(QueueName=unique("src"), Attributes={
        "VisibilityTimeout": "0",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "2"})})["QueueUrl"]
    assert json.loads(attributes(src, "RedrivePolicy")["RedrivePolicy"])["maxReceiveCount"] == 2
    sent = sqs.send_message(QueueUrl=src, MessageBody="poison")["MessageId"]
    for count in ("1", "2"):
        m = sqs.receive_message(QueueUrl=src, AttributeNames=["All"])["Messages"][0]
        assert m["MessageId"] == sent and m["Attributes"]["ApproximateReceiveCount"] == count, m
    # The third receive finds it past maxReceiveCount: moved, not handed out.
    assert "Messages" not in sqs.receive_message(QueueUrl=src)
    moved = sqs.receive_message(QueueUrl=dlq)["Messages"]
    assert moved[0]["MessageId"] == sent and moved[0]["Body"] == "poison", moved
    bad = error_of(sqs.set_queue_attributes, QueueUrl=src, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:no-such-queue", "maxReceiveCount": 1})})
    assert bad[0] == "InvalidParameterValue", bad


def fifo():
    url = sqs.create_queue(QueueName=unique("order") + ".fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "1"})["QueueUrl"]
    ids = {}
    for body, group in (("a1", "A"), ("a2", "A"), ("b1", "B"), ("a3", "A")):
        r = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
        ids[body] = r["MessageId"]
        assert len(r["SequenceNumber"]) == 20, r
    # Content-based deduplication: the same body within five minutes is accepted and not stored again.
    dup = sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="A")
    assert dup["MessageId"] == ids["a1"], dup
    explicit = sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="A", MessageDeduplicationId="other")
    ids["a1-again"] = explicit["MessageId"]
    assert attributes(url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "5"
    # a1 is received and not deleted (a failure): group A is locked, only B is handed out.
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"][0]
    assert first["Body"] == "a1", first
    others = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert [m["Body"] for m in others] == ["b1"], others
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    # After the visibility timeout a1 comes back first, with its receive count; then the group in order.
    time.sleep(1.2)
    back = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in back] == ["a1", "a2", "a3", "a1"], back
    assert back[0]["Attributes"]["ApproximateReceiveCount"] == "2" and back[0]["Attributes"]["MessageGroupId"] == "A"
    assert int(back[1]["Attributes"]["SequenceNumber"]) > int(back[0]["Attributes"]["SequenceNumber"])
    # FIFO rules: a group id is required, and a deduplication id unless content-based deduplication is on.
    assert error_of(sqs.send_message, QueueUrl=url, MessageBody="x")[0] == "MissingParameter"
    plain = sqs.create_queue(QueueName=unique("plain") + ".fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert error_of(sqs.send_message, QueueUrl=plain, MessageBody="x", MessageGroupId="g")[0] == "InvalidParameterValue"


def longpoll():
    url = sqs.create_queue(QueueName=unique("poll"))["QueueUrl"]
    timer = threading.Timer(1.0, lambda: sqs.send_message(QueueUrl=url, MessageBody="wake"))
    start = time.monotonic()
    timer.start()
    r = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=15)
    elapsed = time.monotonic() - start
    timer.join()
    assert r["Messages"][0]["Body"] == "wake", r
    # Woken by the send (about 1 s), not at the end of the 15 s wait.
    assert 0.8 <= elapsed < 8, elapsed
    start = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    empty = time.monotonic() - start
    assert 0.9 <= empty < 5, empty
    print(json.dumps({"wokenAfterSeconds": round(elapsed, 3), "emptyWaitSeconds": round(empty, 3)}))


def batches():
    url = sqs.create_queue(QueueName=unique("batch"), Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    r = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "ok1", "MessageBody": "one"}, {"Id": "big", "MessageBody": "x" * 2000},
        {"Id": "ok2", "MessageBody": "two", "DelaySeconds": 0},
        {"Id": "bad", "MessageBody": "bell \u0007"}])
    assert sorted(e["Id"] for e in r["Successful"]) == ["ok1", "ok2"], r
    failed = {e["Id"]: e["Code"] for e in r["Failed"]}
    assert failed == {"big": "InvalidParameterValue", "bad": "InvalidMessageContents"}, r
    assert all(e["SenderFault"] for e in r["Failed"]), r
    # Bodies summing to more than 1 MiB are refused as a whole.
    code = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "h%d" % i, "MessageBody": "x" * (300 * 1024)} for i in range(4)])
    assert code[0] == "AWS.SimpleQueueService.BatchRequestTooLong", code
    assert error_of(sqs.send_message_batch, QueueUrl=url, Entries=[])[0] in (
        "AWS.SimpleQueueService.EmptyBatchRequest", "ParamValidation")
    assert error_of(sqs.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "x", "MessageBody": "1"}, {"Id": "x", "MessageBody": "2"}])[0] == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"
    assert error_of(sqs.send_message_batch, QueueUrl=url, Entries=[
        {"Id": "e%d" % i, "MessageBody": "m"} for i in range(11)])[0] == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert sorted(m["Body"] for m in got) == ["one", "two"], got
    v = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": "a", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "b", "ReceiptHandle": "not-a-handle", "VisibilityTimeout": 0}])
    assert [e["Id"] for e in v["Successful"]] == ["a"] and v["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", v
    d = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "ReceiptHandle": got[1]["ReceiptHandle"]}, {"Id": "b", "ReceiptHandle": "garbage"}])
    assert [e["Id"] for e in d["Successful"]] == ["a"], d
    assert d["Failed"][0]["Id"] == "b" and d["Failed"][0]["Code"] == "ReceiptHandleIsInvalid", d
    left = attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
    assert left == {"ApproximateNumberOfMessages": "1", "ApproximateNumberOfMessagesNotVisible": "0"}, left


def bad_input():
    url = sqs.create_queue(QueueName=unique("bad"))["QueueUrl"]
    code = error_of(sqs.send_message, QueueUrl=url, MessageBody="x" * (1024 * 1024 + 1))
    assert code == ("InvalidParameterValue", 400), code
    small = sqs.create_queue(QueueName=unique("small"), Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    assert error_of(sqs.send_message, QueueUrl=small, MessageBody="x" * 1025)[0] == "InvalidParameterValue"
    assert error_of(sqs.delete_message, QueueUrl=url, ReceiptHandle="bogus")[0] == "ReceiptHandleIsInvalid"
    assert error_of(sqs.change_message_visibility, QueueUrl=url, ReceiptHandle="bogus", VisibilityTimeout=1)[0] == "ReceiptHandleIsInvalid"
    missing = ENDPOINT + "/000000000000/" + unique("missing")
    assert error_of(sqs.send_message, QueueUrl=missing, MessageBody="x") == ("AWS.SimpleQueueService.NonExistentQueue", 400)
    assert error_of(sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=11)[0] == "InvalidParameterValue"
    assert error_of(sqs.receive_message, QueueUrl=url, WaitTimeSeconds=21)[0] == "InvalidParameterValue"
    # A malformed body, sent by hand: 400 with a JSON error, and nothing stored.
    request = urllib.request.Request(ENDPOINT + "/", data=b'{"QueueUrl": "' + url.encode() + b'", "MessageBody": ', headers={
        "X-Amz-Target": "AmazonSQS.SendMessage", "Content-Type": "application/x-amz-json-1.0"})
    try:
        urllib.request.urlopen(request)
        raise AssertionError("a malformed body was accepted")
    except urllib.error.HTTPError as e:
        answer = json.loads(e.read())
        assert e.code == 400 and answer["__type"].endswith("SerializationException"), answer
    unknown = urllib.request.Request(ENDPOINT + "/", data=b"{}", headers={"X-Amz-Target": "AmazonSQS.MakeCoffee"})
    try:
        urllib.request.urlopen(unknown)
        raise AssertionError("an unknown operation was accepted")
    except urllib.error.HTTPError as e:
        assert e.code == 400 and "UnknownOperation" in json.loads(e.read())["__type"]
    assert attributes(url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "0"


def send_many():
    name, count = sys.argv[3], int(sys.argv[4])
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for i in range(count):
        sqs.send_message(QueueUrl=url, MessageBody="message %d" % i)
    print(json.dumps({"sent": count}))


def receive_all():
    name, count = sys.argv[3], int(sys.argv[4])
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    bodies = set()
    for _ in range(count * 2):
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            bodies.add(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if len(bodies) == count:
            break
    assert bodies == {"message %d" % i for i in range(count)}, sorted(bodies)
    print(json.dumps({"received": len(bodies)}))


def delete_queue():
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=sys.argv[3])["QueueUrl"])


globals()[sys.argv[2]]()
