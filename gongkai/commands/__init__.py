"""Sub-commands of the gongkai CLI, one module each."""
