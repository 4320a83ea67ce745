#!/usr/bin/env python3
"""schema.py SCHEMA < NDJSON: validate every output object against the
JSON Schema (draft 2020-12).  Prints 'PASS schema/SOURCE' or
'FAIL schema/SOURCE: reason' per object (the tests' line protocol)."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for n, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    try:
        doc = json.loads(line)
    except json.JSONDecodeError as e:
        print(f"FAIL schema/line{n}: not JSON: {e}")
        continue
    name = doc.get("source", f"line{n}") if isinstance(doc, dict) else f"line{n}"
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.path)
        print(f"FAIL schema/{name}: {where}: {e.message[:200]}")
    else:
        print(f"PASS schema/{name}")
