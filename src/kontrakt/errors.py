"""The one exception type for problems the user fixes, and the exit codes they give.

The core raises a `KontraktError` (or a subclass: a missing portfolio, an
unknown revision, a refused write, …) with a message that says what to do; the
CLI prints it as `kontrakt: message` and exits with the error's code, in one
place (cli.main), so no command keeps a list of exceptions to catch.
"""

from __future__ import annotations

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process ended by SIGINT
# The signals kontrakt stops on as on Ctrl-C (`kill`, a closed terminal, a cancelled
# CI job), exiting with 128 + the signal; its worker processes keep their default.
STOP_SIGNALS = ("SIGTERM", "SIGHUP")


class KontraktError(Exception):
    """A problem with what the user gave: a path, a revision, a value, an option.

    `exit_code` is 2 (usage) unless the subclass says 1: problems in the
    portfolio or its files, found while doing what was asked.
    """

    exit_code = EXIT_USAGE


class ProblemFound(KontraktError):
    """The command was right, but the portfolio, a template or a target is not."""

    exit_code = EXIT_PROBLEMS
