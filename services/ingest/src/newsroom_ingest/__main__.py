"""`python -m newsroom_ingest`: what `newsroom run ingest` and the container run."""

from newsroom_shared.runner import main

from newsroom_ingest.bootstrap import build

if __name__ == "__main__":
    main("ingest", build)
