"""Schemathesis hooks of the contract test (loaded through SCHEMATHESIS_HOOKS by run.sh)."""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    """`POST /v1/orders/batch` bodies: the document describes them as an array of lines;
    on the wire each item is one JSON text on its own line. A generated value that is
    not an array (negative testing) goes out as a single line."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode()
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()
