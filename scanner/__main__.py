"""``python -m scanner`` runs the command-line interface."""

from scanner.cli import main

raise SystemExit(main())
