# Needs only Python 3.11+: the first run bootstraps a pinned uv into .tools/ and the workspace into .venv/.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
ARGS ?=

.PHONY: demo test lint typecheck unit integration contract faults e2e sync bench soak schemas clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled at install: every service process and CLI call imports FastAPI, pydantic and
# redis-py, and where PYTHONDONTWRITEBYTECODE is set nothing else caches it (half the test suite's CPU).
.venv/.synced: $(UV) uv.lock pyproject.toml shared/pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

sync: .venv/.synced

demo: .venv/.synced  ## run the whole chain with the bundled samples (ARGS=--exit-after-demo to stop after)
	$(UV) run --frozen newsroom up --demo $(ARGS)

test: lint typecheck  ## ruff + mypy, then every suite; with Docker the server tests run on Redis 7 and Valkey
	$(UV) run --frozen pytest $(ARGS)
	@if [ -z "$$NEWSROOM_TEST_REDIS_URL" ] && docker info >/dev/null 2>&1; then \
	  echo "== integration and fault tests again, on the embedded Valkey =="; \
	  NEWSROOM_TEST_BACKEND=embedded $(UV) run --frozen pytest tests/integration tests/faults $(ARGS); \
	fi

lint: .venv/.synced
	$(UV) run --frozen ruff check services shared tests

typecheck: .venv/.synced
	$(UV) run --frozen mypy shared/src services/ingest/src services/enrich/src services/publish/src

unit: .venv/.synced
	$(UV) run --frozen pytest services shared/tests $(ARGS)

contract: .venv/.synced
	$(UV) run --frozen pytest tests/contract $(ARGS)

integration: .venv/.synced
	$(UV) run --frozen pytest tests/integration $(ARGS)

faults: .venv/.synced
	$(UV) run --frozen pytest tests/faults $(ARGS)

e2e: .venv/.synced
	$(UV) run --frozen pytest tests/e2e $(ARGS)

bench: .venv/.synced  ## the throughput and latency runs quoted in the README (a few minutes)
	$(UV) run --frozen newsroom bench --mode relay --articles 10000
	$(UV) run --frozen newsroom bench --mode relay --articles 2000 --rate 200
	$(UV) run --frozen newsroom bench --mode full --articles 3000
	$(UV) run --frozen newsroom bench --mode full --articles 3000 --enrich-replicas 2
	$(UV) run --frozen newsroom bench --mode full --articles 500 --rate 50

soak: .venv/.synced  ## 10,000 articles while services are killed and restarted at random
	$(UV) run --frozen newsroom soak --articles 10000 --faults

schemas: .venv/.synced  ## re-export the events' JSON Schemas into schemas/
	$(UV) run --frozen python -m tests.contract.export_schemas

clean:
	rm -rf .tools .venv .newsroom .pytest_cache .mypy_cache .ruff_cache
