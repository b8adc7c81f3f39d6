"""kontrakt keeps Pydantic's plugin loader (and importlib.metadata) off its start-up
while plugins are off, and hands over to the real loader otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def _run(script: str, disable: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if disable is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = disable
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


STAND_IN = """
    import sys
    from kontrakt.plugins_off import keep_loader_off
    keep_loader_off()
    from pydantic import TypeAdapter
    assert TypeAdapter(int).validate_python("3") == 3
    from pydantic.plugin._loader import get_plugins
    print(sorted(m for m in sys.modules if m.startswith("importlib.metadata")), list(get_plugins()))
"""


def test_with_plugins_off_the_loader_is_never_imported() -> None:
    for value in ("__all__", "1", "true"):
        done = _run(STAND_IN, value)
        assert (done.returncode, done.stdout, done.stderr) == (0, "[] []\n", "")


def test_with_plugins_on_pydantic_s_own_loader_runs() -> None:
    for value in (None, "", "some-plugin"):
        done = _run(STAND_IN, value)
        assert done.returncode == 0, done.stderr
        assert "'importlib.metadata'" in done.stdout


def test_turning_plugins_on_later_or_asking_for_more_loads_the_real_loader() -> None:
    done = _run(
        """
        import os, sys
        from kontrakt.plugins_off import keep_loader_off
        keep_loader_off()
        import pydantic.plugin._loader as loader
        assert "importlib.metadata" not in sys.modules
        print(loader.PYDANTIC_ENTRY_POINT_GROUP)  # a name the stand-in does not have
        import pydantic.plugin._loader as real
        print(real.__file__.endswith("_loader.py"), "importlib.metadata" in sys.modules)
        """,
        "__all__",
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "pydantic\nTrue True\n", "")


def test_the_command_line_starts_without_importlib_metadata(tmp_path: object) -> None:
    done = _run(
        """
        import runpy, sys
        sys.argv = ["kontrakt", "--version"]
        try:
            runpy.run_module("kontrakt", run_name="__main__")
        except SystemExit:
            pass
        print("importlib.metadata" in sys.modules, file=sys.stderr)
        """,
        None,
    )
    assert done.stderr == "False\n", done.stderr
