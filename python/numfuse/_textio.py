"""Text I/O: loadtxt, savetxt, genfromtxt and read_csv over the native parser of algorithms/."""
__all__ = []
