"""Every input and output of the action (registry.py), how values are read (fields.py), and the
typed, validated inputs of each command (one module per command)."""
