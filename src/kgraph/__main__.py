from kgraph.cli import main

main(prog_name="kgraph")
