"""kontrakt: a mission portfolio as plain-text YAML files.

The pipeline, one module per stage:
discover -> decode -> yamlload -> validate -> link -> (views) -> render.
"""

__version__ = "0.1.0"
