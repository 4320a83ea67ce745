#!/usr/bin/env python3
"""schema.py SCHEMA < NDJSON: validate every output object against the
JSON Schema (draft 2020-12).  Prints 'PASS schema/SOURCE' or
'FAIL schema/SOURCE: reason' per object (the tests' line protocol).
Exit status 1 when it printed a FAIL line, else 0 (2: bad usage, the
schema not readable or not a schema)."""
import json
import sys

import jsonschema

if len(sys.argv) != 2:
    print("usage: python3 tests/schema.py SCHEMA < NDJSON", file=sys.stderr)
    sys.exit(2)
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
except (OSError, ValueError, jsonschema.SchemaError) as e:
    print(f"schema.py: {sys.argv[1]}: {e}", file=sys.stderr)
    sys.exit(2)
validator = jsonschema.Draft202012Validator(schema)
failed = False
for n, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as e:
        print(f"FAIL schema/line{n}: not JSON: {e}")
        failed = True
        continue
    name = doc.get("source", f"line{n}") if isinstance(doc, dict) else f"line{n}"
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.path)
        print(f"FAIL schema/{name}: {where}: {e.message[:200]}")
        failed = True
    else:
        print(f"PASS schema/{name}")
sys.exit(1 if failed else 0)
