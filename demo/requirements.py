"""Install the Python requirements of a running Home Assistant that the virtualenv lacks.

The test requirements pin Home Assistant but not what a running instance needs: the frontend,
and the libraries of the integrations Home Assistant always loads (conversation, camera, ...).
The pins come from the installed Home Assistant's manifests, so they follow its upgrades.
Home Assistant itself runs with --skip-pip: it must not install into the project's virtualenv.

Usage: python -m demo.requirements --uv PATH   (scripts/demo does this)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import hashlib
from importlib import metadata
import json
import os
from pathlib import Path
import platform
import re
import subprocess
import sys
import sysconfig
import tempfile

CONFIGURATION = Path(__file__).resolve().parent / "config" / "configuration.yaml"
# Loaded by the integration (its dependencies and platforms), not named in configuration.yaml.
INTEGRATION_DOMAINS = (
    "webhook",
    "event",
    "notify",
    "sensor",
    "persistent_notification",
)
STAMP = Path(sys.prefix) / ".demo_requirements"
_TOP_LEVEL_KEY = re.compile(r"^([a-z_]+):", re.MULTILINE)
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")


def _components_dir() -> Path:
    import homeassistant.components  # noqa: PLC0415 - only when the stamp is stale

    return Path(homeassistant.components.__path__[0])


def demo_domains() -> set[str]:
    """Return the integrations the demo's Home Assistant loads, with their dependencies."""
    # Importing bootstrap takes seconds: only done when the stamp is stale.
    from homeassistant.bootstrap import DEFAULT_INTEGRATIONS  # noqa: PLC0415

    components = _components_dir()
    pending = [
        *_TOP_LEVEL_KEY.findall(CONFIGURATION.read_text()),
        *INTEGRATION_DOMAINS,
        *DEFAULT_INTEGRATIONS,
    ]
    found: set[str] = set()
    while pending:
        domain = pending.pop()
        manifest_path = components / domain / "manifest.json"
        if domain in found or not manifest_path.exists():
            continue
        found.add(domain)
        pending.extend(json.loads(manifest_path.read_text()).get("dependencies", []))
    return found


def _installed(name: str, version: str) -> bool:
    try:
        return metadata.version(name) == version
    except metadata.PackageNotFoundError:
        return False


def missing_requirements() -> list[str]:
    """Return the pinned requirements of the demo's integrations that are not installed."""
    components = _components_dir()
    missing: set[str] = set()
    for domain in demo_domains():
        manifest = json.loads((components / domain / "manifest.json").read_text())
        for requirement in manifest.get("requirements", []):
            if (pin := _PIN.match(requirement)) and not _installed(*pin.groups()):
                missing.add(requirement)
    return sorted(missing)


def _frontend_installed() -> bool:
    """Return whether the frontend Home Assistant pins is installed (a cheap recheck)."""
    manifest = _components_dir() / "frontend" / "manifest.json"
    return all(
        (pin := _PIN.match(requirement)) is not None and _installed(*pin.groups())
        for requirement in json.loads(manifest.read_text())["requirements"]
    )


def _stamp_key() -> str:
    """Return what the installed requirements depend on."""
    digest = hashlib.sha256()
    digest.update(metadata.version("homeassistant").encode())
    digest.update(platform.python_version().encode())
    digest.update(CONFIGURATION.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def build_environment(shim_dir: Path) -> dict[str, str]:
    """Return the environment to build C extensions in, for a Python like Debian's.

    Debian's Python.h includes <x86_64-linux-gnu/python3.14/pyconfig.h>, found only when the
    include folder above it is searched: true for /usr/include, not for a Python unpacked
    elsewhere (../shared/tools/python3.14). Some voice libraries Home Assistant always imports
    (pymicro-vad, pyspeex-noise) have no wheel for Python 3.14 and are built here.
    """
    env = os.environ.copy()
    include = Path(sysconfig.get_paths()["include"])
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if not multiarch:
        return env
    arch_include = include.parent / multiarch / include.name
    if (arch_include / "pyconfig.h").exists():
        # Only that folder, not the whole unpacked include tree with its own C library headers.
        link = shim_dir / multiarch / include.name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(arch_include)
        env["CPATH"] = os.pathsep.join(filter(None, (str(shim_dir), env.get("CPATH"))))
    return env


def _uv_install(uv: str, requirements: Sequence[str], env: dict[str, str]) -> bool:
    result = subprocess.run(  # noqa: S603 - uv from scripts/_env.sh
        [uv, "pip", "install", "--quiet", "--python", sys.executable, *requirements],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)  # noqa: T201
    return result.returncode == 0


def install(uv: str) -> list[str]:
    """Install what is missing; return the requirements that could not be installed."""
    missing = missing_requirements()
    if not missing:
        return []
    print(f"==> installing for the demo: {' '.join(missing)}", file=sys.stderr)  # noqa: T201
    with tempfile.TemporaryDirectory() as shim_dir:
        env = build_environment(Path(shim_dir))
        if _uv_install(uv, missing, env):
            return []
        # One at a time: a library that does not install here must not keep the others out.
        return [
            requirement
            for requirement in missing
            if not _uv_install(uv, [requirement], env)
        ]


def main(argv: Sequence[str] | None = None) -> int:
    """Install the missing requirements unless nothing changed since the last time."""
    parser = argparse.ArgumentParser(prog="python -m demo.requirements")
    parser.add_argument("--uv", required=True, help="the uv executable")
    args = parser.parse_args(argv)
    key = _stamp_key()
    if STAMP.exists() and STAMP.read_text() == key and _frontend_installed():
        return 0
    if failed := install(args.uv):
        # Home Assistant imports some of them whatever it loads (the frontend's list of
        # actions imports the voice pipeline): without them the demo is no demo.
        print(  # noqa: T201
            f"error: could not install {', '.join(failed)} (see above)", file=sys.stderr
        )
        return 1
    STAMP.write_text(key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
