"""End to end through docker compose: build, up, submit over HTTP, read, scale enrich to 2, status, down."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from newsroom_shared.testing import docker_answers, wait_for

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> Iterator[Any]:
    if not docker_answers():
        if os.environ.get("NEWSROOM_REQUIRE_DOCKER") or os.environ.get("CI"):
            pytest.fail("no Docker engine answers, and this run requires the compose test")
        pytest.skip("no Docker engine answers (CI requires one)")
    from testcontainers.compose import DockerCompose

    os.environ["COMPOSE_PROJECT_NAME"] = f"newsroom-e2e-{os.getpid()}"
    stack = DockerCompose(str(ROOT), compose_file_name="docker-compose.yml", build=True, wait=True)
    try:
        stack.start()
    except Exception:
        print(stack.get_logs())
        stack.stop()
        raise
    yield stack
    stack.stop()


def base_url(compose: Any, service: str, port: int) -> str:
    host, published = compose.get_service_host_and_port(service, port)
    return f"http://{host or '127.0.0.1'}:{published}"


def test_compose_chain_submits_reads_and_scales(compose: Any) -> None:
    ingest, publish = base_url(compose, "ingest", 8001), base_url(compose, "publish", 8003)
    article = {
        "article_id": "e2e-compose-1",
        "headline": "Tram Line Extension Opens in Bordeaux",
        "authors": ["Louise Bernard"],
        "body_text": "The extension of tram line A reached Bordeaux airport on Monday.\n\n"
        "Mayor Pierre Hurmic said the line would carry 10,000 passengers a day.",
        "first_published_at": "2025-06-02T07:30:00+02:00",
    }
    r = httpx.post(f"{ingest}/v1/articles", json=article, timeout=10)
    assert r.status_code == 202, r.text
    assert r.json()["revision"] == 1

    def published(article_id: str, revision: int) -> dict[str, Any] | None:
        resp = httpx.get(f"{publish}/v1/articles/{article_id}", timeout=5)
        return resp.json() if resp.status_code == 200 and resp.json()["revision"] == revision else None

    doc = wait_for(lambda: published("e2e-compose-1", 1), timeout=60, message="published over compose")
    assert doc["headline"] == article["headline"]
    assert any(e["name"] == "Bordeaux" for e in doc["entities"])

    compose._run_command(
        [*compose.compose_command_property, "up", "-d", "--wait", "--no-recreate", "--scale", "enrich=2"]
    )
    enrich = [c for c in compose.get_containers() if c.Service == "enrich"]
    assert len(enrich) == 2

    revised = {**article, "body_text": article["body_text"] + "\n\nThe first week carried 12,000 a day."}
    r2 = httpx.post(f"{ingest}/v1/articles", content=json.dumps(revised), timeout=10)
    assert r2.json()["revision"] == 2
    doc2 = wait_for(lambda: published("e2e-compose-1", 2), timeout=60, message="revision 2 with 2 enrichers")
    page = httpx.get(f"{publish}/articles/{doc2['slug']}", timeout=5)
    assert page.status_code == 200 and "Last update:" in page.text

    out, err, code = compose.exec_in_container(["newsroom", "status", "--json"], service_name="ingest")
    assert code == 0, err
    stages = {s["stage"]: s for s in json.loads(out)["stages"]}
    assert stages["enrich"]["consumers"] == 2 and stages["enrich"]["lag"] == 0
