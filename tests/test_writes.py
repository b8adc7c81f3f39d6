"""Every write goes through one helper: atomic, exclusive, never through a link.

Each case plants what a pull request could plant (a link at the target, at the
old predictable temporary name, or in place of a folder) and asserts that the
file outside the portfolio is untouched and the refusal names the path.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import check, write
from kontrakt.cli import app
from kontrakt.write import WriteRefused, write_text_atomic

runner = CliRunner()


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside every portfolio, which no command may change."""
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("orört\n", encoding="utf-8")
    return victim


def new_initiative(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["new", "initiative", *args, "-p", str(root)])
    return result.exit_code, result.output


def test_new_refuses_a_link_planted_at_the_target(minimal: Path, outside: Path) -> None:
    (minimal / "initiatives/ny.yaml").symlink_to(outside)
    code, output = new_initiative(minimal, "Ny")
    assert code == 1
    # check reports the planted link first, so new never gets to write
    assert "initiatives/ny.yaml:1:1: error: symbolic links are not followed" in output
    assert outside.read_text(encoding="utf-8") == "orört\n"


def test_new_ignores_a_link_at_the_old_temporary_name(minimal: Path, outside: Path) -> None:
    (minimal / "initiatives/.ny.yaml.new").symlink_to(outside)
    code, output = new_initiative(minimal, "Ny")
    assert code == 0
    assert output.startswith("wrote ")
    assert output.splitlines()[0].endswith("/initiatives/ny.yaml")
    assert outside.read_text(encoding="utf-8") == "orört\n"
    assert (
        (minimal / "initiatives/ny.yaml")
        .read_text(encoding="utf-8")
        .endswith(f"title: Ny\nproposed_on: {date.today().isoformat()}\n")
    )
    leftovers = [p.name for p in (minimal / "initiatives").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_new_refuses_a_linked_schema_folder_and_writes_nothing(
    minimal: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (minimal / ".kontrakt").symlink_to(elsewhere, target_is_directory=True)
    code, output = new_initiative(minimal, "Ny")
    assert code == 1
    assert output == (
        f"kontrakt: will not write {minimal / '.kontrakt/schema/initiative.schema.json'}: "
        "the folder .kontrakt/ on the way is a symbolic link\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert not (minimal / "initiatives/ny.yaml").exists()  # a failed run leaves all as it was


def test_new_refuses_a_link_in_place_of_the_kind_folder(minimal: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (minimal / "events").symlink_to(elsewhere, target_is_directory=True)
    result = runner.invoke(
        app, ["new", "event", "Verkstad", "--kind", "oppen-verkstad", "-p", str(minimal)]
    )
    assert result.exit_code == 1
    assert "events:1:1: error: symbolic links are not followed" in result.output
    assert list(elsewhere.iterdir()) == []


def test_output_refuses_a_link(bundled: Path, outside: Path, tmp_path: Path) -> None:
    link = tmp_path / "rapport.md"
    link.symlink_to(outside)
    result = runner.invoke(
        app, ["report", "-p", str(bundled), "--as-of", "2024-02-27", "-o", str(link)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"kontrakt: will not write {link}: "
        "it is a symbolic link, and kontrakt never writes through one\n"
    )
    assert outside.read_text(encoding="utf-8") == "orört\n"


def test_output_writes_where_the_user_names(bundled: Path, tmp_path: Path) -> None:
    target = tmp_path / "ut" / "rapport.md"
    target.parent.mkdir()
    result = runner.invoke(
        app, ["report", "-p", str(bundled), "--as-of", "2024-02-27", "-o", str(target)]
    )
    assert (result.exit_code, result.output) == (0, f"wrote {target}\n")
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_schema_output_dir_refuses_a_planted_link(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "schema"
    folder.mkdir()
    (folder / "event.schema.json").symlink_to(outside)
    result = runner.invoke(app, ["schema", "-o", str(folder)])
    assert result.exit_code == 1
    assert "event.schema.json: it is a symbolic link" in result.output
    assert outside.read_text(encoding="utf-8") == "orört\n"


def test_the_helper_keeps_mode_and_replaces_atomically(tmp_path: Path) -> None:
    target = tmp_path / "fil.yaml"
    target.write_text("gammal\n", encoding="utf-8")
    target.chmod(0o640)
    write_text_atomic(target, "ny\r\nrad\n", inside=tmp_path)
    assert target.read_bytes() == b"ny\r\nrad\n"  # line endings exactly as given
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fil.yaml"]


def test_the_helper_never_overwrites_when_creating(tmp_path: Path) -> None:
    target = tmp_path / "fil.yaml"
    target.write_text("först\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_text_atomic(target, "sen\n", inside=tmp_path, create_only=True)
    assert target.read_text(encoding="utf-8") == "först\n"


def test_the_helper_refuses_paths_outside_and_folders(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "mapp.yaml").mkdir(parents=True)
    with pytest.raises(WriteRefused, match="lies outside the portfolio"):
        write_text_atomic(root / ".." / "x.yaml", "x\n", inside=root)
    with pytest.raises(WriteRefused, match="is not a regular file"):
        write_text_atomic(root / "mapp.yaml", "x\n", inside=root)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_the_helper_refuses_a_linked_folder_inside(tmp_path: Path) -> None:
    root = tmp_path / "p"
    elsewhere = tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "events").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(WriteRefused, match=r"the folder events/ on the way is a symbolic link"):
        write_text_atomic(root / "events" / "x.yaml", "x\n", inside=root)
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("con.yaml", "'con.yaml' is a name Windows reserves for a device; rename it"),
        ("aux.yaml", "'aux.yaml' is a name Windows reserves for a device; rename it"),
        ("com1.yaml", "'com1.yaml' is a name Windows reserves for a device; rename it"),
        ("lpt9.yaml", "'lpt9.yaml' is a name Windows reserves for a device; rename it"),
    ],
)
def test_check_refuses_ids_windows_cannot_check_out(minimal: Path, name: str, message: str) -> None:
    write(minimal, f"initiatives/{name}", "title: X\n")
    (problem,) = check(minimal)
    assert problem.startswith(f"initiatives/{name}:1:1: error: ")
    assert message in problem


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("initiatives/nul/x.yaml", "'nul' is a name Windows reserves for a device; rename it"),
        ("initiatives/Con.txt/x.yaml", "'Con.txt' is a name Windows reserves"),
        ("initiatives/gammalt./x.yaml", "'gammalt.' ends in a dot, which Windows drops"),
        ("initiatives/gammalt /x.yaml", "'gammalt ' ends in a space, which Windows drops"),
        ("initiatives/a:b/x.yaml", "'a:b' holds ':', which Windows does not allow"),
    ],
)
def test_check_refuses_folders_windows_cannot_check_out(
    minimal: Path, relative: str, message: str
) -> None:
    write(minimal, relative, "title: X\n")
    (problem,) = check(minimal)
    folder = relative.rpartition("/")[0]
    assert problem.startswith(f"{folder}:1:1: error: ")  # at the folder, once
    assert message in problem
    assert problem.endswith("[file-name]")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("evil.yaml.", "'evil.yaml.' ends in a dot, which Windows drops; rename it"),
        ("evil.yaml ", "'evil.yaml ' ends in a space, which Windows drops; rename it"),
        ("aux.txt", "'aux.txt' is a name Windows reserves for a device; rename it"),
        ("bild?.png", "'bild?.png' holds '?', which Windows does not allow in a name; rename it"),
    ],
)
def test_check_refuses_any_file_windows_cannot_check_out(
    minimal: Path, name: str, message: str
) -> None:
    """Not only YAML files: `evil.yaml.` would check out on Windows as `evil.yaml`."""
    write(minimal, f"initiatives/{name}", "title: [\n")
    assert check(minimal) == [f"initiatives/{name}:1:1: error: {message} [file-name]"]


def test_new_refuses_a_reserved_or_newline_id(minimal: Path) -> None:
    code, output = new_initiative(minimal, "Aux", "--id", "aux")
    assert (code, output) == (
        2,
        "kontrakt: 'aux' is a name Windows reserves for a device, so its file could not be "
        "checked out there; use 'aux-1' or another id\n",
    )
    code, output = new_initiative(minimal, "Z", "--id", "zz\n")
    assert code == 2
    assert output.startswith("kontrakt: 'zz\\n' is not a valid id")
    assert sorted(p.name for p in (minimal / "initiatives").iterdir()) == ["alfa.yaml"]
    code, output = new_initiative(minimal, "Aux")  # a title gives an id that is no device
    assert code == 0
    assert output.splitlines()[0].endswith("/initiatives/aux-1.yaml")


def test_fmt_refuses_to_write_through_a_linked_folder(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    messy = "kind: pilot\ntitle: Utanför\n"
    (elsewhere / "x.yaml").write_text(messy, encoding="utf-8")
    (minimal / "initiatives" / "lankad").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(minimal)
    result = runner.invoke(app, ["fmt", "initiatives/lankad/x.yaml"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"kontrakt: will not write {Path('initiatives/lankad/x.yaml')}: "
        "the folder lankad/ on the way is a symbolic link",
        "1 files, 0 changed, 1 not formatted",
    ]
    assert (elsewhere / "x.yaml").read_text(encoding="utf-8") == messy


def test_new_files_follow_the_umask(bundled: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "rapport.md"
    script = (
        "import os, sys; os.umask(0o077); from kontrakt.cli import main; "
        f"sys.argv = ['kontrakt', 'report', '-p', {str(bundled)!r}, '-o', {str(target)!r}]; "
        "main()"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_creating_without_hard_links_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "ny.yaml"
    write_text_atomic(target, "title: Ny\n", inside=tmp_path, create_only=True)
    assert target.read_text(encoding="utf-8") == "title: Ny\n"
    with pytest.raises(FileExistsError):
        write_text_atomic(target, "title: Annan\n", inside=tmp_path, create_only=True)
    assert target.read_text(encoding="utf-8") == "title: Ny\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny.yaml"]


def test_a_device_name_is_a_fine_vocabulary_key(minimal: Path) -> None:
    settings = minimal / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("    pilot: Pilot\n", "    aux: Hjälp\n", 1),
        encoding="utf-8",
    )
    write(minimal, "initiatives/alfa.yaml", "title: Alfa\nkind: aux\n")
    assert check(minimal) == []


@pytest.mark.parametrize("create_only", [False, True])
@pytest.mark.parametrize("after", ["open", "write", "close"])
def test_ctrl_c_anywhere_in_a_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: str, create_only: bool
) -> None:
    """Ctrl-C (KeyboardInterrupt) just after the temporary file is made, written
    or closed, before the caller's own code runs again: the file is as it was
    and no temporary file is left behind."""
    import kontrakt.write as writing

    target = tmp_path / "a.yaml"
    if not create_only:
        target.write_text("before\n")
    real = getattr(os, after)

    calls: list[object] = []

    def interrupted(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)
        temporary = after != "open" or str(args[0]).endswith(".tmp")
        if temporary and not calls:  # the first call on the temporary file
            calls.append(result)
            raise KeyboardInterrupt  # as a signal handled the moment the call returns
        return result

    monkeypatch.setattr(writing.os, after, interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "after\n", create_only=create_only)
    monkeypatch.undo()
    assert len(calls) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if create_only else ["a.yaml"])
    if not create_only:
        assert target.read_text() == "before\n"


# --- a new folder's files (write_new_in, the pages of a site built into a new folder) ---


def _in_folder(folder: Path, name: str, data: bytes) -> None:
    from kontrakt.write import write_new_in

    descriptor = os.open(folder, os.O_RDONLY)
    try:
        write_new_in(descriptor, folder / name, data)
    finally:
        os.close(descriptor)


def test_a_new_file_is_created_whole_with_a_new_files_mode(tmp_path: Path) -> None:
    _in_folder(tmp_path, "index.html", b"<p>ny</p>")
    written = tmp_path / "index.html"
    assert written.read_bytes() == b"<p>ny</p>"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no second name


def test_a_new_file_never_replaces_what_stands_there(tmp_path: Path, outside: Path) -> None:
    (tmp_path / "theirs.html").write_text("deras", encoding="utf-8")
    (tmp_path / "link.html").symlink_to(outside)
    for name in ("theirs.html", "link.html"):
        with pytest.raises(FileExistsError):
            _in_folder(tmp_path, name, b"kontrakt")
    assert (tmp_path / "theirs.html").read_text(encoding="utf-8") == "deras"
    assert (tmp_path / "link.html").is_symlink()
    assert outside.read_text(encoding="utf-8") == "orört\n"


def test_a_new_file_that_cannot_be_written_whole_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from kontrakt import write as writing

    def full(descriptor: int, data: bytes) -> None:
        os.write(descriptor, data[:3])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing, "_write_all", full)
    with pytest.raises(OSError, match="No space left"):
        _in_folder(tmp_path, "index.html", b"<p>ny</p>")
    assert list(tmp_path.iterdir()) == []


_KILLED_MIDWAY = """
import os, signal, sys
from pathlib import Path
from kontrakt import write

folder, how = Path(sys.argv[1]), sys.argv[2]
real = write._write_all

def half_then_killed(descriptor, data):
    real(descriptor, data[: len(data) // 2])
    os.kill(os.getpid(), signal.SIGTERM)  # a `kill`, a closed terminal, a cancelled job
    real(descriptor, data[len(data) // 2 :])

write._write_all = half_then_killed
handle = os.open(folder, os.O_RDONLY)
page = folder / "index.html"
if how == "new":
    write.write_new_in(handle, page, b"<p>" + b"x" * 100_000 + b"</p>")
else:
    write.write_bytes_in(handle, page, b"<p>" + b"x" * 100_000 + b"</p>", sync=False)
print("not reached: the signal ends the process once the file is whole")
"""


@pytest.mark.skipif(not hasattr(os, "kill") or os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("how", ["new", "replace"])
def test_a_signal_in_the_middle_of_a_write_ends_the_process_after_it(
    tmp_path: Path, how: str
) -> None:
    """A site worker the pool ends with SIGTERM (or kontrakt under a cancelled CI job)
    left half-written pages and temporary files; the signal now waits for the file."""
    import signal
    import subprocess
    import sys

    folder = tmp_path / "site"
    folder.mkdir()
    if how == "replace":
        (folder / "index.html").write_bytes(b"<p>old</p>")
    ended = subprocess.run(
        [sys.executable, "-c", _KILLED_MIDWAY, str(folder), how],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ended.returncode == -signal.SIGTERM, ended.stdout + ended.stderr
    assert "not reached" not in ended.stdout
    assert [p.name for p in folder.iterdir()] == ["index.html"]  # no temporary left
    assert (folder / "index.html").read_bytes() == b"<p>" + b"x" * 100_000 + b"</p>"
