"""`python -m newsroom_enrich`: what `newsroom run enrich` and the container run."""

from newsroom_shared.runner import main

from newsroom_enrich.bootstrap import build

if __name__ == "__main__":
    main("enrich", build)
