"""PHE/OHID indicator methods: pure statistics, no Django and no I/O.

See ``_common`` for the input and output conventions shared by every function.
"""

from healthgap.methods._common import MethodArgumentError

__all__ = ["MethodArgumentError"]
