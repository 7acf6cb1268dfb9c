"""The ``emulation-rules`` command line (nothing in the library imports it)."""
