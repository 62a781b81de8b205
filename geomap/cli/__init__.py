"""The ``geomap`` command: a thin shell over the public API.

Each subcommand lives in its own module with a ``register(subparsers)`` function that
only declares arguments; heavy imports happen inside the handlers so that ``--help``
and cold starts stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from geomap.errors import GeomapError, printable

#: argument names that are files a command writes (checked before any work is done)
OUTPUT_ARGUMENTS = ("output", "unresolved", "problems")

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


def check_outputs(args: argparse.Namespace) -> None:
    """Fail before any work (and before any store is touched) if an output can't be written."""
    from geomap.io import check_output_path

    for name in OUTPUT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value != "-":
            check_output_path(value)


def main(argv: list[str] | None = None) -> int:
    from geomap.cli import notices

    parser = build_parser()
    args = parser.parse_args(argv)
    notices.install()
    try:
        check_outputs(args)
        return int(args.handler(args) or 0)
    except GeomapError as exc:
        print(f"geomap: error: {printable(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except MemoryError:
        print("geomap: error: out of memory (is an input far larger than expected?)",
              file=sys.stderr)
        return 2
    except OSError as exc:  # the environment, not geomap: unreadable file, full disk, ...
        where = f"{printable(exc.filename)}: " if exc.filename else ""
        print(f"geomap: error: {where}{printable(exc.strerror or exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: one line, exit 3; GEOMAP_DEBUG=1 for the traceback
        if os.environ.get("GEOMAP_DEBUG"):
            raise
        print(f"geomap: internal error: {type(exc).__name__}: {printable(exc, 300)} "
              "(please report it; GEOMAP_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
