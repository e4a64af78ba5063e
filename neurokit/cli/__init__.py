"""The `neurokit` command. Each group of subcommands lives in its own module with a
`register(subparsers)` function; errors the user can fix exit 2 with one line per problem."""
