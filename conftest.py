"""Project-wide pytest plugin: nbval over the lessons also checks every exercise's solution and
wrong answer in the same kernel run, and runs the student copies (tests/nbchecked.py)."""
pytest_plugins = ["tests.nbchecked"]
