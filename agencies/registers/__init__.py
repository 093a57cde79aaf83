"""Base registers (population, companies, vehicles): read at the source, behind one interface."""
