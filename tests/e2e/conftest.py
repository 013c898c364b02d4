"""A real app in a real headless Chromium (Debian's package; never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # under pytest-xdist (make test) every browser test runs in one worker: one app server
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "chromium is not installed: run `make test` (it installs Debian's chromium) or apt-get install chromium"
        )
    return {**browser_type_launch_args, "executable_path": chromium}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PASSWORDS = {
    "demo_consultant": "demo-consultant-2026",
    "demo_official": "demo-official-2026",
    "demo_enterprise": "demo-enterprise-2026",
    "demo_provider": "demo-provider-2026",
    "demo_expert": "demo-expert-2026",
    "lock_target": "lock-target-password",
}


def seed(folder: Path) -> None:
    """A data folder with sample enterprises, the demo accounts and one account to lock out."""
    from diagnose.access.policy import command_line_actor
    from diagnose.cli.commands import main
    from diagnose.services import open_store
    from diagnose.services.accounts import add_user

    url = f"sqlite:///{folder / 'diagnose.db'}"
    assert main(["demo", "--enterprises", "20", "--database", url]) == 0
    store = open_store(url)
    add_user(store, command_line_actor("e2e"), "lock_target", "official", PASSWORDS["lock_target"])
    store.dispose()


def start_app(folder: Path, environment: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run diagnose/web.py`` on a free loopback port with ``folder`` as its data
    folder (and ``environment`` on top); return the process and its address once it answers."""
    port = free_port()
    log = folder / f"streamlit-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", "diagnose/web.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    env = os.environ.copy() | {"DIAGNOSE_DATA_DIR": str(folder)}
    env.pop("DIAGNOSE_DATABASE_URL", None)
    env |= environment or {}
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the app did not start; its log:\n{log.read_text()}")
        time.sleep(0.3)


def stop_app(process: subprocess.Popen) -> None:
    """Stop an app started by ``start_app``."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """Seed a data folder, start ``streamlit run diagnose/web.py`` on a free loopback port; stop it after.
    Yields (address, data folder): a test may read the app's database to choose what to walk."""
    folder = tmp_path_factory.mktemp("app")
    seed(folder)
    process, url = start_app(folder)
    yield url, folder
    stop_app(process)


@pytest.fixture(scope="session")
def app_url(app_server):
    return app_server[0]


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page, app_url: str, username: str, password: str | None = None) -> None:
    """Sign in through the real form and route, and wait for the signed-in page."""
    page.goto(app_url)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or PASSWORDS[username])
    page.get_by_role("button", name="登录").click()


def download(page, button, path: Path) -> Path:
    """Click a download button and keep the file at ``path``. A button whose file is made when
    asked for sends a request the server answers after any run in progress; a click that lands
    while the page is redrawn may not take (on a busy machine), so click again."""
    from playwright.sync_api import TimeoutError as NoDownload

    for attempt in range(3):
        try:
            with page.expect_download(timeout=30_000 if attempt < 2 else 60_000) as started:
                button.click()
        except NoDownload:
            if attempt == 2:
                raise
            continue
        started.value.save_as(path)
        return path
    raise AssertionError("unreachable")
