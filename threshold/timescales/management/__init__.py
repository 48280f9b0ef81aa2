"""Management commands of the timescales: the stored deadlines and the work lists."""
