"""The `newsroom` command: run, up (with demo), submit, status, dlq."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import math
import os
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import redis
from pydantic import ValidationError

from newsroom_shared import dlq
from newsroom_shared.connection import ENCODING_ERRORS, connect
from newsroom_shared.settings import NewsroomSettings, SettingsError, http_base, load_settings
from newsroom_shared.supervisor import SERVICES, supervise


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        sys.exit(args.func(args) or 0)
    except SettingsError as e:
        print(f"newsroom: {e}", file=sys.stderr)
        sys.exit(2)
    except (redis.ConnectionError, redis.TimeoutError) as e:  # e.g. `status` or `dlq` with no server
        print(f"newsroom: cannot reach the server: {e}", file=sys.stderr)
        sys.exit(1)
    except redis.ResponseError as e:  # e.g. a user without the right to run scripts, a key of another type
        print(f"newsroom: the server refused: {e}", file=sys.stderr)
        sys.exit(1)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsroom", description="Newsroom Streams: ingest → enrich → publish")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run one service in this process (what a container runs)")
    run.add_argument("service", choices=SERVICES)
    run.set_defaults(func=cmd_run)

    up = sub.add_parser("up", help="run all three services (and an embedded server if needed)")
    up.add_argument("--demo", action="store_true", help="also submit the bundled sample articles")
    up.add_argument("--exit-after-demo", action="store_true", help="exit 0 once the samples are published")
    up.set_defaults(func=cmd_up)

    submit = sub.add_parser("submit", help="submit files to ingest (format detected by content)")
    submit.add_argument("files", nargs="+", type=Path)
    submit.add_argument("--json", action="store_true", help="one JSON object per line")
    submit.add_argument("--id", dest="article_id", help="name the article explicitly")
    submit.add_argument("--format", default="auto", choices=["auto", "native", "ninjs", "text"])
    submit.add_argument("--url", help="ingest base URL (default from NEWSROOM_INGEST_PORT)")
    submit.set_defaults(func=cmd_submit)

    soak = sub.add_parser("soak", help="many articles through the real services, with random kills")
    soak.add_argument("--articles", type=_positive(int), default=1000)
    soak.add_argument("--faults", action="store_true", help="kill -9 / SIGTERM services at random")
    soak.add_argument("--replicas", type=_positive(int), default=2, help="processes per service")
    soak.add_argument(
        "--revise-every", type=_positive(int), default=10, help="every Nth article gets a revision"
    )
    soak.add_argument("--timeout", type=_positive(float), default=1800)
    soak.set_defaults(func=cmd_soak)

    bench = sub.add_parser("bench", help="throughput and latency against a fresh server, with a baseline")
    bench.add_argument("--mode", choices=["relay", "full"], default="relay")
    bench.add_argument("--articles", type=_positive(int), default=5000)
    bench.add_argument("--rate", type=_positive(float), help="paced submissions per second (latency mode)")
    bench.add_argument(
        "--enrich-replicas",
        type=_positive(int),
        default=1,
        help="enrich processes (the stage an operator scales)",
    )
    bench.add_argument(
        "--batch-size",
        type=_setting("batch_size"),
        help="the services' NEWSROOM_BATCH_SIZE (default: the setting's default)",
    )
    bench.set_defaults(func=cmd_bench)

    status = sub.add_parser("status", help="where each stage stands: lag, pending, consumers, dead letters")
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(func=cmd_status)

    d = sub.add_parser("dlq", help="inspect and act on dead letters")
    dsub = d.add_subparsers(required=True, metavar="ACTION")
    for name, helptext in (
        ("list", "list dead letters"),
        ("show", "show dead letters in full"),
        ("replay", "put entries back at the start of their stage"),
        ("purge", "delete dead letters (recorded in the audit stream)"),
    ):
        a = dsub.add_parser(name, help=helptext)
        a.add_argument("--stage", choices=["ingest", "enrich", "publish"])
        a.add_argument("--article")
        a.add_argument("--error-type")
        a.add_argument("--id", dest="entry_id", help="one dead letter by its entry id")
        if name == "purge":
            a.add_argument("--yes", action="store_true", help="really delete")
        a.set_defaults(func=cmd_dlq, action=name)
    return p


def cmd_run(args: argparse.Namespace) -> int:
    os.execv(sys.executable, [sys.executable, "-m", f"newsroom_{args.service}"])


def cmd_up(args: argparse.Namespace) -> int:
    settings = load_settings()
    after = run_demo if (args.demo or args.exit_after_demo) else None
    exit_after = args.exit_after_demo

    async def demo(s: NewsroomSettings) -> bool:
        ok = await asyncio.to_thread(run_demo, s)
        if not exit_after:
            await asyncio.Event().wait()  # keep serving until Ctrl-C
        return ok

    return asyncio.run(supervise(settings, demo if after else None))


def _ingest_url(settings: NewsroomSettings) -> str:
    return http_base(settings.host, settings.ingest_port)


def _publish_url(settings: NewsroomSettings) -> str:
    return http_base(settings.host, settings.publish_port)


def wait_healthy(urls: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not become ready")
            time.sleep(0.2)


def sample_files() -> list[tuple[str, bytes]]:
    """The bundled samples, in submission order (a page, other articles, then the page revised)."""
    folder = resources.files("newsroom_shared").joinpath("samples")
    names = sorted(p.name for p in folder.iterdir() if p.name[0].isdigit())
    return [(n, folder.joinpath(n).read_bytes()) for n in names]


def run_demo(settings: NewsroomSettings, timeout: float = 90) -> bool:
    ingest, publish = _ingest_url(settings), _publish_url(settings)
    wait_healthy([ingest, http_base(settings.host, settings.enrich_port), publish])
    expected: dict[str, int] = {}
    with httpx.Client(timeout=10) as http:
        for name, body in sample_files():
            r = http.post(f"{ingest}/v1/imports", content=body)
            r.raise_for_status()
            a = r.json()
            print(
                f"demo: submitted {name}: article {a['article_id']} revision {a['revision']} ({a['status']})",
                flush=True,
            )
            expected[a["article_id"]] = max(expected.get(a["article_id"], 0), a["revision"])
        deadline = time.monotonic() + timeout
        published: dict[str, dict[str, object]] = {}
        while len(published) < len(expected) and time.monotonic() < deadline:
            for aid, rev in expected.items():
                r = http.get(f"{publish}/v1/articles/{aid}")
                if r.status_code == 200 and r.json()["revision"] >= rev:
                    published[aid] = r.json()
            time.sleep(0.2)
    if len(published) < len(expected):
        print(
            f"demo: only {len(published)} of {len(expected)} articles published in {timeout:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        return False
    print("\ndemo: all samples published. Where to look:", flush=True)
    for aid, doc in published.items():
        print(
            f"  revision {doc['revision']} ({doc['change_kind']}): {doc['headline']}\n"
            f"    page:      {doc['url']}\n"
            f"    api:       {publish}/v1/articles/{aid}\n"
            f"    revisions: {publish}/v1/articles/{aid}/revisions",
            flush=True,
        )
    print(
        f"  feed: {publish}/feeds/latest.atom   every change: {publish}/v1/changes\n"
        "  submit your own: newsroom submit FILE...   each stage's backlog: newsroom status",
        flush=True,
    )
    return True


def cmd_submit(args: argparse.Namespace) -> int:
    settings = load_settings()
    base = (args.url or _ingest_url(settings)).rstrip("/")
    params: dict[str, str] = {"format": args.format}
    if args.article_id:
        params["article_id"] = args.article_id
    failures = 0
    with httpx.Client(timeout=30) as http:
        for path in args.files:
            r: httpx.Response | None = None
            try:
                answer = http.post(f"{base}/v1/imports", params=params, content=path.read_bytes())
            except (OSError, httpx.HTTPError, httpx.InvalidURL) as e:
                body: dict[str, Any] = {"error": str(e)}
            else:
                r, body = answer, _json_answer(answer)
            ok = r is not None and r.status_code == 202
            failures += not ok
            if args.json:
                print(
                    json.dumps(
                        {"file": str(path), "http_status": None if r is None else r.status_code, **body}
                    )
                )
            elif ok:
                a = body
                print(f"{path}: article_id={a['article_id']} revision={a['revision']} status={a['status']}")
            else:
                print(f"{path}: refused: {body.get('message') or body.get('error') or body}", file=sys.stderr)
    return 1 if failures else 0


def _json_answer(r: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; anything else (a proxy's HTML error page) named by its status."""
    try:
        body = r.json()
    except ValueError:
        return {"error": f"HTTP {r.status_code} with no JSON answer: {r.text[:200]!r}"}
    return body if isinstance(body, dict) else {"error": f"HTTP {r.status_code}: {body!r}"[:300]}


def cmd_soak(args: argparse.Namespace) -> int:
    from newsroom_shared.soak import run_soak

    report = run_soak(
        args.articles,
        faults=args.faults,
        replicas=args.replicas,
        revise_every=args.revise_every,
        timeout=args.timeout,
    )
    return 0 if report.ok else 1


def _positive(kind: Callable[[str], int] | Callable[[str], float]) -> Callable[[str], object]:
    """A count, rate or time that must be above zero (0 would silently mean 'unpaced' or crash)."""

    def parse(text: str) -> object:
        try:
            value = kind(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from e
        if not 0 < value < math.inf:
            raise argparse.ArgumentTypeError(f"must be a finite number above 0, got {text}")
        return value

    return parse


def _setting(name: str) -> Callable[[str], object]:
    """An option that is checked as the services will check the setting, before they start."""

    def parse(text: str) -> object:
        try:
            checked = NewsroomSettings.__pydantic_validator__.validate_assignment(
                NewsroomSettings.model_construct(), name, text
            )
        except ValidationError as e:
            raise argparse.ArgumentTypeError(f"{e.errors()[0]['msg']} (NEWSROOM_{name.upper()})") from e
        return getattr(checked, name)

    return parse


def cmd_bench(args: argparse.Namespace) -> int:
    from newsroom_shared.bench import bench

    bench(
        args.mode, args.articles, args.rate, enrich_replicas=args.enrich_replicas, batch_size=args.batch_size
    )
    return 0


STATUS_TIMEOUT_S = 10.0


def cmd_status(args: argparse.Namespace) -> int:
    from newsroom_shared.status import pipeline_status, render

    settings = load_settings()

    async def read() -> dict[str, object]:
        client = connect(settings.resolved_redis_url())
        try:
            return await asyncio.wait_for(pipeline_status(client), STATUS_TIMEOUT_S)
        except TimeoutError:  # e.g. a frozen server: say so rather than hang
            raise redis.TimeoutError(f"no answer within {STATUS_TIMEOUT_S:.0f} s") from None
        finally:
            await client.aclose()

    figures = asyncio.run(read())
    print(json.dumps(figures) if args.json else render(figures))
    return 0


def _replay(client: redis.Redis, letters: list[dlq.DeadLetter], by: str) -> int:
    """One letter at a time: one that cannot be written is kept and named, and the others go."""
    replayed = failed = 0
    for dl in letters:
        try:
            [new] = dlq.replay(client, [dl], by)
        except (redis.ResponseError, dlq.Incomplete) as e:
            failed += 1
            print(f"failed {dl.stage} {dl.entry_id}: {e} (the dead letter is kept)", file=sys.stderr)
            continue
        if new is None:
            print(f"skipped {dl.stage} {dl.entry_id}: no longer a dead letter (replayed or purged since)")
        else:
            replayed += 1
            print(f"replayed {dl.stage} {dl.entry_id} -> {dl.fields.get('origin_stream')} {new}")
    print(f"{replayed} replayed")
    return 1 if failed else 0


def cmd_dlq(args: argparse.Namespace) -> int:
    url = load_settings().resolved_redis_url()
    client = redis.Redis.from_url(url, decode_responses=True, encoding_errors=ENCODING_ERRORS)
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]  # bytes not UTF-8 show escaped
    letters = dlq.find(
        client, stage=args.stage, article=args.article, error_type=args.error_type, entry_id=args.entry_id
    )
    by = f"{getpass.getuser()}@{os.uname().nodename}"
    if not letters and args.action in ("show", "replay"):
        print("newsroom: no dead letter matches", file=sys.stderr)
        return 1
    if args.action == "list":
        for dl in letters:
            f = dl.fields
            print(
                f"{dl.stage:8} {dl.entry_id:18} article={f.get('article_id') or '-'} "
                f"rev={f.get('revision') or '-'} attempts={f.get('attempts')} "
                f"{f.get('error_type')}: {f.get('error', '')[:120]}"
            )
        print(f"{len(letters)} dead letter(s)")
    elif args.action == "show":
        for dl in letters:
            print(
                json.dumps({"stage": dl.stage, "id": dl.entry_id, **dl.fields}, indent=2, ensure_ascii=False)
            )
    elif args.action == "replay":
        return _replay(client, letters, by)
    elif args.action == "purge":
        if not args.yes:
            print(f"{len(letters)} dead letter(s) would be purged; add --yes", file=sys.stderr)
            return 2
        print(f"{dlq.purge(client, letters, by)} purged")
    return 0


if __name__ == "__main__":
    main()
