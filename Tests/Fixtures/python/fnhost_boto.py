"""What every boto3 fixture scenario shares: clients of a real `fnhost serve` on loopback, and assertion helpers.

A scenario script imports it after putting this folder on its path:

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from fnhost_boto import client, endpoint, error_of, unique

Dummy credentials, nothing of the developer's AWS set-up; no retries, so an error is seen as the server answered it.
"""
import uuid

import boto3
import botocore.config
from botocore.exceptions import ClientError, ParamValidationError

REGION = "us-east-1"
ACCOUNT = "000000000000"
CONFIG = botocore.config.Config(retries={"max_attempts": 0}, read_timeout=60)


def endpoint(port):
    """The URL of `fnhost serve` listening on `port`."""
    return "http://127.0.0.1:%s" % port


def client(service, port):
    """A boto3 client of `service` ("sqs", "kinesis", "lambda", …) pointed at `fnhost serve` on `port`."""
    return boto3.client(
        service, endpoint_url=endpoint(port), region_name=REGION, aws_access_key_id="AKIAFNHOSTTESTS00000",
        aws_secret_access_key="fnhost-test-secret", config=CONFIG)


def unique(stem):
    """A resource name no other run uses."""
    return "%s-%s" % (stem, uuid.uuid4().hex[:8])


def error_of(call, **kwargs):
    """The (code, HTTP status) a call fails with; ("ParamValidation", 0) when botocore refuses it before sending."""
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    except ParamValidationError:
        return "ParamValidation", 0
    raise AssertionError("%s(%s) succeeded; an error was expected" % (call.__name__, kwargs))
