"""`python -m dossier` runs the command line, for machines where the script is not on PATH."""
from cli import main

main()
