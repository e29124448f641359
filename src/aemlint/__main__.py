from aemlint.cli import run

run()
