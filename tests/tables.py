#!/usr/bin/env python3
"""tables.py - the tables of --format tsv|csv checked against the JSON.

    python3 tests/tables.py FORMAT TABLE ROWS NDJSON

FORMAT is tsv or csv, TABLE a --table name, ROWS what qpan printed with
`-f FORMAT --table TABLE`, NDJSON what it printed for the same inputs
without them.  The rows are read back (CSV with Python's csv module,
the reader spreadsheets and csvkit agree with) and compared, row for
row, with the rows this script builds itself from the JSON objects:

    NDJSON --expected()--> rows --(TSV: tabs, CR, LF as spaces)--+
    ROWS --csv.reader / split on tabs----------------------------+-> equal?

The column lists below are the documented ones (README "Tables",
qpan(1) TABLES), written again here on purpose: a column added, moved or
dropped in src/output/table.c fails until this list and the manuals say
the same.  CSV is also checked for its bytes: every line ends in CRLF,
and every row has as many fields as the header.

Prints nothing and exits 0 when all agree; else one line saying where
they first differ, exit 1.
"""
import csv
import io
import json
import sys

HEAD = ["source", "meeting_date", "province"]
SPAN = ["span_start", "span_end"]
COLUMNS = {
    "statistics": ["source", "meeting_date", "category", "value", "unit",
                   "approx", "item", "province"] + SPAN,
    "officials": HEAD + ["name", "rank", "title", "roles"] + SPAN,
    "units": HEAD + ["name", "canonical"] + SPAN,
    "awards": HEAD + ["form", "title", "issuer", "collectives",
                      "individuals"] + SPAN,
    "tasks": HEAD + ["year", "text"] + SPAN,
    "documents": HEAD + ["province_2025", "locality", "locality_level",
                         "time_of_day", "report_year", "plan_year",
                         "organizers", "title", "published", "encoding",
                         "officials", "units", "statistics", "awards",
                         "tasks"],
}


def s(v):
    """A JSON value as its field: null empty, numbers as qpan writes them."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return "%.15g" % v
    return v


def expected(table, o):
    m = o["meeting"]
    loc = m["locality"] or {}
    date = s(m["date"])
    head = [o["source"], date, s(loc.get("province"))]
    if table == "statistics":
        return [[o["source"], date, x["category"], s(x["value"]), x["unit"],
                 s(x["approx"]), s(x["item"]), s(loc.get("province"))]
                + [s(n) for n in x["span"]] for x in o["statistics"]]
    if table == "officials":
        return [head + [x["name"], s(x["rank"]), s(x["title"]),
                        ";".join(x["roles"])] + [s(n) for n in x["span"]]
                for x in o["officials"]]
    if table == "units":
        return [head + [x["name"], x["canonical"]] + [s(n) for n in x["span"]]
                for x in o["units"]]
    if table == "awards":
        return [head + [s(x["form"]), s(x["title"]), s(x["issuer"]),
                        s(x["collectives"]), s(x["individuals"])]
                + [s(n) for n in x["span"]] for x in o["awards"]]
    if table == "tasks":
        return [head + [s(x["year"]), x["text"]] + [s(n) for n in x["span"]]
                for x in o["tasks"]]
    if table == "documents":
        return [head + [s(loc.get("province_2025")), s(loc.get("name")),
                        s(loc.get("level")), s(m["time_of_day"]),
                        s(m["report_year"]), s(m["plan_year"]),
                        ";".join(m["organizers"]), s(o["title"]),
                        s(o["published"]), o["encoding"],
                        str(len(o["officials"])), str(len(o["units"])),
                        str(len(o["statistics"])), str(len(o["awards"])),
                        str(len(o["tasks"]))]]
    raise SystemExit("tables.py: no table %r" % table)


def tsv_field(v):
    return v.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("tsv", "csv"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    fmt, table, rows_path, nd_path = sys.argv[1:]
    with open(rows_path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if fmt == "csv":
        # A line break outside a quoted field is CRLF (RFC 4180); the
        # reader below is given the bytes as they are.
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        lf_outside = 0
        quoted = False
        for i, ch in enumerate(text):
            if ch == '"':
                quoted = not quoted
            elif ch == "\n" and not quoted and (i == 0 or text[i - 1] != "\r"):
                lf_outside += 1
        if lf_outside:
            print("%d line(s) end with a bare LF, not CRLF" % lf_outside)
            return 1
    else:
        if text and not text.endswith("\n"):
            print("the last line has no line break")
            return 1
        rows = [line.split("\t") for line in text.split("\n")[:-1]]
    want_cols = COLUMNS.get(table)
    if want_cols is None:
        print("no table %r in tables.py" % table)
        return 1
    if not rows or rows[0] != want_cols:
        print("header %r, not %r" % (rows[0] if rows else None, want_cols))
        return 1
    for n, r in enumerate(rows[1:], 2):
        if len(r) != len(want_cols):
            print("row %d has %d fields, the header %d: %r"
                  % (n, len(r), len(want_cols), r[:3]))
            return 1
    want = []
    with open(nd_path, encoding="utf-8") as f:
        for line in f:
            want.extend(expected(table, json.loads(line)))
    if fmt == "tsv":
        want = [[tsv_field(v) for v in r] for r in want]
    got = rows[1:]
    if len(got) != len(want):
        print("%d rows, the JSON has %d" % (len(got), len(want)))
        return 1
    for n, (g, w) in enumerate(zip(got, want), 2):
        if g != w:
            diff = [(c, gv, wv) for c, gv, wv in zip(want_cols, g, w)
                    if gv != wv]
            print("row %d differs from the JSON: %r" % (n, diff[:2]))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
