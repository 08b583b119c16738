"""`python -m newsroom_enrich.benchmark N`: the enrichment alone, in one process, no streams.

`newsroom bench --mode full` runs this as its baseline: the same synthetic documents the services
get, parsed and enriched here without any Redis hop, so the ratio is the cost of distribution.
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
    print(json.dumps({"articles": n, "seconds": round(seconds, 3), "articles_per_s": round(n / seconds, 1)}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
