"""Who may do what: roles, the acting user and the access policy (``policy``), and the signed
session tokens of the sign-in cookie (``sessions``).

Imports nothing of the domain; ``sessions`` asks the store only where the data folder is.
"""
