"""Sorting, searching, unique and set operations over the native kernels of algorithms/."""
__all__ = []
