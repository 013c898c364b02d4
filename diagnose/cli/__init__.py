"""The ``diagnose`` command: ``commands`` builds the parser and runs the store, account,
questionnaire and scoring commands; ``loop`` adds the pilot loop's review and project commands.

A door like the pages: it calls services and the pure domain, and prints located messages.
"""
