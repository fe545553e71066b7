"""`sanimas`, the command line: argument parsing, subcommands, and what they print."""
