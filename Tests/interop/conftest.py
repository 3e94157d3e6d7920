"""Fixtures of the interoperability suite: a `vigil serve` on a fresh database for the session,
and a factory for tests that need servers of their own (durability)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vigil_server import (  # noqa: E402
    RUNNING_SERVERS, VigilServer, create_database, database_url, drop_database, required_env)


def _settings() -> tuple[str, str]:
    try:
        return required_env("VIGIL_BIN"), required_env("VIGIL_TEST_ADMIN_URL")
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


class ServerFactory:
    """Starts servers on fresh (or given) databases; `close` stops them and drops the databases."""

    def __init__(self, binary: str, admin_url: str, log_dir: Path):
        self.binary, self.admin_url, self.log_dir = binary, admin_url, log_dir
        self.servers: list[VigilServer] = []
        self.databases: list[str] = []

    def new_database(self) -> str:
        name = create_database(self.admin_url)
        self.databases.append(name)
        return name

    def start(self, database: str | None = None, config_path: Path | None = None) -> VigilServer:
        """`config_path`: a vigil.yaml for `vigil serve --config`; without it the server runs on defaults."""
        database = database or self.new_database()
        log_path = self.log_dir / f"vigil-{database}.log"
        server = VigilServer(self.binary, database_url(self.admin_url, database), log_path, config_path=config_path)
        self.servers.append(server)
        try:
            return server.start()
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)

    def close(self) -> None:
        for server in self.servers:
            server.stop()
            if server in RUNNING_SERVERS:
                RUNNING_SERVERS.remove(server)
        for name in self.databases:
            drop_database(self.admin_url, name)


@contextmanager
def _factory(log_dir: Path):
    binary, admin_url = _settings()
    factory = ServerFactory(binary, admin_url, log_dir)
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="session")
def vigil(tmp_path_factory) -> VigilServer:
    """The suite's shared server: endpoints via grpc_target/http_url/api_url, SQL via query()/connect()."""
    with _factory(tmp_path_factory.mktemp("vigil-logs")) as factory:
        yield factory.start()


@pytest.fixture
def server_factory(tmp_path) -> ServerFactory:
    """Servers (and databases) of a test's own, stopped and dropped after it."""
    with _factory(tmp_path) as factory:
        yield factory


@pytest.fixture(scope="module")
def module_server_factory(tmp_path_factory) -> ServerFactory:
    """Servers (and databases) shared by the tests of one module."""
    with _factory(tmp_path_factory.mktemp("vigil-module-logs")) as factory:
        yield factory


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for server in list(RUNNING_SERVERS):
            report.sections.append((f"vigil server log ({server.log_path.name})", server.log_text()))
