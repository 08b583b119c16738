"""Root conftest: the shared real-server fixtures for every test suite."""

pytest_plugins = ["newsroom_shared.testing"]
