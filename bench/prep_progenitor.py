#!/usr/bin/env python3
"""Rewrite the OpenAPI export into a form cargo-progenitor accepts; say exactly what changed.

Usage: prep_progenitor.py IN.json OUT.json

Why: progenitor generates one success type and one error type per operation and asserts it
(`assertion failed: response_types.len() <= 1` in progenitor-impl's extract_responses). It counts
a `default` response as BOTH a possible success and a possible error, so an operation with a typed
200 body and a `default` error body of another type (every operation of our export) trips that
assertion. The rewrite, per operation that has a `default` response:

  * no explicit 4xx/5xx response with another body: `default` is replaced by `4XX` and `5XX`
    with the same body (range codes are OpenAPI 3.0.3; progenitor maps them to its typed
    Error::ErrorResponse). Nothing is lost: the same statuses get the same body type.
  * an explicit 4xx/5xx response with its own body (our operation-specific 400 bodies, which
    are supersets of ErrorBody): `default` is dropped and the specific body is kept; in
    progenitor's client the other error statuses of that operation become
    Error::UnexpectedResponse (untyped) instead of a typed ErrorBody.

Nothing else is touched. Prints one summary line and the operations of the second kind.
"""
import json
import sys

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def body_key(response):
    return json.dumps(response.get("content"), sort_keys=True)


def main(src, dst):
    with open(src) as f:
        doc = json.load(f)
    split, dropped = 0, []
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method not in METHODS or "default" not in op.get("responses", {}):
                continue
            responses = op["responses"]
            default = responses.pop("default")
            explicit = {body_key(r) for code, r in responses.items() if code[:1] in "45"}
            if explicit - {body_key(default)}:
                dropped.append(f"{method.upper()} {path} ({op.get('operationId', '?')})")
            else:
                responses.setdefault("4XX", default)
                responses.setdefault("5XX", default)
                split += 1
    with open(dst, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    print(f"replaced `default` by `4XX`+`5XX` (same body) in {split} operation(s); "
          f"dropped `default` in {len(dropped)} operation(s) that declare their own error body.")
    if dropped:
        print("operations whose `default` was dropped:")
    for d in dropped:
        print(f"    {d}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
