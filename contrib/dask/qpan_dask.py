#!/usr/bin/python3
"""qpan_dask.py - run qpan over an NDJSON records file on a Dask cluster.

    qpan_dask.py [--qpan PATH] [--partitions N] [--workers N]
                 [--scheduler ADDRESS] RECORDS > facts.ndjson

RECORDS holds {"id": ..., "text": ...} one a line.  Its lines go into a
dask bag of N partitions (in order); every partition is piped through
"qpan --input-format ndjson -j 1" on a worker, and the output lines are
written in input order: the same bytes as

    qpan --input-format ndjson < RECORDS

Without --scheduler a LocalCluster of --workers processes (one thread
each) is started; with it, an existing cluster is used, and PATH must be
a qpan that every worker can run.

Exit status: 0 all records fine; 1 qpan refused some records (its
messages are passed on to stderr, with line numbers counted within the
partition, and the good lines are still written); 2 bad usage, or qpan
could not run or crashed (killed by a signal, or an exit status other
than 0 and 1): then nothing is written to stdout.

Needs Debian's python3-dask and python3-distributed (and /usr/bin/python3).
"""
import argparse
import logging
import os
import signal
import subprocess
import sys

PROG = "qpan_dask"


def run_qpan(lines, qpan):
    """One partition: its record lines (bytes) through one qpan.

    Returns a one-element list, (stdout, stderr, returncode), so that the
    bag keeps one result per partition, in order."""
    data = b"".join(lines)
    try:
        p = subprocess.run([qpan, "--input-format", "ndjson", "-j", "1"],
                           input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except OSError as e:
        return [(b"", ("%s: cannot run %s: %s\n" % (PROG, qpan, e.strerror))
                 .encode(), None)]
    return [(p.stdout, p.stderr, p.returncode)]


def read_lines(path):
    """The file's lines as bytes, each with its LF (the last may have
    none); a record's bytes are passed on exactly, valid UTF-8 or not."""
    with open(path, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    # splitlines also splits at CR, VT, FF and others: join back what
    # does not end in LF, so that qpan sees the lines it would see.
    out, cur = [], b""
    for piece in lines:
        cur += piece
        if cur.endswith(b"\n"):
            out.append(cur)
            cur = b""
    if cur:
        out.append(cur)
    return out


def how_it_ended(rc):
    if rc is None:
        return "could not be started"
    if rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = "signal %d" % -rc
        return "was killed by %s" % name
    return "exited with status %d" % rc


def main(argv):
    ap = argparse.ArgumentParser(
        prog=PROG, description="Run qpan over NDJSON records on Dask.")
    ap.add_argument("records", help="NDJSON records file")
    ap.add_argument("--qpan", default="qpan",
                    help="the qpan binary (default: qpan on the PATH)")
    ap.add_argument("--partitions", type=int, default=8,
                    help="partitions of the bag (default 8)")
    ap.add_argument("--workers", type=int, default=2,
                    help="LocalCluster worker processes (default 2)")
    ap.add_argument("--scheduler", default=None,
                    help="address of a running Dask scheduler instead "
                         "of a LocalCluster")
    a = ap.parse_args(argv)
    if a.partitions < 1 or a.workers < 1:
        ap.error("--partitions and --workers must be at least 1")

    try:
        lines = read_lines(a.records)
    except OSError as e:
        print("%s: %s: %s" % (PROG, a.records, e.strerror), file=sys.stderr)
        return 2
    qpan = a.qpan
    if os.sep in qpan:
        qpan = os.path.abspath(qpan)

    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    results = []
    if lines:
        bag = db.from_sequence(lines, npartitions=min(a.partitions, len(lines)))
        job = bag.map_partitions(run_qpan, qpan)
        if a.scheduler:
            with Client(a.scheduler) as client:
                results = job.compute(scheduler=client)
        else:
            with LocalCluster(n_workers=a.workers, threads_per_worker=1,
                              processes=True, dashboard_address=None,
                              silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:
                results = job.compute(scheduler=client)

    status = 0
    for i, (out, err, rc) in enumerate(results):
        if rc not in (0, 1):
            sys.stderr.buffer.write(err)
            sys.stderr.flush()
            print("%s: qpan %s on partition %d of %d (%s); "
                  "no output written" % (PROG, how_it_ended(rc), i + 1,
                                         len(results), qpan),
                  file=sys.stderr)
            return 2
    for out, err, rc in results:
        sys.stdout.buffer.write(out)
        sys.stderr.buffer.write(err)
        if rc == 1:
            status = 1
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
