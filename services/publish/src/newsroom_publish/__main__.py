"""`python -m newsroom_publish`: what `newsroom run publish` and the container run."""

from newsroom_shared.runner import main

from newsroom_publish.bootstrap import build

if __name__ == "__main__":
    main("publish", build)
