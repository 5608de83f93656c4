"""Country pages: one government's record across the congresses."""
