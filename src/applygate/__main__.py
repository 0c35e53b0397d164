from applygate.cli import run

run()
