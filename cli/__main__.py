"""`python -m cli`: the command line, as the tests and scripts start it."""
from cli import main

main()
