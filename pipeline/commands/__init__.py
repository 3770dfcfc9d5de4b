"""One module per `nst` subcommand. Each exposes `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`."""
