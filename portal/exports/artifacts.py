"""The artifact store: files under ARTIFACT_DIR named by their key, written to a temporary
file and renamed into place, so a reader never sees a half-written file and a killed build
leaves none."""

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..config import ROOT
from ..extensions import db
from ..models import Artifact, ArtifactKind

# Everything that shapes a compiled PDF besides the data: a change to any of these files gives
# every artifact a new key, so stale PDFs are never served after a deploy.
TEMPLATE_FILES = (
    "templates/pdf",
    "static/css",
    "static/fonts",
    "portal/pdf",
    "portal/text/markdown.py",
    "portal/exports/compendium.py",
    "portal/exports/official.py",
)


# Names the temporary files of the build under way (a job sets it), so the partial file of a
# build whose process was killed can be found and removed as soon as the job is seen dead.
partial_tag: ContextVar[str] = ContextVar("partial_tag", default="")


def partial_files(tag: str) -> list[Path]:
    return list(artifact_dir().rglob(f".partial-{tag}-*")) if tag else []


@lru_cache(maxsize=1)
def template_version() -> str:
    digest = hashlib.sha256()
    for name in TEMPLATE_FILES:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".pyc" or not file.exists():
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def make_key(kind: str, inputs) -> str:
    """SHA-256 of the kind, the template version and the JSON of the inputs."""
    payload = json.dumps(
        {"kind": kind, "template": template_version(), "inputs": inputs},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def artifact_dir() -> Path:
    path = Path(current_app.config["ARTIFACT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(artifact: Artifact) -> Path:
    return artifact_dir() / artifact.path


def latest(round_, kind: str) -> Artifact | None:
    """The round's newest artifact of `kind` (the compendium, the ZIP)."""
    return db.session.scalar(
        select(Artifact)
        .where(Artifact.round_id == round_.id, Artifact.kind == kind)
        .order_by(Artifact.id.desc())
        .limit(1)
    )


def compendium_available(round_) -> bool:
    """Whether the round page may link to a compiled compendium (no dead link before)."""
    artifact = latest(round_, ArtifactKind.COMPENDIUM_PDF)
    return artifact is not None and file_path(artifact).is_file()


def existing(key: str) -> Artifact | None:
    """The stored artifact for `key` whose file is there, or None — reading only (for GETs)."""
    artifact = db.session.scalar(select(Artifact).where(Artifact.key == key))
    return artifact if artifact is not None and file_path(artifact).is_file() else None


def find(key: str) -> Artifact | None:
    artifact = db.session.scalar(select(Artifact).where(Artifact.key == key))
    if artifact is not None and not file_path(artifact).is_file():
        # The row outlived its file (a wiped disk): build it again.
        db.session.delete(artifact)
        db.session.flush()
        return None
    return artifact


def write_atomically(target: Path, write: Callable[[Path], object]) -> int:
    """Call write(temp_path) and rename the result onto `target`; return its size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tag = partial_tag.get()
    prefix = f".partial-{tag}-" if tag else ".partial-"
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=target.suffix)
    os.close(fd)
    try:
        write(Path(temp))
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target.stat().st_size


_LOCKS = Path(tempfile.gettempdir()) / "portal-build-locks"


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One holder at a time per target file, across the processes of this machine (the web
    workers, `portal worker`s): eight requests for a file not built yet lay it out once, the
    seven others wait and find it built. The OS releases the lock if its holder dies. Lock
    files live in the temporary folder, not the store (which holds finished files only), and
    the holder removes its own."""
    _LOCKS.mkdir(parents=True, exist_ok=True)
    path = _LOCKS / (hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:32] + ".lock")
    while True:
        handle = open(path, "a")  # noqa: SIM115  (held until the end of the block)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            current = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        # The holder before us removed the file we waited on: lock the one that is there now.
        handle.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()


def build_once(target: Path, write: Callable[[Path], object]) -> int:
    """Build `target` with write(temp_path) unless it exists, one builder at a time; its size.
    Files are named by their key, so a file already there holds the same bytes."""
    with exclusive(target):
        if not target.is_file():
            write_atomically(target, write)
    return target.stat().st_size


def store(
    key: str,
    kind: str,
    build: Callable[[Path], object],
    *,
    filename: str,
    content_type: str,
    statement=None,
    round_=None,
) -> Artifact:
    """The artifact for `key`, built by build(path) unless it exists already."""
    existing = find(key)
    if existing is not None:
        return existing
    suffix = Path(filename).suffix
    relative = f"{key[:2]}/{key}{suffix}"
    size = build_once(artifact_dir() / relative, build)
    artifact = Artifact(
        key=key,
        kind=kind,
        statement_id=getattr(statement, "id", None),
        round_id=getattr(round_, "id", None),
        path=relative,
        filename=filename,
        content_type=content_type,
        size=size,
    )
    try:
        with db.session.begin_nested():
            db.session.add(artifact)
    except IntegrityError:
        # Someone built the same key at the same moment; theirs is the same bytes.
        return db.session.scalars(select(Artifact).where(Artifact.key == key)).one()
    return artifact


def store_bytes(key: str, kind: str, data: bytes, **kwargs) -> Artifact:
    return store(key, kind, lambda path: path.write_bytes(data), **kwargs)
