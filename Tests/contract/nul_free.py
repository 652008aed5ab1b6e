"""Every string a client may send must be declared NUL-free in docs/openapi.yaml.

The server answers 422 to a NUL character in any string of a request (PostgreSQL text
cannot hold U+0000), so a string schema without a `pattern`, `enum`, `const` or `format`
that excludes it says "valid" where the server says "invalid". Fuzzing finds such a gap
only when it happens to generate a NUL in that one field (a CI run did, in
`webhookSecret`); this walk finds every one at once. Exit 1 lists them.

Usage: python nul_free.py docs/openapi.yaml
"""
import sys

import yaml

ALLOWED = ("pattern", "enum", "const", "format")


def string_schemas_without_rule(doc):
    schemas = doc.get("components", {}).get("schemas", {})
    found = []
    visited = set()

    def walk(node, where):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if ref.startswith("#/components/schemas/") and name not in visited:
                visited.add(name)
                walk(schemas[name], name)
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        if "string" in types and not any(key in node for key in ALLOWED):
            found.append(where)
        for key, value in node.items():
            if key not in ("$ref", "examples", "example", "default"):
                walk(value, f"{where}.{key}")

    bodies = doc.get("components", {}).get("requestBodies", {})
    parameters = doc.get("components", {}).get("parameters", {})
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            body = operation.get("requestBody")
            if body and "$ref" in body:
                body = bodies[body["$ref"].rsplit("/", 1)[-1]]
            for media in (body or {}).get("content", {}).values():
                walk(media.get("schema"), f"{method.upper()} {path} body")
            for parameter in operation.get("parameters", []) + operations.get("parameters", []):
                if "$ref" in parameter:
                    parameter = parameters[parameter["$ref"].rsplit("/", 1)[-1]]
                if parameter.get("in") == "header":
                    continue  # HTTP itself allows no NUL or control character in a header
                walk(parameter.get("schema"), f"{method.upper()} {path} {parameter.get('in')} {parameter.get('name')}")
    return found


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    found = string_schemas_without_rule(doc)
    if found:
        print("contract: request strings that may hold a NUL by the document (the server refuses it):", file=sys.stderr)
        for where in sorted(set(found)):
            print(f"  {where}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
