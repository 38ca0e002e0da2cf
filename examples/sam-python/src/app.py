"""A quote for a plan: invoked directly ({"plan": "basic", "months": 3}) or through the HTTP API
(GET /quotes/{plan}?months=3). Runs on AWS Lambda's python3.11 runtime and on fnhost unchanged."""

import json
import os

PRICES = {"basic": 9, "team": 29, "enterprise": 99}


def quote(plan, months):
    if plan not in PRICES:
        raise KeyError(f"unknown plan {plan!r}; plans: {', '.join(sorted(PRICES))}")
    if not 1 <= months <= 36:
        raise ValueError(f"months must be 1-36, got {months}")
    return {
        "plan": plan,
        "months": months,
        "total": PRICES[plan] * months,
        "currency": os.environ["CURRENCY"],
        "function": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
    }


def lambda_handler(event, context):
    if "routeKey" in event:  # an API Gateway HTTP API event (payload format 2.0)
        plan = event.get("pathParameters", {}).get("plan", "")
        try:
            months = int((event.get("queryStringParameters") or {}).get("months", "1"))
            body, status = quote(plan, months), 200
        except KeyError as e:
            body, status = {"message": str(e.args[0]), "field": "plan"}, 404
        except ValueError as e:
            body, status = {"message": str(e), "field": "months"}, 400
        return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}
    result = quote(event.get("plan", ""), int(event.get("months", 1)))
    result["requestId"] = context.aws_request_id
    result["remainingMs"] = context.get_remaining_time_in_millis()
    return result
