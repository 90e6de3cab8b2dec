"""Compute accessible routes per mobility profile on built accessibility graphs (igraph)."""
