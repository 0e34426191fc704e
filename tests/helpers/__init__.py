"""Plain helpers the test modules share (no fixtures: those live in tests/conftest.py and the
plugins it lists). A test module imports from here, never from another test module."""
