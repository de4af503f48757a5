"""Plain data the user sees: claims, proposals, the verdict registry, verdicts, and every result type.

Nothing here imports clingo; the engine converts symbols into these.
"""
