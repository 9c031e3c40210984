"""Binning, order statistics and descriptive statistics over the native kernels of algorithms/."""
__all__ = []
