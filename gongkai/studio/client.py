"""The connection to a Label Studio server: settings from the environment, a checked client,
and errors that say what went wrong without ever showing the API key.

``LABEL_STUDIO_API_KEY`` may be a personal access token (a JWT refresh token: the SDK swaps it
for short-lived access tokens itself) or a legacy token; the SDK tells them apart. The key is
kept out of reprs, messages and logs: every error text passes through ``_scrub``.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gongkai.errors import ConfigError, GongkaiError

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"
T = TypeVar("T")


class StudioError(GongkaiError):
    """Label Studio refused or failed a request."""


class StudioUnreachable(StudioError):
    """No Label Studio server answers at the configured URL."""


class StudioAuthError(StudioError):
    """The server rejected the API key (HTTP 401/403) or the key cannot be used (expired JWT)."""


class ProjectNotFound(StudioError):
    """No project has the requested title."""


@dataclass(frozen=True)
class StudioSettings:
    """Where the server is and how to authenticate. ``api_key`` never appears in the repr."""

    url: str
    api_key: str = field(repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StudioSettings:
        """Read LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY; ConfigError naming what is missing."""
        env = os.environ if env is None else env
        missing = [name for name in (URL_ENV, KEY_ENV) if not env.get(name, "").strip()]
        if missing:
            raise ConfigError(
                f"Label Studio is not configured: set {' and '.join(missing)} "
                f"(the server URL, e.g. http://localhost:8080, and an API key from Account & Settings)"
            )
        url = env[URL_ENV].strip().rstrip("/")
        if not url.startswith(("http://", "https://")) or len(url.split("://", 1)[1]) == 0:
            raise ConfigError(f"{URL_ENV}={url!r} is not an http(s) URL, e.g. http://localhost:8080")
        return cls(url, env[KEY_ENV].strip())


def _scrub(message: str, secret: str) -> str:
    """Replace the secret in ``message`` (server replies can echo what they were sent)."""
    if secret:
        message = message.replace(secret, "***")
    return message


def _body_text(body: Any) -> str:
    if isinstance(body, (dict, list)):
        text = json.dumps(body, ensure_ascii=False)
    else:
        text = str(body)
    return text if len(text) <= 300 else text[:300] + "…"


class Studio:
    """A Label Studio connection whose failures come out as ``StudioError`` subclasses."""

    def __init__(self, settings: StudioSettings, timeout: float = 120.0) -> None:
        self.url = settings.url
        self._key = settings.api_key
        self._timeout = timeout
        self._ls: Any = None

    def __repr__(self) -> str:
        return f"Studio(url={self.url!r})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Studio:
        return cls(StudioSettings.from_env(env))

    # ------------------------------------------------------------ plumbing
    @property
    def sdk(self) -> Any:
        """The label_studio_sdk client, built on first use (construction can fail on an expired JWT)."""
        if self._ls is None:
            from label_studio_sdk import LabelStudio

            self._ls = self.call(
                "create the client",
                lambda: LabelStudio(base_url=self.url, api_key=self._key, timeout=self._timeout),
            )
        return self._ls

    def call(self, what: str, fn: Callable[[], T]) -> T:
        """Run one SDK call, turning transport and HTTP failures into clear StudioErrors."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        try:
            return fn()
        except ApiError as exc:
            code = exc.status_code
            detail = _scrub(_body_text(exc.body), self._key)
            if code == 401:
                raise StudioAuthError(
                    f"Label Studio at {self.url} rejected {KEY_ENV} (HTTP 401) while trying to {what}: "
                    f"{detail}. Use a personal access token or legacy token from Account & Settings."
                ) from None
            if code == 403:
                raise StudioAuthError(
                    f"Label Studio at {self.url} refused to {what} (HTTP 403): {detail}. The user of "
                    f"{KEY_ENV} may lack the permission (ask an administrator for a role that allows it)."
                ) from None
            raise StudioError(
                f"Label Studio at {self.url} answered HTTP {code} to {what}: {detail}"
            ) from None
        except httpx.TransportError as exc:
            raise StudioUnreachable(
                f"cannot reach Label Studio at {self.url} to {what} ({type(exc).__name__}): "
                f"is the server running? (label-studio start; check {URL_ENV})"
            ) from None

    def check(self) -> dict[str, Any]:
        """Fail early with a clear error: is the server up, and does it accept the key? Returns the user."""
        import httpx

        try:
            resp = httpx.get(f"{self.url}/health", timeout=10.0)
        except httpx.TransportError as exc:
            raise StudioUnreachable(
                f"cannot reach Label Studio at {self.url} ({type(exc).__name__}): is the server running? "
                f"(label-studio start; check {URL_ENV})"
            ) from None
        if resp.status_code != 200:
            raise StudioUnreachable(
                f"Label Studio at {self.url} is not healthy: /health answered {resp.status_code}"
            )
        user = self.call("identify the user", lambda: self.sdk.users.whoami())
        return {"id": user.id, "email": user.email}

    # ------------------------------------------------------------ projects
    def find_project(self, title: str) -> int:
        """Id of the project titled exactly ``title``; ProjectNotFound lists the titles there are."""
        projects = self.call("list projects", lambda: list(self.sdk.projects.list(title=title)))
        for p in projects:
            if p.title == title:
                return int(p.id)
        titles = self.call("list projects", lambda: [p.title for p in self.sdk.projects.list()])
        shown = ", ".join(repr(t) for t in titles[:20]) or "none"
        raise ProjectNotFound(f"no Label Studio project titled {title!r} at {self.url} (projects: {shown})")

    def ensure_project(self, title: str, label_config: str) -> tuple[int, bool]:
        """Find the project by title or create it; returns (id, created). Idempotent."""
        try:
            return self.find_project(title), False
        except ProjectNotFound:
            pass
        project = self.call(
            f"create project {title!r}",
            lambda: self.sdk.projects.create(title=title, label_config=label_config),
        )
        return int(project.id), True

    # ------------------------------------------------------------ tasks
    def list_tasks(self, project_id: int, page_size: int = 100) -> list[dict[str, Any]]:
        """Every task of the project with its data, predictions and annotations, as plain dicts."""

        def fetch() -> list[dict[str, Any]]:
            pager = self.sdk.tasks.list(project=project_id, fields="all", page_size=page_size)
            return [t.model_dump(mode="json") if hasattr(t, "model_dump") else dict(t) for t in pager]

        return self.call(f"list tasks of project {project_id}", fetch)

    def import_tasks(self, project_id: int, tasks: Iterable[dict[str, Any]]) -> list[int]:
        """Import tasks (with predictions) and return the new task ids."""
        batch = list(tasks)
        if not batch:
            return []
        resp = self.call(
            f"import {len(batch)} tasks into project {project_id}",
            lambda: self.sdk.projects.import_tasks(id=project_id, request=batch, return_task_ids=True),
        )
        return [int(i) for i in (resp.task_ids or [])]

    def export(self, project_id: int, wait_s: float = 120.0) -> list[dict[str, Any]]:
        """Full JSON export (annotations and complete predictions) of the project."""
        sdk = self.sdk
        job = self.call(
            f"start an export of project {project_id}",
            lambda: sdk.projects.exports.create(
                id=project_id, serialization_options={"predictions": {"only_id": False}}
            ),
        )
        deadline = time.monotonic() + wait_s
        status = job.status
        while status != "completed":
            if status == "failed":
                raise StudioError(f"export {job.id} of project {project_id} at {self.url} failed")
            if time.monotonic() > deadline:
                raise StudioError(f"export {job.id} of project {project_id} not ready after {wait_s:.0f} s")
            time.sleep(0.5)
            status = self.call(
                "poll the export", lambda: sdk.projects.exports.get(id=project_id, export_pk=job.id)
            ).status
        raw = self.call(
            "download the export",
            lambda: b"".join(
                sdk.projects.exports.download(id=project_id, export_pk=job.id, export_type="JSON")
            ),
        )
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StudioError(f"export of project {project_id} is not JSON: {exc}") from None
        if not isinstance(data, list):
            raise StudioError(f"export of project {project_id} is not a list of tasks")
        return data
