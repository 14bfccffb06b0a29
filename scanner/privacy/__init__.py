"""Everything that decides what of a number may leave the process."""
