"""argmap: an argument-mapping rules engine on clingo."""

from .api import Argmap
from .engine import Engine, World
from .errors import InputError
from .model import Claim, Proposal, Verdict

__all__ = ["Argmap", "Claim", "Engine", "InputError", "Proposal", "Verdict", "World"]
__version__ = "0.1.0"
