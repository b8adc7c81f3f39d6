"""Allow `python -m kontrakt`."""

from kontrakt.cli import main

main()
