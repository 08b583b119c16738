"""`python -m newsroom_enrich.benchmark N`: the enrichment alone, in one process, no streams.

`newsroom bench --mode full` runs this as its baseline: the same synthetic documents the services
get, parsed and enriched here without any Redis hop, so the ratio is the cost of distribution.
A second, timed pass prints what each enricher costs per article, to show where the time goes;
the last line is one JSON object with both.
"""

from __future__ import annotations

import json
import sys
import time

from newsroom_shared import loadgen

from newsroom_enrich.enrichment import Enricher


def main(n: int) -> None:
    enricher = Enricher()
    docs = [json.loads(loadgen.article(f"bench-{i:06d}", size=3000)) for i in range(n)]
    began = time.perf_counter()
    for d in docs:
        enricher.enrich(headline=d["headline"], standfirst=None, body_text=d["body_text"])
    seconds = time.perf_counter() - began
    timings: dict[str, float] = {}
    for d in docs:
        enricher.enrich(headline=d["headline"], standfirst=None, body_text=d["body_text"], timings=timings)
    per_enricher = {name: round(total * 1e6 / n, 1) for name, total in timings.items()}
    for name, us in sorted(per_enricher.items(), key=lambda item: -item[1]):
        print(f"{name:40}{us:>10.1f} µs/article")
    result = {"articles": n, "seconds": round(seconds, 3), "articles_per_s": round(n / seconds, 1)}
    print(json.dumps(result | {"per_enricher_us": per_enricher}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
