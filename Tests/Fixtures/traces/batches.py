"""boto3 against a real `fnhost serve` for the batch trace tests: `python3 batches.py PORT SCENARIO`.

Sets up queues or a stream and an event source mapping through boto3 unchanged (`endpoint_url` alone), sends the
messages or records, and prints what it made as one JSON object; the Swift tests in
Tests/FnhostServerTests/BatchTraceServeTests.swift then read `/fnhost/traces`.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fnhost_boto import ACCOUNT, client  # noqa: E402

PORT = sys.argv[1]
sqs = client("sqs", PORT)
lam = client("lambda", PORT)
kinesis = client("kinesis", PORT)


def arn(queue):
    return "arn:aws:sqs:us-east-1:%s:%s" % (ACCOUNT, queue)


def queues():
    """`orders`: five good messages, sent before the mapping exists so that one receive takes all five.
    `failing`: one message the function fails, a 1 s visibility timeout, redriven to `failing-dlq` after 2
    receives."""
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sent = sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": "m%d" % i, "MessageBody": json.dumps({"n": i})} for i in range(5)])
    assert len(sent["Successful"]) == 5, sent
    sqs.create_queue(QueueName="failing-dlq")
    failing = sqs.create_queue(
        QueueName="failing",
        Attributes={"VisibilityTimeout": "1",
                    "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn("failing-dlq"), "maxReceiveCount": 2})},
    )["QueueUrl"]
    sqs.send_message(QueueUrl=failing, MessageBody=json.dumps({"fail": True}))
    mappings = [
        lam.create_event_source_mapping(EventSourceArn=arn(q), FunctionName="sqs-batch", BatchSize=10)["UUID"]
        for q in ("orders", "failing")
    ]
    print(json.dumps({"messageIds": [m["MessageId"] for m in sent["Successful"]], "mappings": mappings}))


def stream():
    """`clicks`, one shard: three good records, then a poison one the function fails, retried once, then
    discarded to the on-failure queue `parked`."""
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    sqs.create_queue(QueueName="parked")
    put = kinesis.put_records(
        StreamName="clicks", Records=[{"PartitionKey": "k", "Data": d.encode()} for d in ("r1", "r2", "r3")])
    assert put["FailedRecordCount"] == 0, put
    mapping = lam.create_event_source_mapping(
        EventSourceArn="arn:aws:kinesis:us-east-1:%s:stream/clicks" % ACCOUNT, FunctionName="stream-poison",
        StartingPosition="TRIM_HORIZON", BatchSize=10, MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": arn("parked")}})["UUID"]
    print(json.dumps({"sequenceNumbers": [r["SequenceNumber"] for r in put["Records"]], "mapping": mapping}))


def poison():
    """A poison record on `clicks`, after the good ones were processed."""
    put = kinesis.put_records(StreamName="clicks", Records=[{"PartitionKey": "k", "Data": b"POISON"}])
    assert put["FailedRecordCount"] == 0, put
    print(json.dumps({"sequenceNumber": put["Records"][0]["SequenceNumber"]}))


def bisect():
    """`halves`, one shard: r1 r2 POISON r4 in one batch, bisected on a function error, no retries: the poison
    record ends alone and goes to the on-failure queue `parked-halves`."""
    kinesis.create_stream(StreamName="halves", ShardCount=1)
    sqs.create_queue(QueueName="parked-halves")
    put = kinesis.put_records(
        StreamName="halves", Records=[{"PartitionKey": "k", "Data": d.encode()} for d in ("r1", "r2", "POISON", "r4")])
    assert put["FailedRecordCount"] == 0, put
    mapping = lam.create_event_source_mapping(
        EventSourceArn="arn:aws:kinesis:us-east-1:%s:stream/halves" % ACCOUNT, FunctionName="stream-poison",
        StartingPosition="TRIM_HORIZON", BatchSize=10, MaximumRetryAttempts=0, BisectBatchOnFunctionError=True,
        DestinationConfig={"OnFailure": {"Destination": arn("parked-halves")}})["UUID"]
    print(json.dumps({"mapping": mapping}))


{"queues": queues, "stream": stream, "poison": poison, "bisect": bisect}[sys.argv[2]]()
