"""A real Label Studio server for the studio tests: one per test session, in its own temp data
dir, bound to 127.0.0.1 on a free port, with a legacy token set at first start, and always
stopped (the whole process group) at teardown.

A cold first start spends most of its time in database migrations (≈40 s on an idle 2-core
machine, over 3 minutes on a busy one). So after a cold start becomes healthy, a consistent
snapshot of the fresh database (migrated, one user, no projects) and its throwaway test
credentials is kept in a cache folder keyed by the label-studio version; later sessions copy it
into their own temp data dir and start in seconds. ``GONGKAI_STUDIO_CACHE`` moves the cache,
``GONGKAI_STUDIO_CACHE=off`` disables it.

Import the fixture into a test module with ``from studio_server import studio_server``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import httpx
import pytest

START_TIMEOUT_S = float(os.environ.get("GONGKAI_STUDIO_START_TIMEOUT", "300"))
DB_FILE = "label_studio.sqlite3"


@dataclass
class StudioServer:
    url: str
    username: str
    password: str = field(repr=False)
    token: str = field(repr=False)
    data_dir: Path
    log_path: Path

    def env(self) -> dict[str, str]:
        """Environment that points gongkai at this server with the legacy token."""
        return {"LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.token}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def label_studio_bin() -> Path:
    exe = Path(sys.executable).parent / "label-studio"
    if not exe.exists():
        pytest.fail(f"label-studio is not installed beside {sys.executable} (pip install label-studio)")
    return exe


def template_dir() -> Path | None:
    """Where the fresh-database snapshot lives (None when caching is off)."""
    setting = os.environ.get("GONGKAI_STUDIO_CACHE", "")
    if setting.lower() == "off":
        return None
    root = Path(setting) if setting else Path(tempfile.gettempdir())
    return root / f"gongkai-label-studio-{version('label-studio')}"


def _seed_from_template(template: Path | None, data_dir: Path) -> dict | None:
    """Copy the cached fresh database into ``data_dir``; its credentials, or None without a cache."""
    if template is None or not (template / "creds.json").is_file():
        return None
    data_dir.mkdir(parents=True)
    shutil.copy2(template / DB_FILE, data_dir / DB_FILE)
    shutil.copy2(template / ".env", data_dir / ".env")
    return json.loads((template / "creds.json").read_text(encoding="utf-8"))


def _save_template(template: Path | None, data_dir: Path, creds: dict) -> None:
    """Snapshot the just-started database (sqlite backup: consistent while the server runs)."""
    if template is None or template.exists():
        return
    template.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=template.name + ".", dir=template.parent))
    src = sqlite3.connect(data_dir / DB_FILE)
    dst = sqlite3.connect(tmp / DB_FILE)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    shutil.copy2(data_dir / ".env", tmp / ".env")
    creds_path = tmp / "creds.json"
    creds_path.write_text(json.dumps(creds), encoding="utf-8")
    creds_path.chmod(0o600)
    try:
        os.replace(tmp, template)
    except OSError:  # another session saved one first
        shutil.rmtree(tmp, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's process group; kill it if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def studio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StudioServer]:
    root = tmp_path_factory.mktemp("label_studio")
    data_dir = root / "data"
    log_path = root / "server.log"
    port = free_port()
    template = template_dir()
    creds = _seed_from_template(template, data_dir)
    cold = creds is None
    if creds is None:
        creds = {
            "username": "annotator@example.com",
            "password": secrets.token_urlsafe(12),
            "token": secrets.token_hex(20),
        }
    server = StudioServer(
        url=f"http://127.0.0.1:{port}",
        username=creds["username"],
        password=creds["password"],
        token=creds["token"],
        data_dir=data_dir,
        log_path=log_path,
    )
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": server.username,
        "LABEL_STUDIO_PASSWORD": server.password,
        "LABEL_STUDIO_USER_TOKEN": server.token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
        # let the server call an ML backend and its webhook on this machine (gongkai studio serve)
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
    }
    env.pop("LABEL_STUDIO_URL", None)
    env.pop("LABEL_STUDIO_API_KEY", None)
    cmd = [
        str(label_studio_bin()),
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                pytest.fail(f"label-studio exited with {proc.returncode} before it was ready:\n{tail}")
            try:
                if httpx.get(f"{server.url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                pytest.fail(f"label-studio not healthy after {START_TIMEOUT_S:.0f} s:\n{tail}")
            time.sleep(1)
        if cold:
            _save_template(template, data_dir, creds)
        yield server
    finally:
        _stop(proc)
