"""The ``geomap`` command: a thin shell over the public API.

Each subcommand lives in its own module with a ``register(subparsers)`` function that
only declares arguments; heavy imports happen inside the handlers so that ``--help``
and cold starts stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from geomap.errors import GeomapError

# Modules under geomap.cli that contribute subcommands, in --help order.
_COMMAND_MODULES = ["gazetteer", "places", "events", "records", "maps", "distributed", "evaluate"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geomap",
        description="Turn conflict news into mapped, filterable event data (offline).",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(f"geomap.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"geomap.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("geomap")
    except PackageNotFoundError:
        return "geomap (source tree)"


def main(argv: list[str] | None = None) -> int:
    from geomap.cli import notices

    parser = build_parser()
    args = parser.parse_args(argv)
    notices.install()
    try:
        return int(args.handler(args) or 0)
    except GeomapError as exc:
        print(f"geomap: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
