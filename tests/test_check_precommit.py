"""End to end: the ``bibkit-duplicates`` hook of this checkout run by the real ``pre-commit``.

pre-commit clones this checkout (its committed HEAD), builds a virtualenv and
pip-installs bibkit into it, as it does for a user.  The virtualenv sees the
interpreter's site-packages (``VIRTUALENV_SYSTEM_SITE_PACKAGES``), so dependencies
that are already installed are not downloaded again; the rest come from PyPI.  One
environment build takes ~12-17 s of wall time on a quiet 2-CPU machine (~45 s when it
is shared, ~10 s of CPU); the commit flow shares one build, the try-repo run makes its
own.  Both are marked ``slow`` so ``-m "not slow"`` skips them while editing; the plain
``python -m pytest`` of CI runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).resolve().parent / "data" / "check-tugboat-sample.bib"


def _head(repo: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                             check=True, env=_env())
        subprocess.run(["git", "-C", str(repo), "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"], check=True,
                       capture_output=True, env=_env())
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", VIRTUALENV_SYSTEM_SITE_PACKAGES="1", **extra)
    return env


pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git not installed"),
    pytest.mark.skipif(_head(ROOT) is None, reason="not a git checkout with .pre-commit-hooks.yaml committed"),
]


def sh(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def precommit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return sh([sys.executable, "-m", "pre_commit", *args], cwd, env)


def new_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir()
    for cmd in (["git", "init", "-q"], ["git", "config", "commit.gpgsign", "false"]):
        sh(cmd, path, env).check_returncode()
    return path


DUPLICATE = """\
@article{knuth84,
  author = {Knuth, Donald E.},
  title = {Literate Programming},
  journal = {The Computer Journal},
  year = 1984,
}

@article{Knuth84,
  author = {D. E. Knuth},
  title = {Literate programming.},
  year = 1984,
}
"""


@pytest.mark.slow
def test_hook_rejects_a_duplicate_then_passes_after_the_fix(tmp_path: Path) -> None:
    env = _env(PRE_COMMIT_HOME=str(tmp_path / "cache"))
    repo = new_repo(tmp_path / "repo", env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n-   repo: {ROOT}\n    rev: {_head(ROOT)}\n    hooks:\n    -   id: bibkit-duplicates\n")
    assert precommit("install", cwd=repo, env=env).returncode == 0

    def commit(message: str, *files: str) -> subprocess.CompletedProcess[str]:
        sh(["git", "add", *files], repo, env).check_returncode()
        return sh(["git", "commit", "-q", "-m", message], repo, env)

    shutil.copy(SAMPLE, repo / "clean.bib")
    done = commit("a clean .bib", ".pre-commit-config.yaml", "clean.bib")
    assert done.returncode == 0, done.stdout + done.stderr
    head = _head_of(repo, env)

    (repo / "refs.bib").write_text(DUPLICATE)
    rejected = commit("a duplicate", "refs.bib")
    out = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, out
    assert "refs.bib:8:10: error: BK101 duplicate key 'Knuth84'" in out and "(also at refs.bib:1)" in out, out
    assert _head_of(repo, env) == head  # nothing was committed

    (repo / "refs.bib").write_text(DUPLICATE.split("\n\n")[0] + "\n")
    fixed = commit("the duplicate removed", "refs.bib")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _head_of(repo, env) != head


@pytest.mark.slow
def test_try_repo_passes_a_clean_repo(tmp_path: Path) -> None:
    env = _env()
    repo = new_repo(tmp_path / "repo", env)
    shutil.copy(SAMPLE, repo / "refs.bib")
    sh(["git", "add", "refs.bib"], repo, env).check_returncode()
    run = precommit("try-repo", str(ROOT), "bibkit-duplicates", "--color", "never", cwd=repo, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "bibkit check (duplicate .bib entries)" in out and "Passed" in out


def _head_of(repo: Path, env: dict[str, str]) -> str:
    return sh(["git", "rev-parse", "HEAD"], repo, env).stdout.strip()


def test_hook_manifest_is_valid() -> None:
    run = sh([sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], ROOT,
             _env())
    assert run.returncode == 0, run.stdout + run.stderr
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for hook, entry in (("bibkit-duplicates", "bibkit check"), ("bibkit-fix", "bibkit check --fix")):
        block = text.split(f"- id: {hook}\n", 1)[1].split("\n- id:", 1)[0]
        assert f"entry: {entry}\n" in block and "language: python" in block and "require_serial: true" in block
        assert "files: \\.bib$" in block
