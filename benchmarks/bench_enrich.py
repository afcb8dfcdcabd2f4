"""Enrichment throughput against a local fake Crossref + DBLP (never the real services).

1,000 synthetic entries; 80 % are found by the Crossref-shaped service, the rest
only by the DBLP-shaped one.  The server adds a small latency to every answer and
records when each request arrived, so the script can check that each service's
pacing (minimum interval between requests) held even with several workers.

Prints, as medians of several runs:
  * cold run: wall time, requests/s, per-service rate and the smallest gap seen
  * warm run (same cache): wall time, requests sent (must be 0)
  * a baseline: the same URLs fetched by a plain sequential ``requests.get`` loop with
    no pacing, as a ratio (how much the client's machinery costs at the same rate)

Run:  PYTHONPATH=src python benchmarks/bench_enrich.py [--entries 1000] [--runs 3] [--workers 4]
"""

from __future__ import annotations

import argparse
import itertools
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

from bibkit.enrich import enrich
from bibkit.enrich.match import normalise_title
from bibkit.model import Date, Entry, Name

_WORDS = ("adaptive bayesian clustering deep efficient federated graph hierarchical inference kernel learning "
         "metric neural optimal probabilistic quantum robust sparse temporal unsupervised variational "
         "wavelet networks models methods analysis systems data streams vision language retrieval")
WORDS = _WORDS.split()
_FAMILIES = ("Smith Garcia Müller Rossi Kowalski Nguyen Tanaka Silva Novak Dubois Jensen Okafor Ivanova "
            "Haddad Larsen Moreau Becker Costa Fischer Wang")
FAMILIES = _FAMILIES.split()


def corpus(n: int) -> list[dict]:
    out = []
    for i in range(n):
        words = [WORDS[(i * 7 + k * 13 + i // 29) % len(WORDS)] for k in range(6)]
        title = " ".join(words).capitalize() + f" {i}"
        fams = [FAMILIES[(i + k * 3) % len(FAMILIES)] for k in range(3)]
        out.append({"i": i, "title": title, "families": fams, "year": 1990 + i % 30,
                    "doi": f"10.5555/bench.{i}", "page": f"{i}-{i + 9}", "volume": str(i % 50 + 1),
                    "issue": str(i % 4 + 1), "venue": f"Journal of {WORDS[i % len(WORDS)].capitalize()} Studies",
                    "in_crossref": i % 5 != 0})
    return out


class FakeServices:
    """Crossref ``/works`` and DBLP ``/search/publ/api`` answers for the corpus."""

    def __init__(self, records: list[dict], latency: float):
        self.by_title = {normalise_title(r["title"]): r for r in records}
        self.latency = latency
        self.arrivals: dict[str, list[float]] = {"crossref": [], "dblp": []}
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def setup(self):
                super().setup()
                # no Nagle: headers and body are separate writes (else 40 ms delayed-ACK stalls)
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self):
                outer.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def find(self, query: str) -> dict | None:
        norm = normalise_title(query)
        rec = self.by_title.get(norm)
        if rec is not None:
            return rec
        for title, rec in self.by_title.items():  # the query starts with the title (then authors, year)
            if norm.startswith(title + " "):
                return rec
        return None

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        args = {k: v[0] for k, v in parse_qs(parts.query).items()}
        service = "crossref" if parts.path.startswith("/crossref") else "dblp"
        with self.lock:
            self.arrivals[service].append(time.monotonic())
        time.sleep(self.latency)
        if service == "crossref":
            rec = self.find(args.get("query.bibliographic", ""))
            items = []
            if rec and rec["in_crossref"]:
                items.append({"DOI": rec["doi"], "title": [rec["title"]], "type": "journal-article",
                              "author": [{"given": "A.", "family": f} for f in rec["families"]],
                              "issued": {"date-parts": [[rec["year"]]]}, "container-title": [rec["venue"]],
                              "page": rec["page"], "volume": rec["volume"], "issue": rec["issue"],
                              "publisher": "Bench Press", "score": 50.0})
            # a near miss every time: same title, other authors
            if rec:
                items.append({"DOI": "10.5555/decoy", "title": [rec["title"]], "author": [{"family": "Decoy"}],
                              "issued": {"date-parts": [[rec["year"]]]}, "score": 99.0})
            body = {"status": "ok", "message-type": "work-list", "message": {"items": items}}
        else:
            rec = self.find(args.get("q", ""))
            hits = []
            if rec:
                authors = [{"@pid": "x", "text": f"A. {f}"} for f in rec["families"]]
                hits.append({"info": {"authors": {"author": authors if len(authors) > 1 else authors[0]},
                                      "title": rec["title"] + ".", "venue": "J. Bench", "year": str(rec["year"]),
                                      "pages": rec["page"], "doi": rec["doi"], "type": "Journal Articles"}})
            body = {"result": {"hits": {"@total": str(len(hits)), "hit": hits}}}
        data = json.dumps(body).encode()
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    def reset(self) -> None:
        with self.lock:
            for v in self.arrivals.values():
                v.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


WINDOW = 0.5  # seconds, for the arrival-rate check


def entries_for(records: list[dict]) -> list[Entry]:
    return [Entry(key=f"e{r['i']}", type="article-journal", title=r["title"],
                  author=[Name(family=f, given="A.") for f in r["families"]], issued=Date(r["year"]))
            for r in records]


def max_in_window(times: list[float], window: float) -> int:
    """The most requests that arrived within any ``window`` seconds."""
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def mean_gap(times: list[float]) -> float:
    times = sorted(times)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    return statistics.fmean(gaps) if gaps else float("inf")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--latency", type=float, default=0.005, help="seconds the fake server takes per answer")
    ap.add_argument("--crossref-rate", type=float, default=250.0, help="pacing: max requests/s to Crossref")
    ap.add_argument("--dblp-rate", type=float, default=100.0, help="pacing: max requests/s to DBLP")
    opts = ap.parse_args()

    records = corpus(opts.entries)
    server = FakeServices(records, opts.latency)
    urls = {"crossref": f"{server.url}/crossref", "dblp": f"{server.url}/dblp"}
    pacing = {"crossref": 1.0 / opts.crossref_rate, "dblp": 1.0 / opts.dblp_rate}
    cold, warm, rates, baseline = [], [], [], []
    peaks: dict[str, list[int]] = {"crossref": [], "dblp": []}
    gaps: dict[str, list[float]] = {"crossref": [], "dblp": []}
    found = None
    try:
        for _ in range(opts.runs):
            with tempfile.TemporaryDirectory() as cache:
                server.reset()
                entries = entries_for(records)
                t0 = time.perf_counter()
                result = enrich(entries, sources="crossref,dblp", urls=urls, pacing=pacing, cache_dir=cache,
                                workers=opts.workers, timeout=10)
                dt = time.perf_counter() - t0
                cold.append(dt)
                rates.append(result.stats.requests / dt)
                for service in gaps:
                    peaks[service].append(max_in_window(server.arrivals[service], WINDOW))
                    gaps[service].append(mean_gap(server.arrivals[service]))
                found = result.counts()
                wrong = sum(1 for e, r in zip(result.entries, records, strict=True) if e.doi and e.doi != r["doi"])
                if wrong:
                    print(f"!! {wrong} entries got a wrong DOI", file=sys.stderr)
                n_requests = result.stats.requests
                by_service = dict(result.stats.by_service)
                server.reset()
                t0 = time.perf_counter()
                again = enrich(entries_for(records), sources="crossref,dblp", urls=urls, pacing=pacing,
                               cache_dir=cache, workers=opts.workers)
                warm.append(time.perf_counter() - t0)
                assert again.stats.requests == 0 and not any(server.arrivals.values()), "warm run sent requests"
                assert [e.doi for e in again.entries] == [e.doi for e in result.entries]
            # baseline: the same number of plain GETs, sequential, no pacing, no cache
            session = requests.Session()
            t0 = time.perf_counter()
            for r in records[: n_requests]:
                session.get(f"{urls['crossref']}/works", params={"query.bibliographic": r["title"]}, timeout=10).json()
            baseline.append(time.perf_counter() - t0)
            session.close()
    finally:
        server.close()

    med = statistics.median
    print(f"bench_enrich: {opts.entries} entries, {opts.workers} workers, server latency {opts.latency * 1000:.0f} ms, "
          f"pacing crossref <= {opts.crossref_rate:g}/s, dblp <= {opts.dblp_rate:g}/s, {opts.runs} runs (medians)")
    print(f"  result: {found}; requests per run: {n_requests} {by_service}")
    print(f"  cold run: {med(cold):.2f} s, {med(rates):.0f} requests/s")
    for service, rate in (("crossref", opts.crossref_rate), ("dblp", opts.dblp_rate)):
        peak = max(peaks[service])
        allowed = int(rate * WINDOW) + 1
        ok = "ok" if peak <= allowed else "VIOLATED"
        print(f"  pacing {service}: at most {peak} requests in any {WINDOW:g} s window (allowed {allowed}) {ok}; "
              f"mean gap {med(gaps[service]) * 1000:.1f} ms (limit {1000 / rate:.1f} ms)")
    print(f"  warm run (all from cache, 0 requests): {med(warm):.3f} s "
          f"({med(warm) / opts.entries * 1e6:.0f} µs per entry); cold/warm = {med(cold) / med(warm):.0f}x")
    print(f"  baseline sequential requests.get, same request count, no pacing: {med(baseline):.2f} s "
          f"-> bibkit cold/baseline = {med(cold) / med(baseline):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
