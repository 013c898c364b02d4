"""数字化诊断: the diagnosis tool of the Jieyang SME digital-transformation city pilot."""

__version__ = "0.1.0"
