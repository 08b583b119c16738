"""Settings: a wrong or misspelt variable stops a process at start-up, naming the variable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from newsroom_shared.settings import HARNESS_VARIABLES, PREFIX, NewsroomSettings, SettingsError, load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in list(os.environ):
        if variable.startswith(PREFIX):
            monkeypatch.delenv(variable)


def refusal(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return str(caught.value)


def test_misspelt_variable_is_refused_with_the_likely_name(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, NEWSROOM_REDISURL="redis://elsewhere:6379/0")
    assert "unknown setting NEWSROOM_REDISURL; did you mean NEWSROOM_REDIS_URL?" in message


def test_a_misspelling_is_reported_beside_the_other_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, NEWSROOM_BATCH_SIZ="5", NEWSROOM_INGEST_PORT="abc")
    assert "unknown setting NEWSROOM_BATCH_SIZ" in message and "NEWSROOM_INGEST_PORT: " in message


def test_value_of_the_wrong_type_names_the_variable_and_what_was_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = refusal(monkeypatch, NEWSROOM_BATCH_SIZE="abc")
    assert "NEWSROOM_BATCH_SIZE: Input should be a valid integer" in message and "(got 'abc')" in message


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("NEWSROOM_LOG_LEVEL", "bogus", "unknown log level 'bogus'"),
        ("NEWSROOM_INGEST_PORT", "99999", "less than or equal to 65535"),
        ("NEWSROOM_MAX_REQUEST_BYTES", "-1", "greater than or equal to 1"),
        ("NEWSROOM_RETENTION_MS", "-5", "greater than or equal to 0"),
        ("NEWSROOM_CONSUMER_GC_IDLE_MS", "0", "greater than or equal to 1000"),
        ("NEWSROOM_REDIS_URL", "localhost:6379", "must start with one of redis://, rediss://, unix://"),
        ("NEWSROOM_REDIS_URL", "redis://:99999", "has a bad port"),
        ("NEWSROOM_REDIS_URL", "redis://127.0.0.1:6379/db1", "the database after the host must be a number"),
        ("NEWSROOM_CLAIM_IDLE_MS", "100000000000000000000", "less than or equal to 2592000000"),
        ("NEWSROOM_PUBLIC_BASE_URL", "news.example.com", "must be an absolute http(s) URL"),
        ("NEWSROOM_PUBLIC_BASE_URL", "javascript:alert(1)//", "must be an absolute http(s) URL"),
    ],
)
def test_out_of_range_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    message = refusal(monkeypatch, **{variable: value})
    assert f"{variable}: " in message and reason in message


def test_retry_ceiling_below_the_first_delay_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    message = refusal(monkeypatch, NEWSROOM_RETRY_BASE_MS="500", NEWSROOM_RETRY_MAX_MS="100")
    assert "NEWSROOM_RETRY_MAX_MS (100) is below NEWSROOM_RETRY_BASE_MS (500)" in message


def test_log_level_in_any_case_and_the_harness_variables_are_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSROOM_LOG_LEVEL", "warning")
    for variable in HARNESS_VARIABLES:
        monkeypatch.setenv(variable, "1")
    assert load_settings().log_level == "WARNING"


def test_readme_documents_every_setting_and_no_other() -> None:
    documented = set(re.findall(r"^\| `(NEWSROOM_[A-Z_]+)` \|", README.read_text(), flags=re.MULTILINE))
    assert documented == {PREFIX + name.upper() for name in NewsroomSettings.model_fields}


def run_service(name: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """`newsroom run <name>` with only `variables` of the NEWSROOM_ ones set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX)} | variables
    command = [sys.executable, "-m", "newsroom_shared.cli", "run", name]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_a_service_with_a_bad_setting_exits_before_starting_and_says_why() -> None:
    run = run_service("ingest", NEWSROOM_REDISURL="x")
    assert run.returncode != 0 and "unknown setting NEWSROOM_REDISURL" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_service_without_a_server_to_use_says_so_without_a_traceback(tmp_path: Path) -> None:
    run = run_service("publish", NEWSROOM_DATA_DIR=str(tmp_path))
    assert run.returncode == 1 and "NEWSROOM_REDIS_URL is not set" in run.stderr
    assert "Traceback" not in run.stderr


def test_urls_put_an_ipv6_host_in_brackets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSROOM_HOST", "::1")
    assert load_settings().publish_base_url() == "http://[::1]:8003"
    monkeypatch.setenv("NEWSROOM_PUBLIC_BASE_URL", "https://news.example.com/site/")
    assert load_settings().publish_base_url() == "https://news.example.com/site"
