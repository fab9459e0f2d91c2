"""tillbench's test suite: tests/<package>/.../test_<module>.py mirrors the code."""
