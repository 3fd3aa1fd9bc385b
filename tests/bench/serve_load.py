#!/usr/bin/env python3
"""serve_load.py - a load on a running `imrsearch serve`: C clients at once, each sending R
requests one after the other, over a mix of search pages, letter pages and report pages made
from the benchmark's queries. Prints the latency (p50, p95, max) of each kind of page and of
all, and the statuses; exits 1 when any answer is not a 200.

    serve_load.py URL QUERIES.jsonl [--clients C] [--requests R]

The letter pages are the first hits of the queries' searches (asked once, untimed, before
the load). Each client starts at another place in the mix, so that the clients do not all
ask the same page at the same moment.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

# Command-line filters of queries.jsonl's "args" and the parameters the server reads.
FILTERS = {"--decision": "decision", "--region": "region", "--type": "type",
           "--source": "source", "--from": "from", "--to": "to"}


def search_params(query):
    params = [("q", query["q"])]
    args = query.get("args", [])
    for flag, value in zip(args[::2], args[1::2]):
        if flag in FILTERS:
            params.append((FILTERS[flag], value))
    return params


def percentile(values, p):
    """The nearest-rank percentile p (0-100) of values."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def get(conn, path):
    """One GET on an open connection: (status, seconds, body)."""
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    return resp.status, time.perf_counter() - start, body


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url")
    ap.add_argument("queries")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=25)
    a = ap.parse_args()
    where = urllib.parse.urlsplit(a.url)
    host, port = where.hostname, where.port

    queries = [json.loads(line) for line in open(a.queries, encoding="utf-8") if line.strip()]
    mix = []
    first = http.client.HTTPConnection(host, port, timeout=60)
    for query in queries:
        params = search_params(query)
        mix.append(("search", "/?" + urllib.parse.urlencode(params)))
        mix.append(("report", "/report?" + urllib.parse.urlencode(
            params + [("by", "region"), ("by", "decision")])))
        status, _, body = get(first, "/api/search?" + urllib.parse.urlencode(params + [("limit", "1")]))
        hits = json.loads(body)["hits"] if status == 200 else []
        if hits:
            mix.append(("letter", "/letter/%s?%s" % (urllib.parse.quote(hits[0]["letter"]),
                                                      urllib.parse.urlencode([("q", query["q"])]))))
    first.close()

    results = []  # (kind, status, seconds)
    lock = threading.Lock()

    def client(n):
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine = []
        for i in range(a.requests):
            kind, path = mix[(n * 7 + i) % len(mix)]
            try:
                status, seconds, _ = get(conn, path)
            except (OSError, http.client.HTTPException):
                # The server closes each connection after its answer: open another.
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                status, seconds, _ = get(conn, path)
            mine.append((kind, status, seconds))
        conn.close()
        with lock:
            results.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start

    print("%d clients x %d requests = %d answers in %.2f s (%.0f per second)"
          % (a.clients, a.requests, len(results), wall, len(results) / wall))
    print("%-8s %6s %9s %9s %9s" % ("page", "count", "p50 ms", "p95 ms", "max ms"))
    for kind in ("search", "letter", "report", "all"):
        ms = [s * 1000 for k, _, s in results if kind in (k, "all")]
        if ms:
            print("%-8s %6d %9.1f %9.1f %9.1f" % (kind, len(ms), percentile(ms, 50),
                                                   percentile(ms, 95), max(ms)))
    statuses = {}
    for _, status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    print("statuses: " + ", ".join("%d x%d" % (s, n) for s, n in sorted(statuses.items())))
    return 0 if set(statuses) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
